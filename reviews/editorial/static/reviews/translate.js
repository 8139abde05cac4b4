/*
 * The translation editor's keyboard and suggestions.
 *
 * A suggestion's button copies its text into the translation's text area
 * and puts the cursor there (the buttons stay hidden without this script:
 * the suggestions are then plain text to copy). Alt+Down Arrow and
 * Alt+Up Arrow move to the next and previous text needing work, from
 * wherever the focus is.
 */
"use strict";

(function () {
    function useSuggestion(button) {
        const target = document.getElementById(button.dataset.target);
        const suggestion = document.getElementById(button.dataset.suggestion);
        if (!target || !suggestion) {
            return;
        }
        target.value = suggestion.textContent;
        target.dispatchEvent(new Event("input", { bubbles: true }));
        target.focus();
    }

    // The text areas of the texts needing work, in the page's order.
    function needingWork() {
        return Array.from(
            document.querySelectorAll("[data-needs-work] textarea")
        );
    }

    function move(forward) {
        const fields = needingWork();
        if (!fields.length) {
            return;
        }
        const here = document.activeElement;
        const after = (field) =>
            here.compareDocumentPosition(field) &
            Node.DOCUMENT_POSITION_FOLLOWING;
        const next = forward
            ? fields.find((field) => field !== here && after(field))
            : fields.reverse().find((field) => field !== here && !after(field));
        (next || fields[0]).focus();
    }

    document.addEventListener("DOMContentLoaded", function () {
        const editor = document.querySelector(".translation-editor");
        if (!editor) {
            return;
        }
        editor.querySelectorAll("button.use-suggestion").forEach((button) => {
            button.hidden = false;
            button.addEventListener("click", () => useSuggestion(button));
        });
        document.addEventListener("keydown", function (event) {
            if (!event.altKey || event.ctrlKey || event.metaKey) {
                return;
            }
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                event.preventDefault();
                move(event.key === "ArrowDown");
            }
        });
    });
})();
