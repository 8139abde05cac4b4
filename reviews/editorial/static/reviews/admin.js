/*
 * One language switch for a content page of the admin.
 *
 * Every translated field carries its language (lang="es", set by
 * reviews/editorial/admin/languages.py). The switch at the top of the form
 * shows the chosen language in every field, stacked or tabular inline alike,
 * or both languages side by side; the choice is remembered across pages.
 * Rows added later are copies of the formset's template row, which is
 * switched with the rest, so they open in the chosen language.
 *
 * The links of the error banner show the language of their field and focus
 * it, as does an address naming a field (#id_text_es). Tabular inlines
 * name each control after its column, since Django gives
 * them no label, and become one block per row on narrow screens.
 */
"use strict";

(function () {
    const STORED = "reviews.admin.language";
    const BOTH = "both";
    const HIDDEN = "language-hidden";

    function translatedFields(root) {
        return root.querySelectorAll(
            "input[lang], textarea[lang], select[lang]"
        );
    }

    // The field's box on the page and, in a table, its column's heading.
    function boxesOf(field) {
        const box = field.closest("td, .fieldBox, .form-row");
        if (!box) {
            return [];
        }
        if (box.tagName !== "TD") {
            return [box];
        }
        const name = Array.from(box.classList).find(
            (cls) => cls.startsWith("field-")
        );
        const heading = name && box.closest("table").querySelector(
            `thead th.column-${name.slice("field-".length)}`
        );
        return heading ? [box, heading] : [box];
    }

    // The name of the field a translation belongs to, from modeltranslation's
    // class "mt-field-<name>-<language>".
    function translationOf(field) {
        const cls = Array.from(field.classList).find(
            (name) => name.startsWith("mt-field-")
        );
        return cls ? cls.slice(0, cls.lastIndexOf("-")) : "";
    }

    // Puts the boxes of one field's translations in one container, which the
    // stylesheet lays out side by side on wide screens.
    function pair(box, of) {
        const previous = box.previousElementSibling;
        if (previous && previous.dataset.translationOf === of) {
            let group = previous.closest(".translations");
            if (!group) {
                group = document.createElement("div");
                group.className = "translations";
                previous.before(group);
                group.append(previous);
            }
            group.append(box);
        }
        box.dataset.translationOf = of;
    }

    function mark(root) {
        translatedFields(root).forEach((field) => {
            boxesOf(field).forEach((box) => {
                box.dataset.fieldLanguage = field.lang;
                if (box.tagName !== "TD" && box.tagName !== "TH") {
                    pair(box, translationOf(field));
                }
            });
        });
    }

    function show(choice) {
        document.querySelectorAll("[data-field-language]").forEach((box) => {
            box.classList.toggle(
                HIDDEN,
                choice !== BOTH && box.dataset.fieldLanguage !== choice
            );
        });
        document.body.classList.toggle("languages-side-by-side", choice === BOTH);
        document.querySelectorAll(".language-switch input").forEach((input) => {
            input.checked = input.value === choice;
        });
    }

    function choose(choice) {
        show(choice);
        try {
            localStorage.setItem(STORED, choice);
        } catch {
            // Storage refused (private browsing): the choice lasts this page.
        }
    }

    // The editor's last choice; else the admin's language, or the first
    // language readers get: never, unasked, a language being added, whose
    // fields are still empty.
    function remembered(choices, opening) {
        let stored = null;
        try {
            stored = localStorage.getItem(STORED);
        } catch {
            stored = null;
        }
        const page = document.documentElement.lang;
        if (choices.includes(stored)) {
            return stored;
        }
        if (opening.includes(page)) {
            return page;
        }
        return opening[0] || choices[0];
    }

    function focus(target) {
        const details = target.closest("details");
        if (details) {
            details.open = true;
        }
        if (!target.matches("input, select, textarea, button, a[href]")) {
            target.tabIndex = -1;
        }
        target.scrollIntoView({ block: "center" });
        target.focus({ preventScroll: true });
    }

    function followErrorLink(event) {
        const link = event.target.closest(".error-summary a[href^='#']");
        if (!link) {
            return;
        }
        const target = document.getElementById(
            decodeURIComponent(link.hash.slice(1))
        );
        if (!target) {
            return;
        }
        event.preventDefault();
        const language = link.dataset.language;
        const current = document.querySelector(".language-switch input:checked");
        if (language && !(current && current.value === BOTH)) {
            choose(language);
        }
        focus(target);
    }

    function text(element) {
        return element.firstChild ? element.firstChild.textContent.trim() : "";
    }

    // Names each control of a tabular inline after its column's heading, and
    // gives the heading of the item column, empty in Django, the inline's
    // name. A column Django leaves without heading (no "Delete?" for an
    // editor who may not delete) holds nothing, so its cell is no heading.
    function labelTable(table) {
        const original = table.querySelector("thead th.original");
        if (original && !original.textContent.trim()) {
            const heading = table.closest("fieldset").querySelector("h2");
            const name = document.createElement("span");
            name.className = "visually-hidden";
            name.textContent = heading ? heading.textContent.trim() : "";
            original.append(name);
        }
        table.querySelectorAll("thead th:not(.original)").forEach((heading) => {
            if (!heading.textContent.trim()) {
                heading.replaceWith(document.createElement("td"));
            }
        });
        const headings = Array.from(table.querySelectorAll("thead tr > *"));
        table.querySelectorAll("tbody tr").forEach((row) => {
            Array.from(row.children).forEach((cell, index) => {
                const heading = headings[index];
                const label = heading ? text(heading) : "";
                if (!label) {
                    return;
                }
                cell.dataset.label = label;
                cell.querySelectorAll(
                    "input:not([type=hidden]), select, textarea"
                ).forEach((control) => {
                    if (!control.labels.length && !control.hasAttribute("aria-label")) {
                        control.setAttribute("aria-label", label);
                    }
                });
            });
        });
    }

    // Every link to a part's own page brings the editor back here once saved.
    function returnHere() {
        const here = window.location.pathname;
        document.querySelectorAll("a.inlinechangelink").forEach((link) => {
            const url = new URL(link.href, window.location.href);
            url.searchParams.set("next", here);
            link.href = url.pathname + url.search;
        });
    }

    // import-export's export page labels its "Select all" box by an id the
    // box lacks.
    function nameSelectAll() {
        const box = document.querySelector("input.select-toggle:not([id])");
        if (box && document.querySelector("label[for=select-all-toggle]")) {
            box.id = "select-all-toggle";
        }
    }

    // A link to one field (from the publish page or the translation status)
    // opens the page in that field's language, the field in sight.
    function fieldOfAddress() {
        const id = decodeURIComponent(window.location.hash.slice(1));
        const field = id && document.getElementById(id);
        return field && field.lang ? field : null;
    }

    function start() {
        nameSelectAll();
        document.querySelectorAll(".inline-group .tabular table").forEach(labelTable);
        document.addEventListener("formset:added", (event) => {
            const table = event.target.closest(".tabular table");
            if (table) {
                labelTable(table);
            }
        });
        returnHere();
        document.addEventListener("click", followErrorLink);
        // A refused form: start from its list of errors.
        const errors = document.querySelector(".error-summary");
        if (errors) {
            focus(errors);
        }
        const switcher = document.querySelector(".language-switch");
        if (!switcher) {
            return;
        }
        mark(document);
        const values = (selector) => Array.from(
            switcher.querySelectorAll(selector)
        ).map((input) => input.value);
        const opened = fieldOfAddress();
        show(
            opened
                ? opened.lang
                : remembered(values("input"), values("input[data-public]"))
        );
        switcher.hidden = false;
        if (opened) {
            focus(opened);
        }
        switcher.addEventListener("change", (event) => choose(event.target.value));
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
