"""Imports within their rights: scope, each sheet's permissions, stored previews."""

import tempfile

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.models import Conclusion, Snapshot, StakeholderGroup
from reviews.spreadsheets.workbook import export_workbook

from .conftest import PASSWORD, staff_user
from .spreadsheets import (
    FORMAT_INDEX,
    confirm,
    csv_bytes,
    edit,
    import_url,
    messages_of,
    preview,
    upload,
)

SLUG = "regional-review-latin-america-caribbean-2021"


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    """import-export's temporary folder, emptied for the test."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


@pytest.fixture
def other_snapshot(seed):
    return Snapshot.objects.create(
        slug="another-snapshot",
        series_en="S",
        series_es="S",
        number=2,
        title_en="Another",
        title_es="Otra",
    )


def snapshot_only_user():
    """Staff with view, change and import on Snapshot, and nothing else."""
    return staff_user(
        "snapshots-only",
        Permission.objects.filter(
            content_type__app_label="reviews",
            content_type__model="snapshot",
            codename__in=["view_snapshot", "change_snapshot", "import_snapshot"],
        ),
    )


def test_a_row_of_another_snapshot_is_refused_by_row(
    seed, other_snapshot, editor_client, content_dump
):
    """A people row naming another snapshot is refused, naming sheet and row."""
    content = edit(export_workbook(seed), "people", 3, "snapshot", "another-snapshot")
    before = content_dump()
    response = editor_client.post(import_url(seed), {"workbook": upload(content)})
    assert response.status_code == 400
    errors = response.context["form"].errors["workbook"]
    assert (
        f"Sheet “people”, row 3 is for the snapshot “another-snapshot”, not “{SLUG}”."
        in errors
    )
    assert content_dump() == before


def test_shared_stakeholder_groups_may_be_renamed_from_a_snapshot(seed, editor_client):
    """Groups are shared; an editor with their permissions renames one."""
    content = edit(export_workbook(seed), "stakeholder_groups", 2, "name_es", "Estados")
    response = editor_client.post(import_url(seed), {"workbook": upload(content)})
    assert response.status_code == 200
    editor_client.post(
        import_url(seed), {"confirm": "1", **response.context["confirm_form"].initial}
    )
    assert StakeholderGroup.objects.filter(name_es="Estados").exists()


def test_each_sheet_needs_its_own_models_permissions(seed, client, content_dump):
    """Snapshot rights alone cannot rename groups or add conclusions."""
    client.force_login(snapshot_only_user())
    content = edit(export_workbook(seed), "stakeholder_groups", 2, "name_es", "Otro")
    content = edit(content, "conclusions", 7, "snapshot", SLUG)
    content = edit(content, "conclusions", 7, "order", 9)
    content = edit(content, "conclusions", 7, "text_en", "New")
    content = edit(content, "conclusions", 7, "text_es", "Nueva")
    before = content_dump()
    response = client.post(import_url(seed), {"workbook": upload(content)})
    assert response.status_code == 400
    assert "confirm_form" not in response.context
    errors = {s.name: s.errors for s in response.context["outcome"].sheets}
    assert errors["stakeholder_groups"] == [
        "This sheet adds 0 and changes 1 stakeholder groups, but your account may "
        "not import or change stakeholder groups. Ask an administrator for these "
        "permissions, or remove the sheet's changes."
    ]
    assert "may not import or add main conclusions" in errors["conclusions"][0]
    assert errors["snapshot"] == []
    assert content_dump() == before


def test_changelist_import_needs_add_permission_for_new_rows(
    seed, client, content_dump
):
    """Import rights without "add" preview new rows as refused."""
    user = staff_user(
        "importer",
        Permission.objects.filter(
            codename__in=["view_conclusion", "change_conclusion", "import_conclusion"]
        ),
    )
    client.force_login(user)
    before = content_dump()
    content = csv_bytes(
        ["snapshot", "order", "text_en", "text_es"], [[SLUG, 9, "New", "Nueva"]]
    )
    response = preview(client, "conclusion", content)
    assert response.status_code == 400
    assert "confirm_form" not in response.context
    assert "may not add main conclusions" in messages_of(response)[0]
    assert content_dump() == before


def conclusion_preview(client):
    content = csv_bytes(
        ["snapshot", "order", "text_en", "text_es"], [[SLUG, 9, "New", "Nueva"]]
    )
    response = preview(client, "conclusion", content)
    assert response.status_code == 200
    return response


def test_confirm_never_opens_or_removes_a_file_the_form_names(
    seed, editor_client, temp_dir, content_dump
):
    """A forged import_file_name neither reads nor deletes that file."""
    victim = temp_dir / "victim.csv"
    victim.write_bytes(csv_bytes(["snapshot", "order", "text_en", "text_es"], []))
    before = content_dump()
    response = editor_client.post(
        reverse("admin:reviews_conclusion_process_import"),
        {
            "import_file_name": "victim.csv",
            "original_file_name": "x.csv",
            "format": FORMAT_INDEX["csv"],
            "resource": "0",
        },
    )
    assert response.status_code == 302
    assert victim.exists()
    assert content_dump() == before


def test_confirming_twice_asks_for_the_file_again(seed, editor_client):
    """The second confirm of one preview imports nothing and says why."""
    response = conclusion_preview(editor_client)
    assert confirm(editor_client, "conclusion", response).status_code == 302
    second = confirm(editor_client, "conclusion", response)
    assert second.status_code == 302
    assert second["Location"] == reverse("admin:reviews_conclusion_import")
    assert Conclusion.objects.filter(order=9).count() == 1
    page = editor_client.get(second["Location"])
    assert "The preview has expired; upload the file again." in page.content.decode()


def test_an_expired_preview_asks_for_the_file_again(seed, editor_client, settings):
    """A preview older than SPREADSHEET_PREVIEW_SECONDS cannot be confirmed."""
    response = conclusion_preview(editor_client)
    settings.SPREADSHEET_PREVIEW_SECONDS = 0
    assert confirm(editor_client, "conclusion", response).status_code == 302
    assert not Conclusion.objects.filter(order=9).exists()


def test_another_editors_preview_cannot_be_confirmed(
    seed, editor_client, client, django_user_model
):
    """The key works only in the session that made the preview."""
    response = conclusion_preview(editor_client)
    other = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    client.force_login(other)
    assert confirm(client, "conclusion", response).status_code == 302
    assert not Conclusion.objects.filter(order=9).exists()


def stored_names(client):
    entries = client.session.get("reviews_stored_uploads", {}).values()
    return [name for entry in entries for name in entry["names"]]


def still_stored(name):
    """Whether the configured storage (a folder, or Redis) still holds it."""
    storage_class = admin.site._registry[Conclusion].get_tmp_storage_class()
    try:
        return bool(storage_class(name=name, read_mode="rb").read())
    except OSError:
        return False


def test_previews_never_confirmed_are_removed(seed, editor_client, temp_dir, settings):
    """Each new upload removes what expired previews left in storage."""
    conclusion_preview(editor_client)
    left = stored_names(editor_client)
    assert left and all(still_stored(name) for name in left)
    settings.SPREADSHEET_PREVIEW_SECONDS = 0
    conclusion_preview(editor_client)
    assert not any(still_stored(name) for name in left)


def test_a_refused_preview_leaves_no_file(seed, editor_client, temp_dir):
    """A file with errors is not kept anywhere."""
    content = csv_bytes(
        ["snapshot", "order", "text_en", "text_es"], [[SLUG, 9, "", ""]]
    )
    assert preview(editor_client, "conclusion", content).status_code == 400
    assert list(temp_dir.iterdir()) == []


def test_workbook_confirm_with_a_forged_key_touches_no_file(
    seed, editor_client, temp_dir, content_dump
):
    """The workbook's confirm form takes a key, never a name."""
    victim = temp_dir / "victim.xlsx"
    victim.write_bytes(export_workbook(seed))
    before = content_dump()
    response = editor_client.post(
        import_url(seed), {"confirm": "1", "upload": "victim.xlsx"}
    )
    assert response.status_code == 400
    assert victim.exists()
    assert content_dump() == before


def test_process_import_refuses_get(seed, editor_client):
    """The confirm step answers only POST."""
    response = editor_client.get(reverse("admin:reviews_conclusion_process_import"))
    assert response.status_code == 405


def test_workbook_preview_of_an_ods_file_named_xlsx_still_works(seed, editor_client):
    """The workbook's format is read from the file, not from its name."""
    from .spreadsheets import ods_like_libreoffice

    content = ods_like_libreoffice(export_workbook(seed))
    response = editor_client.post(
        import_url(seed), {"workbook": SimpleUploadedFile("book.xlsx", content)}
    )
    assert response.status_code == 200


def test_a_header_with_spaces_does_not_hide_another_snapshots_row(
    seed, other_snapshot, editor_client, content_dump
):
    """ " snapshot " is the snapshot column too, and its rows are checked."""
    content = edit(
        export_workbook(seed), "conclusions", 2, "snapshot", "another-snapshot"
    )
    content = edit(content, "conclusions", 1, "snapshot", " snapshot ")
    before = content_dump()
    response = editor_client.post(import_url(seed), {"workbook": upload(content)})
    assert response.status_code == 400
    assert any(
        "Sheet “conclusions”, row 2 is for the snapshot “another-snapshot”" in message
        for message in response.context["form"].errors["workbook"]
    )
    assert content_dump() == before
