"""Imports audited (django-reversion) and a workbook import undone in one step."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from reviews.editorial.admin import workbook
from reviews.models import Conclusion, Snapshot, StakeholderCount, StakeholderGroup
from reviews.spreadsheets.workbook import export_workbook

from .conftest import staff_user
from .spreadsheets import (
    confirm,
    csv_bytes,
    edit,
    import_url,
    preview,
    workbook_confirm,
    workbook_preview,
)

SLUG = "regional-review-latin-america-caribbean-2021"


def translated_and_extended(seed):
    """The seed's workbook with one Spanish text changed and a conclusion added."""
    content = edit(export_workbook(seed), "conclusions", 2, "text_es", "Nuevo.")
    for column, value in [
        ("snapshot", SLUG),
        ("order", 9),
        ("text_en", "Added."),
        ("text_es", "Añadida."),
    ]:
        content = edit(content, "conclusions", 7, column, value)
    return content


@pytest.fixture
def imported(seed, editor_client):
    """The seed after a confirmed workbook import; returns the old Spanish text."""
    old = Conclusion.objects.get(order=1).text_es
    response = workbook_preview(editor_client, seed, translated_and_extended(seed))
    assert workbook_confirm(editor_client, seed, response).status_code == 302
    return old


def test_a_workbook_import_is_one_revision_of_the_whole_snapshot(
    seed, editor, imported
):
    """The revision names the file, the user and the counts, and holds everything."""
    revision = Revision.objects.order_by("-pk").first()
    assert revision.user == editor
    assert revision.get_comment() == (
        "Workbook import of snapshot.xlsx by editor: 1 updated, 1 new"
    )
    models = {v.content_type.model for v in revision.version_set.all()}
    assert {"snapshot", "conclusion", "meeting", "person", "stakeholdercount"} <= models
    assert (
        Version.objects.get_for_object(Conclusion.objects.get(order=9)).first().revision
        == revision
    )


def test_a_workbook_import_names_the_revision_of_its_before_state(seed, imported):
    """The import's revision links to the one holding the snapshot as it was."""
    revision = Revision.objects.order_by("-pk").first()
    change = revision.undoable_change
    assert change.before.get_comment() == "Before the import of snapshot.xlsx"
    assert str(change) == revision.get_comment()


def test_a_changelist_import_is_one_revision(seed, editor, editor_client):
    """A confirmed per-model import is recorded with its file and counts."""
    content = csv_bytes(
        ["snapshot", "order", "text_en", "text_es"], [[SLUG, 9, "New", "Nueva"]]
    )
    confirm(editor_client, "conclusion", preview(editor_client, "conclusion", content))
    revision = Revision.objects.order_by("-pk").first()
    assert revision.get_comment() == "Import of upload.csv by editor: 0 updated, 1 new"
    assert revision.user == editor
    assert Version.objects.get_for_object(Conclusion.objects.get(order=9)).exists()


def test_the_command_line_import_is_a_revision(seed, tmp_path):
    """import_snapshot records its import too, without a user."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(edit(export_workbook(seed), "conclusions", 2, "text_es", "X."))
    call_command("import_snapshot", str(path), stdout=io.StringIO())
    revision = Revision.objects.order_by("-pk").first()
    assert revision.get_comment() == (
        "Workbook import of book.xlsx by the command line: 1 updated, 0 new"
    )


def undo(client, snapshot, revision=None):
    revision = revision or Revision.objects.order_by("-pk").first()
    return client.post(import_url(snapshot), {"undo": "1", "revision": revision.pk})


def test_undo_brings_back_the_content_before_the_import(
    seed, editor_client, imported, content_dump
):
    """One click restores the old text and removes the added conclusion."""
    page = editor_client.get(import_url(seed)).content.decode()
    assert "Workbook import of snapshot.xlsx by editor" in page
    response = undo(editor_client, seed)
    assert response.status_code == 302
    assert Conclusion.objects.get(order=1).text_es == imported
    assert not Conclusion.objects.filter(order=9).exists()
    assert (
        Revision.objects.order_by("-pk")
        .first()
        .get_comment()
        .startswith("Undo of “Workbook import of snapshot.xlsx")
    )


def test_undo_restores_the_import_s_before_state_past_another_editor_s_revision(
    seed, editor_client, monkeypatch
):
    """A revision saved between the import's before-state and the import is skipped."""
    texts = list(Conclusion.objects.order_by("order").values_list("order", "text_es"))
    real_import = workbook.import_workbook

    def another_editor_saves_first(*args, **kwargs):
        # Committed while this import runs, so its revision takes the next id.
        Revision.objects.create(date_created=timezone.now(), comment="Elsewhere")
        return real_import(*args, **kwargs)

    monkeypatch.setattr(workbook, "import_workbook", another_editor_saves_first)
    response = workbook_preview(editor_client, seed, translated_and_extended(seed))
    assert workbook_confirm(editor_client, seed, response).status_code == 302
    assert undo(editor_client, seed).status_code == 302
    assert (
        list(Conclusion.objects.order_by("order").values_list("order", "text_es"))
        == texts
    )


def test_an_undo_can_itself_be_undone(seed, editor_client, imported):
    """Undoing the undo brings the import's content back."""
    assert undo(editor_client, seed).status_code == 302
    assert not Conclusion.objects.filter(order=9).exists()
    assert undo(editor_client, seed).status_code == 302
    assert Conclusion.objects.get(order=9).text_en == "Added."
    assert Conclusion.objects.get(order=1).text_es == "Nuevo."


def test_undo_removes_a_group_the_import_created_but_not_shared_ones(
    seed, editor_client
):
    """A group added with its count goes; groups counted elsewhere stay."""
    content = export_workbook(seed)
    for sheet, values in [
        (
            "stakeholder_groups",
            [("slug", "new-group"), ("name_en", "N"), ("name_es", "N")],
        ),
        (
            "stakeholder_counts",
            [("snapshot", SLUG), ("group", "new-group"), ("order", 30), ("count", 2)],
        ),
    ]:
        row = 2 + (
            StakeholderGroup.objects.count()
            if sheet == "stakeholder_groups"
            else StakeholderCount.objects.count()
        )
        for column, value in values:
            content = edit(content, sheet, row, column, value)
    groups = StakeholderGroup.objects.count()
    response = workbook_preview(editor_client, seed, content)
    workbook_confirm(editor_client, seed, response)
    assert StakeholderGroup.objects.count() == groups + 1
    undo(editor_client, seed)
    assert StakeholderGroup.objects.count() == groups
    assert not StakeholderCount.objects.filter(group__slug="new-group").exists()


def test_undo_refuses_get(seed, editor_client, imported):
    """A GET shows the page; only a POST undoes."""
    editor_client.get(import_url(seed), {"undo": "1"})
    assert Conclusion.objects.filter(order=9).exists()


@pytest.fixture
def staff_who_may_not_delete(db):
    """Staff with every right on the content but deleting it."""
    return staff_user(
        "importer",
        Permission.objects.filter(content_type__app_label="reviews").exclude(
            codename__startswith="delete_"
        ),
    )


def test_undo_needs_every_content_permission(
    seed, editor_client, imported, client, staff_who_may_not_delete
):
    """Staff who may import but not delete content cannot undo."""
    client.force_login(staff_who_may_not_delete)
    assert "Undo this change" not in client.get(import_url(seed)).content.decode()
    assert undo(client, seed).status_code == 403
    assert Conclusion.objects.filter(order=9).exists()


def test_undo_is_refused_once_the_snapshot_changed_again(
    seed, editor_client, imported, content_dump
):
    """An edit after the import makes the undo stale: nothing is changed."""
    revision = Revision.objects.order_by("-pk").first()
    conclusion = Conclusion.objects.get(order=2)
    conclusion.text_en = "Edited after the import."
    conclusion.save()
    before = content_dump()
    response = undo(editor_client, seed, revision)
    assert response.status_code == 400
    assert "can no longer be undone" in response.content.decode()
    assert content_dump() == before


def test_undo_of_another_revision_than_the_last_is_refused(
    seed, editor_client, imported, content_dump
):
    """A tampered or outdated revision number undoes nothing."""
    before = content_dump()
    first = Revision.objects.order_by("pk").first()
    response = undo(editor_client, seed, first)
    assert response.status_code == 400
    assert content_dump() == before


def test_undo_without_csrf_token_is_refused(seed, editor, imported):
    """The undo form needs its CSRF token."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    revision = Revision.objects.order_by("-pk").first()
    response = client.post(import_url(seed), {"undo": "1", "revision": revision.pk})
    assert response.status_code == 403
    assert Conclusion.objects.filter(order=9).exists()


def test_undo_of_a_missing_snapshot_is_404(db, editor_client):
    """Undo on a snapshot that does not exist answers 404."""
    url = reverse("admin:reviews_snapshot_workbook_import", args=[999])
    assert editor_client.post(url, {"undo": "1", "revision": 1}).status_code == 404
    assert not Snapshot.objects.exists()


def test_the_snapshot_page_offers_the_undo_only_to_who_may_undo(
    seed, editor_client, imported, client, staff_who_may_not_delete
):
    """Right after an import its page links to the undo; not for staff who may not."""
    change_url = reverse("admin:reviews_snapshot_change", args=[seed.pk])
    page = editor_client.get(change_url).content.decode()
    assert "Undo the last change" in page
    assert f"{import_url(seed)}#undo" in page
    client.force_login(staff_who_may_not_delete)
    assert "Undo the last change" not in client.get(change_url).content.decode()


@pytest.mark.parametrize(
    "missing", ["add_conclusion", "change_person", "delete_stakeholdercount"]
)
def test_undo_without_any_one_right_it_uses_is_refused(
    seed, imported, client, missing, content_dump
):
    """Lacking one add, change or delete right on one kind: 403, nothing undone."""
    client.force_login(
        staff_user(
            "almost",
            Permission.objects.filter(content_type__app_label="reviews").exclude(
                codename=missing
            ),
        )
    )
    before = content_dump()
    assert undo(client, seed).status_code == 403
    assert content_dump() == before
