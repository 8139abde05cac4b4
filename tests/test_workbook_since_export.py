"""A workbook knows what it was exported from and never silently undoes later work."""

import io

import pytest
from django.core.management import call_command

from reviews.models import Conclusion, Meeting
from reviews.spreadsheets.workbook import export_workbook

from .spreadsheets import (
    confirm,
    csv_bytes,
    edit,
    import_url,
    made_by_hand,
    ods_like_libreoffice,
    preview,
    upload,
    workbook_confirm,
    workbook_of,
    workbook_preview,
)


def imported(client, snapshot, content, name="snapshot.xlsx"):
    response = client.post(import_url(snapshot), {"workbook": upload(content, name)})
    assert response.status_code == 200, response.context["form"].errors
    assert workbook_confirm(client, snapshot, response).status_code == 302
    return response


def test_the_export_records_its_values_in_a_hidden_sheet(seed):
    """The record is there, hidden, and holds digests rather than the texts."""
    book = workbook_of(export_workbook(seed))
    record = book["exported_from"]
    assert record.sheet_state == "hidden"
    cells = " ".join(str(c.value) for row in record.iter_rows() for c in row)
    assert Conclusion.objects.get(order=1).text_en[:30] not in cells


def test_an_older_export_leaves_a_translation_imported_since_from_ods(
    seed, editor_client
):
    """The README's case: an older file no longer overwrites a newer translation."""
    older = export_workbook(seed)
    translated = edit(older, "conclusions", 2, "text_es", "Traducción más nueva.")
    imported(editor_client, seed, ods_like_libreoffice(translated), "translated.ods")
    meeting = Meeting.objects.get()
    edited = edit(older, "meeting", 2, "member_states", meeting.member_states + 1)
    response = imported(editor_client, seed, edited)
    assert Conclusion.objects.get(order=1).text_es == "Traducción más nueva."
    assert Meeting.objects.get().member_states == meeting.member_states + 1
    [kept] = response.context["outcome"].kept
    assert (kept.sheet, kept.row, kept.column) == ("conclusions", 2, "text_es")
    assert "changed since the export to “Traducción más nueva.”, which is kept" in (
        response.content.decode()
    )


def test_an_older_export_leaves_a_number_changed_since(seed, editor_client):
    """Numbers are recorded too: the newer count stays."""
    older = export_workbook(seed)
    meeting = Meeting.objects.get()
    meeting.member_states += 2
    meeting.save()
    imported(editor_client, seed, edit(older, "conclusions", 3, "text_es", "Otra."))
    assert Meeting.objects.get().member_states == meeting.member_states
    assert Conclusion.objects.get(order=2).text_es == "Otra."


def test_the_import_command_names_the_cells_it_keeps(seed, tmp_path):
    """On the command line too, a kept newer value is said, not silent."""
    path = tmp_path / "older.xlsx"
    path.write_bytes(export_workbook(seed))
    Conclusion.objects.filter(order=1).update(text_es="Más nueva.")
    out = io.StringIO()
    call_command("import_snapshot", str(path), "--dry-run", stdout=out)
    assert (
        "Sheet “conclusions”, row 2, column “text_es”: changed since the export "
        "to “Más nueva.”, which is kept." in out.getvalue()
    )


def test_a_cell_changed_in_the_file_and_since_the_export_refuses_the_import(
    seed, editor_client, content_dump
):
    """Both changed it: the import is refused whole, naming the cell."""
    older = export_workbook(seed)
    conclusion = Conclusion.objects.get(order=1)
    conclusion.text_es = "De la otra editora."
    conclusion.save()
    before = content_dump()
    content = edit(older, "conclusions", 2, "text_es", "Del archivo.")
    content = edit(content, "conclusions", 3, "text_es", "También del archivo.")
    response = editor_client.post(import_url(seed), {"workbook": upload(content)})
    assert response.status_code == 400
    errors = response.context["form"].errors["workbook"]
    assert (
        "Sheet “conclusions”, row 2, column “text_es”: the file changes it to "
        "“Del archivo.”, but since the export it was changed to “De la otra "
        "editora.”." in errors
    )
    assert content_dump() == before


def test_a_workbook_made_by_hand_imports_as_before(seed, editor_client):
    """Without the record, the file's values are imported, as they always were."""
    older = made_by_hand(export_workbook(seed))
    conclusion = Conclusion.objects.get(order=1)
    old = conclusion.text_es
    conclusion.text_es = "Más nueva."
    conclusion.save()
    imported(editor_client, seed, older)
    assert Conclusion.objects.get(order=1).text_es == old


@pytest.mark.parametrize(
    "tampered", ["{not json", "[1, 2]", '{"a": [1]}', '{"a": {"b": 1}}', "7"]
)
def test_a_tampered_record_is_refused_with_the_database_unchanged(
    seed, editor_client, content_dump, tampered
):
    """A record that is not one is refused rather than guessed at."""
    book = workbook_of(export_workbook(seed))
    book["exported_from"]["B2"] = tampered
    out = io.BytesIO()
    book.save(out)
    before = content_dump()
    response = editor_client.post(
        import_url(seed), {"workbook": upload(out.getvalue())}
    )
    assert response.status_code == 400
    assert "hidden sheet “exported_from” has been changed" in " ".join(
        response.context["form"].errors["workbook"]
    )
    assert content_dump() == before


def test_a_per_model_csv_has_no_record_and_still_overwrites_newer_values(
    seed, editor_client
):
    """Not covered: a changelist CSV holds no record, so its older values win."""
    rows = [
        [seed.slug, c.order, c.text_en, c.text_es] for c in Conclusion.objects.all()
    ]
    conclusion = Conclusion.objects.get(order=1)
    old = conclusion.text_es
    conclusion.text_es = "Traducción más nueva."
    conclusion.save()
    response = preview(
        editor_client,
        "conclusion",
        csv_bytes(["snapshot", "order", "text_en", "text_es"], rows),
    )
    confirm(editor_client, "conclusion", response)
    assert Conclusion.objects.get(order=1).text_es == old


def test_a_preview_without_changes_since_the_export_lists_nothing_kept(
    seed, editor_client
):
    """A fresh export edited in one cell keeps nothing back."""
    content = edit(export_workbook(seed), "conclusions", 2, "text_es", "Nueva.")
    response = workbook_preview(editor_client, seed, content)
    assert response.context["outcome"].kept == []
