"""Previews that show what will change, and confirms that respect other editors."""

import re

from django.contrib.messages import get_messages

from reviews.models import Conclusion, Meeting
from reviews.spreadsheets.workbook import export_workbook

from .spreadsheets import (
    confirm,
    csv_bytes,
    edit,
    preview,
    workbook_confirm,
    workbook_preview,
)

SLUG = "regional-review-latin-america-caribbean-2021"
HEADERS = ["snapshot", "order", "text_en", "text_es"]


def sheet(response, name):
    return next(s for s in response.context["outcome"].sheets if s.name == name)


def test_workbook_preview_lists_changed_cells_with_old_and_new_values(
    seed, editor_client
):
    """The preview names the row, the column, the old and the new value."""
    meeting = Meeting.objects.get()
    old_text = Conclusion.objects.get(order=1).text_es
    content = edit(export_workbook(seed), "conclusions", 2, "text_es", "Nuevo texto.")
    content = edit(content, "meeting", 2, "member_states", meeting.member_states + 1)
    response = workbook_preview(editor_client, seed, content)

    [change] = sheet(response, "conclusions").changes
    assert (change.number, change.import_type) == (2, "update")
    assert change.cells == [("text_es", old_text, "Nuevo texto.")]
    [change] = sheet(response, "meeting").changes
    assert change.cells == [
        ("member_states", meeting.member_states, meeting.member_states + 1)
    ]
    page = response.content.decode()
    assert "<ins>Nuevo</ins> <ins>texto.</ins>" in page and "<del>" in page
    assert f"{meeting.member_states + 1}</ins>" in page
    assert "conclusions: 0 new, 1 changed, 4 unchanged" in page


def test_unchanged_sheets_are_folded_away(seed, editor_client):
    """A sheet without changes is counted in a closed <details>."""
    content = edit(export_workbook(seed), "conclusions", 2, "text_es", "Otro.")
    page = workbook_preview(editor_client, seed, content).content.decode()
    assert (
        "<details>\n      <summary>\n        people: 0 new, 0 changed, 5 unchanged"
        in page
    )
    assert "<details open>\n      <summary>\n        conclusions:" in page


def test_changelist_preview_says_unchanged_not_skipped(seed, editor_client):
    """Per-model previews list changed cells and count unchanged rows."""
    rows = [[SLUG, c.order, c.text_en, c.text_es] for c in Conclusion.objects.all()]
    rows[0][3] = "Cambiado."
    response = preview(editor_client, "conclusion", csv_bytes(HEADERS, rows))
    page = response.content.decode()
    assert "Skipped" not in page
    assert "conclusions: 0 new, 1 changed, 4 unchanged" in page
    assert "Cambiado.</ins>" in page


def test_workbook_confirm_refuses_rows_changed_since_the_preview(
    seed, editor_client, content_dump
):
    """Another editor's change between preview and confirm is named, and kept."""
    content = edit(export_workbook(seed), "conclusions", 2, "text_es", "Del archivo.")
    response = workbook_preview(editor_client, seed, content)
    conclusion = Conclusion.objects.get(order=1)
    old = conclusion.text_es
    conclusion.text_es = "De la otra editora."
    conclusion.save()
    before = content_dump()

    refused = workbook_confirm(editor_client, seed, response)
    assert refused.status_code == 400
    [message] = refused.context["outcome"].conflicts
    assert message.startswith("Sheet “conclusions”, row 2, column “text_es”")
    assert "“De la otra editora.”" in message
    assert f"“{old[:39]}" in message
    assert content_dump() == before


def test_workbook_confirm_refuses_to_undo_an_edit_of_an_unchanged_row(
    seed, editor_client, content_dump
):
    """A row the preview left alone, edited meanwhile, is not reverted by the file."""
    content = edit(export_workbook(seed), "conclusions", 2, "text_es", "Del archivo.")
    response = workbook_preview(editor_client, seed, content)
    meeting = Meeting.objects.get()
    meeting.member_states += 1
    meeting.save()
    before = content_dump()
    refused = workbook_confirm(editor_client, seed, response)
    assert refused.status_code == 400
    assert refused.context["outcome"].conflicts == [
        "Sheet “meeting”, row 2, column “member_states”: since your preview another "
        f"editor changed it from “{meeting.member_states - 1}” to "
        f"“{meeting.member_states}”."
    ]
    assert content_dump() == before


def test_changelist_confirm_refuses_rows_changed_since_the_preview(seed, editor_client):
    """The per-model confirm checks the rows it changes the same way."""
    rows = [[SLUG, 1, "A.", "Una."]]
    response = preview(editor_client, "conclusion", csv_bytes(HEADERS, rows))
    Conclusion.objects.filter(order=1).update(text_en="Meanwhile.")
    refused = confirm(editor_client, "conclusion", response)
    assert refused.status_code == 302
    messages = [str(m) for m in get_messages(refused.wsgi_request)]
    assert any("“Meanwhile.”" in m for m in messages)
    assert Conclusion.objects.get(order=1).text_en == "Meanwhile."


def test_workbook_preview_marks_only_the_changed_words_of_a_text(seed, editor_client):
    """A 29 turned 28 inside a paragraph is the one word struck and inserted."""
    conclusion = Conclusion.objects.get(order=1)
    conclusion.text_en = "Of the 29 member states, most & many replied."
    conclusion.save()
    content = edit(
        export_workbook(seed),
        "conclusions",
        2,
        "text_en",
        "Of the 28 member states, most & many replied.",
    )
    page = workbook_preview(editor_client, seed, content).content.decode()
    assert "<del>29</del>" in page and "<ins>28</ins>" in page
    assert "member states, most &amp; many replied." in page
    assert "<del>Of the" not in page


def test_changelist_preview_marks_only_the_changed_words(seed, editor_client):
    """The per-model import's preview marks the changed word too, escaped."""
    rows = [[SLUG, c.order, c.text_en, c.text_es] for c in Conclusion.objects.all()]
    rows[0][3] = rows[0][3].replace("región", "región & 28 > 29", 1)
    page = preview(
        editor_client, "conclusion", csv_bytes(HEADERS, rows)
    ).content.decode()
    assert re.search(r"<ins>[^<]*&amp; 28 &gt; 29[^<]*</ins>", page)
    assert "<del>Los" not in page
