"use strict";
// Moves an inline's row up or down (reviews.editorial.admin.positions):
// the row swaps its position with its neighbour's and takes its place on
// the page; saving stores both. The buttons are real buttons, so the
// keyboard moves rows too, and focus stays on the button pressed.
document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-move]");
    if (!button) {
        return;
    }
    const row = button.closest(".inline-related, tr.form-row");
    if (!row) {
        return;
    }
    const rows = Array.from(row.parentElement.children).filter(
        (other) =>
            other.matches(".inline-related, tr.form-row") &&
            !other.classList.contains("empty-form") &&
            other.querySelector("input[data-position]")
    );
    const step = Number(button.dataset.move);
    const other = rows[rows.indexOf(row) + step];
    if (!other) {
        return;
    }
    const mine = row.querySelector("input[data-position]");
    const theirs = other.querySelector("input[data-position]");
    [mine.value, theirs.value] = [theirs.value, mine.value];
    row.parentElement.insertBefore(step < 0 ? row : other, step < 0 ? other : row);
    button.focus();
});
