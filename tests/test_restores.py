"""Restores and recoveries change what they name, shown first, with the rights."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from reviews.models import Conclusion, MeetingDay, Person, RoundTable

from .admin_forms import submitted
from .conftest import staff_user
from .test_history import edit

pytestmark = pytest.mark.django_db


@pytest.fixture
def versioned(seed):
    """The seed as `make run` leaves it: with a first version of everything."""
    call_command("createinitialrevisions", comment="Seed content", verbosity=0)
    return seed


def restore_url(obj, version, **query):
    url = reverse(
        f"admin:reviews_{obj._meta.model_name}_revision", args=[obj.pk, version.pk]
    )
    parts = "&".join(f"parts={name}" for name in query.get("parts", ()))
    return f"{url}?{parts}" if parts else url


def first_version(obj):
    return Version.objects.get_for_object(obj).last()


def later_edits(client, snapshot):
    """A new title, a reworded conclusion and a day deleted, in separate saves."""
    edit(client, snapshot, title_en="A later title")
    url = reverse("admin:reviews_snapshot_change", args=[snapshot.pk])
    data = submitted(client.get(url))
    data["conclusions-0-text_en"] = "A later conclusion"
    assert client.post(url, data).status_code == 302
    day = MeetingDay.objects.order_by("date").last()
    delete = reverse("admin:reviews_meetingday_delete", args=[day.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    return day


def test_restoring_a_snapshot_changes_none_of_its_parts_unless_asked(
    versioned, editor_client
):
    """The snapshot's own title comes back; conclusions, days stay as they are."""
    gone_day = later_edits(editor_client, versioned)
    version = first_version(versioned)
    page = editor_client.get(restore_url(versioned, version))
    assert page.status_code == 200
    [entry] = page.context["preview"]
    assert [str(change["label"]) for change in entry["changes"]] == ["title [en]"]
    response = editor_client.post(restore_url(versioned, version), submitted(page))
    assert response.status_code == 302
    versioned.refresh_from_db()
    assert versioned.title_en != "A later title"
    assert Conclusion.objects.filter(text_en="A later conclusion").exists()
    assert not MeetingDay.objects.filter(pk=gone_day.pk).exists()


def test_restoring_ticked_parts_shows_and_restores_only_them(versioned, editor_client):
    """Ticking the conclusions previews their change and restores them, not the rest."""
    later_edits(editor_client, versioned)
    version = first_version(versioned)
    url = restore_url(versioned, version, parts=["conclusions"])
    page = editor_client.get(url)
    assert {part["name"]: part["ticked"] for part in page.context["parts"]}[
        "conclusions"
    ]
    changed = {entry["object"] for entry in page.context["preview"]}
    assert any(name.startswith("1. ") for name in changed)
    response = editor_client.post(url, submitted(page), follow=True)
    assert response.redirect_chain
    assert not Conclusion.objects.filter(text_en="A later conclusion").exists()
    versioned.refresh_from_db()
    assert versioned.title_en != "A later title"
    messages = [str(m) for m in response.context["messages"]]
    # The snapshot's title and the first conclusion's text.
    assert any(m.startswith("Restored “") and "2 changed," in m for m in messages)


def test_recovering_a_conclusion_leaves_other_editors_later_edits_alone(
    versioned, editor_client
):
    """Only the deleted conclusion comes back; a later edit and deletion stay."""
    gone = Conclusion.objects.get(order=2)
    delete = reverse("admin:reviews_conclusion_delete", args=[gone.pk])
    editor_client.post(delete, {"post": "yes"})
    person = Person.objects.first()
    edit(editor_client, person, title_en="A later title")
    deliberate = Conclusion.objects.get(order=4)
    delete = reverse("admin:reviews_conclusion_delete", args=[deliberate.pk])
    editor_client.post(delete, {"post": "yes"})
    [version] = Version.objects.get_deleted(Conclusion).filter(object_id=gone.pk)
    url = reverse("admin:reviews_conclusion_recover", args=[version.pk])
    page = editor_client.get(url)
    assert [entry["action"] for entry in page.context["preview"]] == ["add"]
    assert editor_client.post(url, submitted(page)).status_code == 302
    assert Conclusion.objects.filter(pk=gone.pk).exists()
    assert not Conclusion.objects.filter(pk=deliberate.pk).exists()
    person.refresh_from_db()
    assert person.title_en == "A later title"


def test_recovering_a_day_brings_back_its_round_tables(versioned, editor_client):
    """The parts deleted with the day come back with it."""
    day = MeetingDay.objects.filter(round_tables__isnull=False).first()
    tables = set(day.round_tables.values_list("pk", flat=True))
    delete = reverse("admin:reviews_meetingday_delete", args=[day.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 302
    [version] = Version.objects.get_deleted(MeetingDay).filter(object_id=day.pk)
    url = reverse("admin:reviews_meetingday_recover", args=[version.pk])
    page = editor_client.get(url)
    assert len(page.context["preview"]) == 1 + len(tables)
    assert editor_client.post(url, submitted(page)).status_code == 302
    assert set(RoundTable.objects.filter(day=day.pk).values_list("pk", flat=True)) == (
        tables
    )


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def rights(*codenames):
    return Permission.objects.filter(
        content_type__app_label="reviews", codename__in=codenames
    )


ALL_VIEW = [f"view_{name}" for name in ("snapshot", "conclusion", "meetingday")]


@pytest.mark.parametrize(
    ("codenames", "parts"),
    [
        # May only look at the snapshot.
        (ALL_VIEW, []),
        # May change the snapshot, but not the conclusions it would restore.
        ([*ALL_VIEW, "change_snapshot"], ["conclusions"]),
        # May change snapshot and conclusions, not add them back.
        ([*ALL_VIEW, "change_snapshot", "change_conclusion"], ["conclusions"]),
    ],
)
def test_a_restore_without_the_rights_it_needs_is_refused(
    versioned, editor_client, codenames, parts, content_dump
):
    """403, and nothing written, for each right missing."""
    later_edits(editor_client, versioned)
    Conclusion.objects.create(snapshot=versioned, order=40, text_en="N", text_es="N")
    client = signed_in(staff_user("partial", rights(*codenames)))
    url = restore_url(versioned, first_version(versioned), parts=parts)
    before = content_dump()
    page = editor_client.get(url)
    assert client.get(url).status_code == 403
    assert client.post(url, submitted(page)).status_code == 403
    assert content_dump() == before


def test_a_version_of_another_kind_is_refused_through_this_kinds_address(
    versioned, editor_client, content_dump
):
    """A conclusion's version opened as the snapshot's: 403, nothing written."""
    conclusion = Conclusion.objects.get(pk=versioned.pk)
    version = first_version(conclusion)
    url = reverse("admin:reviews_snapshot_revision", args=[versioned.pk, version.pk])
    before = content_dump()
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"_save": "Save"}).status_code == 403
    url = reverse("admin:reviews_snapshot_recover", args=[version.pk])
    assert editor_client.post(url, {"_save": "Save"}).status_code == 403
    assert content_dump() == before


@pytest.mark.parametrize(
    "codenames",
    [
        # May change days but not add one back.
        ["view_meetingday", "change_meetingday", "add_roundtable"],
        # May add the day back, not its round tables.
        ["view_meetingday", "change_meetingday", "add_meetingday"],
    ],
)
def test_a_recovery_without_the_rights_it_needs_is_refused(
    versioned, editor_client, codenames, content_dump
):
    """Bringing back a day and its round tables needs adding both: else 403."""
    day = MeetingDay.objects.filter(round_tables__isnull=False).first()
    editor_client.post(
        reverse("admin:reviews_meetingday_delete", args=[day.pk]), {"post": "yes"}
    )
    [version] = Version.objects.get_deleted(MeetingDay).filter(object_id=day.pk)
    url = reverse("admin:reviews_meetingday_recover", args=[version.pk])
    page = editor_client.get(url)
    client = signed_in(staff_user("partial", rights(*codenames)))
    before = content_dump()
    assert client.get(url).status_code == 403
    assert client.post(url, submitted(page)).status_code == 403
    assert content_dump() == before
