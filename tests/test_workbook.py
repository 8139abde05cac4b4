"""The snapshot workbook: export, import with preview, commands, round trip."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from reviews.content import CONTENT, kind_of
from reviews.models import Conclusion, Snapshot, StakeholderCount, StakeholderGroup
from reviews.publishing.models import Publication
from reviews.spreadsheets.workbook import export_workbook

from .spreadsheets import edit, import_url, upload, visible_sheets, workbook_of

CONTENT_MODELS = [kind.model for kind in CONTENT]


def readable_keys(model, prefix=""):
    """
    The paths to what a person reads of each relation of ``model``: its
    target's natural key, followed down to plain values (a figure's day is
    its meeting's snapshot's slug and its date).
    """
    for field in model._meta.concrete_fields:
        if field.is_relation:
            target = field.related_model
            for name in kind_of(target).natural_key:
                if target._meta.get_field(name).is_relation:
                    yield from readable_keys(target, f"{prefix}{field.name}__")
                else:
                    yield f"{prefix}{field.name}__{name}"


def every_field(model):
    """
    Every stored value of every object, in every language, sorted. A text
    never given (NULL, as the admin stores it) and an empty one are the same.
    """
    names = [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key
        and not field.is_relation
        and field.name not in ("created_at", "updated_at")
    ]
    rows = model.objects.values_list(*names, *readable_keys(model))
    return sorted(
        (tuple("" if value is None else value for value in row) for row in rows),
        key=repr,
    )


def test_workbook_has_a_sheet_per_kind_with_languages_side_by_side(seed):
    """Each sheet puts the English and Spanish columns next to each other."""
    book = workbook_of(export_workbook(seed))
    assert visible_sheets(book) == [kind.sheet for kind in CONTENT]
    headers = [cell.value for cell in book["conclusions"][1]]
    assert headers == ["snapshot", "order", "text_en", "text_es"]
    assert book["conclusions"].max_row == 6


def test_round_trip_into_an_empty_database_gives_identical_content(
    seed, editor_client, tmp_path
):
    """Export from the admin, import into an empty database: every field matches."""
    response = editor_client.get(
        reverse("admin:reviews_snapshot_workbook_export", args=[seed.pk])
    )
    assert response["Content-Disposition"].endswith(f'"{seed.slug}.xlsx"')
    before = {model: every_field(model) for model in CONTENT_MODELS}
    Publication.objects.all().delete()
    Snapshot.objects.all().delete()
    StakeholderGroup.objects.all().delete()
    assert not any(model.objects.exists() for model in CONTENT_MODELS)

    path = tmp_path / "snapshot.xlsx"
    path.write_bytes(response.content)
    call_command("import_snapshot", str(path), stdout=io.StringIO())

    assert {model: every_field(model) for model in CONTENT_MODELS} == before


def test_formula_like_text_survives_the_round_trip(seed, content_dump, tmp_path):
    """A list item starting with "-" is escaped in the sheet and restored on import."""
    content = export_workbook(seed)
    book = workbook_of(content)
    descriptions = [row[8].value for row in book["timeline"].iter_rows(min_row=2)]
    assert any(text.startswith("'- ") for text in descriptions)
    path = tmp_path / "snapshot.xlsx"
    path.write_bytes(content)
    before = content_dump()
    call_command("import_snapshot", str(path), stdout=io.StringIO())
    assert content_dump() == before


def test_admin_preview_then_confirm_imports_a_translation(seed, editor_client):
    """A translator's Spanish reaches the site only after the editor confirms."""
    content = edit(export_workbook(seed), "conclusions", 2, "text_es", "Nuevo texto.")
    response = editor_client.post(import_url(seed), {"workbook": upload(content)})
    assert response.status_code == 200
    sheets = {sheet.name: sheet for sheet in response.context["outcome"].sheets}
    assert sheets["conclusions"].updated == 1
    assert sheets["people"].unchanged == 5
    assert Conclusion.objects.get(order=1).text_es != "Nuevo texto."

    response = editor_client.post(
        import_url(seed), {"confirm": "1", **response.context["confirm_form"].initial}
    )
    assert response.status_code == 302
    assert Conclusion.objects.get(order=1).text_es == "Nuevo texto."


def test_snapshot_page_links_to_the_workbook(seed, editor_client):
    """An editor finds Export workbook and Import workbook on the snapshot's page."""
    page = editor_client.get(reverse("admin:reviews_snapshot_change", args=[seed.pk]))
    content = page.content.decode()
    assert reverse("admin:reviews_snapshot_workbook_export", args=[seed.pk]) in content
    assert import_url(seed) in content


def test_a_failing_row_in_any_sheet_imports_nothing(seed, editor_client, content_dump):
    """A negative count in the last sheet keeps the first sheets' changes out too."""
    content = edit(export_workbook(seed), "conclusions", 2, "text_es", "Cambio.")
    content = edit(content, "stakeholder_counts", 3, "count", -4)
    before = content_dump()
    response = editor_client.post(import_url(seed), {"workbook": upload(content)})
    assert response.status_code == 400
    assert "confirm_form" not in response.context
    errors = {s.name: s.errors for s in response.context["outcome"].sheets}
    assert errors["stakeholder_counts"]
    assert errors["stakeholder_counts"][0].startswith("Row 3, column “count”")
    assert content_dump() == before


def test_a_workbook_for_another_snapshot_is_refused(seed, editor_client):
    """The snapshot's page imports only that snapshot's workbook."""
    content = edit(export_workbook(seed), "snapshot", 2, "slug", "another-one")
    response = editor_client.post(import_url(seed), {"workbook": upload(content)})
    assert response.status_code == 400
    assert (
        "Sheet “snapshot”, row 2 is for the snapshot “another-one”, not "
        f"“{seed.slug}”." in response.context["form"].errors["workbook"]
    )


def test_staff_without_permissions_cannot_use_the_workbook(
    seed, client, staff_who_may_only_edit
):
    """Export and import of the workbook answer 403 without the permissions."""
    client.force_login(staff_who_may_only_edit)
    export_url = reverse("admin:reviews_snapshot_workbook_export", args=[seed.pk])
    assert client.get(export_url).status_code == 403
    assert client.get(import_url(seed)).status_code == 403


def test_export_command_writes_the_workbook(seed, tmp_path):
    """export_snapshot SLUG FILE writes a workbook with every sheet."""
    path = tmp_path / "out.xlsx"
    call_command("export_snapshot", seed.slug, str(path), stdout=io.StringIO())
    assert visible_sheets(workbook_of(path.read_bytes())) == [
        kind.sheet for kind in CONTENT
    ]


def test_export_command_rejects_an_unknown_slug(db, tmp_path):
    """An unknown slug is a clear command error."""
    with pytest.raises(CommandError, match="No snapshot has the slug “nope”"):
        call_command("export_snapshot", "nope", str(tmp_path / "x.xlsx"))


def test_import_command_dry_run_prints_a_summary_and_saves_nothing(
    seed, tmp_path, content_dump
):
    """--dry-run lists the changes per sheet and keeps the database as it was."""
    path = tmp_path / "in.xlsx"
    path.write_bytes(edit(export_workbook(seed), "people", 2, "title_es", "Jefa"))
    before = content_dump()
    out = io.StringIO()
    call_command("import_snapshot", str(path), "--dry-run", stdout=out)
    assert "people: 0 new, 1 updated, 4 unchanged" in out.getvalue()
    assert "Dry run: nothing was saved." in out.getvalue()
    assert content_dump() == before


def test_import_command_reports_problems_in_spanish(seed, tmp_path, content_dump):
    """The command lists each problem and fails, in the active language."""
    path = tmp_path / "in.xlsx"
    path.write_bytes(edit(export_workbook(seed), "days", 2, "date", "26/04/2021"))
    before = content_dump()
    err = io.StringIO()
    with translation.override("es"), pytest.raises(CommandError, match="No se importó"):
        call_command("import_snapshot", str(path), stderr=err, stdout=io.StringIO())
    assert "Fila 2, columna “date”" in err.getvalue()
    assert content_dump() == before


def test_a_confirm_without_its_preview_is_refused(seed, editor_client, content_dump):
    """Confirming a preview that no longer exists asks for the file again."""
    before = content_dump()
    response = editor_client.post(
        import_url(seed), {"confirm": "1", "upload": "../../etc/passwd"}
    )
    assert response.status_code == 400
    assert "The preview has expired; upload again." in response.context["refusal"]
    assert content_dump() == before


def test_import_command_shows_a_progress_bar_on_long_files(seed, tmp_path):
    """A workbook of hundreds of rows shows a bar on stderr, the summary on stdout."""
    groups = StakeholderGroup.objects.bulk_create(
        StakeholderGroup(slug=f"group-{n}", name_en=f"G{n}", name_es=f"G{n}")
        for n in range(150)
    )
    StakeholderCount.objects.bulk_create(
        StakeholderCount(snapshot=seed, group=group, order=20 + n, count=n)
        for n, group in enumerate(groups)
    )
    path = tmp_path / "long.xlsx"
    path.write_bytes(export_workbook(seed))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_snapshot", str(path), "--dry-run", stdout=out, stderr=err)
    rows = sum(kind.of_snapshot(seed).count() for kind in CONTENT)
    assert rows > 300
    assert "[" + "#" * 40 + f"] {rows}/{rows} rows" in err.getvalue()
    assert "stakeholder_counts: 0 new, 0 updated, 162 unchanged" in out.getvalue()


def readme_columns():
    """The columns of each sheet as the README's table lists them."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = readme.split("| sheet (workbook) | model | columns |", 1)[1]
    columns = {}
    for line in table.split("\n\n", 1)[0].splitlines()[2:]:
        sheet, _model, cells = (part.strip() for part in line.strip("|").split("|"))
        # Values a column accepts are named in brackets after it.
        names = re.findall(r"`([a-z_]+)(/_es)?`", re.sub(r"\([^)]*\)", "", cells))
        columns[sheet.strip("`")] = [
            column
            for name, both in names
            for column in ([name, name.replace("_en", "_es")] if both else [name])
        ]
    return columns


def test_every_sheet_has_the_columns_the_readme_lists(seed):
    """Translators read the README's table; the workbook matches it."""
    book = workbook_of(export_workbook(seed))
    exported = {
        name: [cell.value for cell in book[name][1]] for name in visible_sheets(book)
    }
    assert exported == readme_columns()
