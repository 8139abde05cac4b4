"""
"Start the next snapshot" in the admin: the form, the new issue it opens,
and every refusal, through the pages as a browser posts them.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from reviews.content import CONTENT
from reviews.groups import PUBLISHERS
from reviews.models import Snapshot
from reviews.publishing.content import objects_of
from reviews.publishing.models import Publication

from .admin_forms import field_values
from .conftest import group_member, publish, staff_user

SUGGESTED = "regional-review-latin-america-caribbean-2021-2"


def next_url(snapshot):
    return reverse("admin:reviews_snapshot_next", args=[snapshot.pk])


def change_url(snapshot):
    return reverse("admin:reviews_snapshot_change", args=[snapshot.pk])


def browser(user):
    """A client that, like a browser, sends the CSRF token only with a form."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def trusted(user):
    """A client whose requests pass the CSRF check: what refuses is the view."""
    client = Client()
    client.force_login(user)
    return client


def submit(client, snapshot, **changes):
    """GET the form, then POST it back as rendered, with ``changes`` typed in."""
    response = client.get(next_url(snapshot))
    assert response.status_code == 200
    data = {
        **dict(field_values(response.context["form"])),
        "csrfmiddlewaretoken": str(response.context["csrf_token"]),
        **changes,
    }
    return client.post(next_url(snapshot), data)


def token(client, snapshot):
    return str(client.get(change_url(snapshot)).context["csrf_token"])


@pytest.fixture
def database(content_dump):
    """Everything a refusal must leave as it was: the content and its history."""

    def state():
        return (
            content_dump(),
            Publication.objects.count(),
            Revision.objects.count(),
        )

    return state


def started():
    return Snapshot.objects.exclude(number=1).get()


# Success ----------------------------------------------------------------------


def test_the_form_says_what_will_happen_and_suggests_a_free_slug(seed, editor):
    """The new number, what is copied, that nothing goes public, a free slug."""
    page = browser(editor).get(next_url(seed)).content.decode()
    assert "#2 of Key milestones and progress" in page
    assert "main conclusions" in page and "timeline events" in page
    assert "Nothing of the new snapshot is public until a publisher" in page
    assert f'value="{SUGGESTED}"' in page
    assert "It starts from version 1" in page


def test_the_number_and_slug_offered_come_after_every_snapshot(
    second_issue, seed, editor
):
    """Started again from #1 while #2 exists: #3, at a slug nobody uses."""
    Snapshot.objects.filter(pk=second_issue.pk).update(
        slug="regional-review-latin-america-caribbean-2021-3"
    )
    page = browser(editor).get(next_url(seed)).content.decode()
    assert "#3 of Key milestones and progress" in page
    assert 'value="regional-review-latin-america-caribbean-2021-3-2"' in page


def test_an_editor_starts_the_next_snapshot_and_lands_on_it(seed, editor):
    """The POST opens the new snapshot's page, named, holding the copied content."""
    client = browser(editor)
    response = submit(client, seed, slug="second-look")
    second = Snapshot.objects.get(slug="second-look")
    assert response.status_code == 302
    assert response["Location"] == change_url(second)
    page = client.get(response["Location"])
    text = page.content.decode()
    assert f"“{second}” was started from" in text
    assert "Nothing of it is public until it is published." in text
    assert second.number == 2
    assert seed.conclusions.first().text_en in text
    published = objects_of(seed.publications.get().content)
    assert {
        kind.label: kind.of_snapshot(second).count()
        for kind in CONTENT
        if not kind.shared
    } == {
        kind.label: len(published.get(kind.label, []))
        for kind in CONTENT
        if not kind.shared
    }


def test_the_new_snapshot_is_listed_as_a_draft_nobody_reads(seed, editor):
    """The changelist shows it, never published; its public page is 404."""
    client = browser(editor)
    submit(client, seed, slug="second-look")
    second = Snapshot.objects.get(slug="second-look")
    listing = client.get(reverse("admin:reviews_snapshot_changelist"))
    assert change_url(second) in listing.content.decode()
    assert "Draft, never published" in listing.content.decode()
    assert Client().get(second.get_absolute_url()).status_code == 404


def test_its_history_has_one_revision_started_from_the_publication(seed, editor):
    """One revision, by the editor, "Started from" the version it copied."""
    client = browser(editor)
    submit(client, seed, slug="second-look")
    second = Snapshot.objects.get(slug="second-look")
    revisions = {version.revision for version in Version.objects.get_for_object(second)}
    assert len(revisions) == 1
    (revision,) = revisions
    assert revision.user == editor
    assert revision.get_comment() == f"Started from {seed.publications.get()}"
    history = client.get(reverse("admin:reviews_snapshot_history", args=[second.pk]))
    assert "Started from" in history.content.decode()


def test_a_publisher_may_start_it_as_well(seed, publisher):
    """Publishers hold the editors' rights on the content."""
    response = submit(browser(publisher), seed, slug="second-look")
    assert response.status_code == 302
    assert Snapshot.objects.filter(slug="second-look").exists()


def test_several_publications_are_offered_the_latest_first_and_chosen(
    seed, editor, publisher
):
    """With two versions the editor picks one; the latest is preselected."""
    conclusion = seed.conclusions.first()
    first_text = conclusion.text_en
    conclusion.text_en = "A conclusion only version 2 holds."
    conclusion.save()
    publish(seed, publisher)
    client = browser(editor)
    page = client.get(next_url(seed))
    assert page.context["form"]["publication"].value() == (
        seed.publications.get(number=2).pk
    )
    assert "Version 2, published" in page.content.decode()
    assert "Version 1, published" in page.content.decode()
    first = seed.publications.get(number=1)
    submit(client, seed, slug="from-one", publication=str(first.pk))
    texts = Snapshot.objects.get(slug="from-one").conclusions.values_list(
        "text_en", flat=True
    )
    assert first_text in texts
    assert "A conclusion only version 2 holds." not in texts


def test_a_scheduled_version_is_offered_as_scheduled(seed, editor, publisher):
    """A version not live yet says when it will be, not that it was published."""
    publish(seed, publisher, goes_live_at=timezone.now() + datetime.timedelta(days=3))
    page = browser(editor).get(next_url(seed)).content.decode()
    assert "Version 2, scheduled for" in page
    assert "Version 1, published" in page


def test_the_object_tool_is_shown_to_who_may_use_it(seed, editor, translator):
    """Editors find the link on a published snapshot's page; translators do not."""
    link = f'href="{next_url(seed)}"'
    assert link in browser(editor).get(change_url(seed)).content.decode()
    assert link not in browser(translator).get(change_url(seed)).content.decode()


def test_the_object_tool_is_not_shown_without_a_publication(draft, editor):
    """A snapshot never published has nothing to start from: no link."""
    page = browser(editor).get(change_url(draft)).content.decode()
    assert f'href="{next_url(draft)}"' not in page


# Refusals ---------------------------------------------------------------------


def publisher_without(codename):
    """A publisher's rights but one add permission."""
    user = group_member("partial", PUBLISHERS)
    user.user_permissions.set(
        Permission.objects.filter(group__name=PUBLISHERS).exclude(codename=codename)
    )
    user.groups.clear()
    return user


@pytest.fixture(
    params=["translator", "view_only", "without_add_conclusion", "no_rights"]
)
def refused_user(request, translator):
    if request.param == "translator":
        return translator
    if request.param == "view_only":
        return staff_user(
            "viewer", Permission.objects.filter(codename__startswith="view_")
        )
    if request.param == "without_add_conclusion":
        return publisher_without("add_conclusion")
    return staff_user("visitor")


def test_who_may_not_add_every_kind_is_refused_the_form(seed, refused_user, database):
    """Translators, viewers, a publisher missing one add right: 403, nothing written."""
    before = database()
    client = trusted(refused_user)
    assert client.get(next_url(seed)).status_code == 403
    response = client.post(
        next_url(seed),
        {"slug": "second-look", "publication": seed.publications.get().pk},
    )
    assert response.status_code == 403
    assert database() == before


def test_a_snapshot_never_published_says_what_to_do(draft, editor, database):
    """GET explains it starts from a publication; a POST is refused, 409."""
    before = database()
    client = browser(editor)
    response = client.get(next_url(draft))
    assert response.status_code == 200
    assert "This snapshot has never been published" in response.content.decode()
    assert "<form" not in response.content.decode().split('id="content-main"')[1]
    response = client.post(
        next_url(draft),
        {"slug": "second-look", "csrfmiddlewaretoken": token(client, draft)},
    )
    assert response.status_code == 409
    assert "This snapshot has never been published" in response.content.decode()
    assert database() == before


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("regional-review-latin-america-caribbean-2021", "is used by another"),
        ("Not a slug!", "letters, numbers, underscores or hyphens"),
        ("", "This field is required."),
        ("a" * 101, "at most 100 characters"),
    ],
)
def test_a_slug_that_cannot_be_used_is_a_form_error(
    seed, editor, database, slug, message
):
    """Taken, malformed, empty or too long: the form again, 400, nothing written."""
    before = database()
    response = submit(browser(editor), seed, slug=slug)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "The next snapshot was not started" in response.content.decode()
    assert database() == before


def test_a_slug_published_under_before_is_taken(seed, editor, database):
    """An old public address still leads to its snapshot: not offered again."""
    seed.slug = "renamed"
    seed.save()
    before = database()
    response = submit(
        browser(editor), seed, slug="regional-review-latin-america-caribbean-2021"
    )
    assert response.status_code == 400
    assert "is used by another snapshot" in response.content.decode()
    assert database() == before


def test_a_slug_taken_while_the_form_was_checked_is_a_form_error(
    seed, editor, monkeypatch
):
    """The database's refusal of a taken slug comes back as the form's error."""
    from reviews.editorial.admin.next_issue import NextIssueForm

    client = browser(editor)
    submit(client, seed, slug="second-look")
    count = Snapshot.objects.count()
    # As if the other editor's snapshot was saved after this form was checked.
    monkeypatch.setattr(NextIssueForm, "clean_slug", lambda form: "second-look")
    response = submit(client, seed, slug="second-look")
    assert response.status_code == 400
    assert "“second-look” is used by another snapshot" in response.content.decode()
    assert Snapshot.objects.count() == count


def test_a_number_taken_at_the_same_moment_asks_to_submit_again(
    seed, editor, database, monkeypatch
):
    """Two issues numbered alike at once: the second is told to submit again."""
    before = database()
    monkeypatch.setattr("reviews.publishing.next_issue.next_free_number", lambda: 1)
    response = submit(browser(editor), seed, slug="second-look")
    assert response.status_code == 400
    assert "submit the form again" in response.content.decode()
    assert database() == before


def test_a_double_submit_starts_one_snapshot(seed, editor):
    """The same form posted twice: one new snapshot; the second is told why not."""
    client = browser(editor)
    form = client.get(next_url(seed))
    data = {
        **dict(field_values(form.context["form"])),
        "csrfmiddlewaretoken": str(form.context["csrf_token"]),
    }
    assert client.post(next_url(seed), data).status_code == 302
    again = client.post(next_url(seed), data)
    assert again.status_code == 400
    assert "is used by another snapshot" in again.content.decode()
    assert Snapshot.objects.count() == 2


@pytest.mark.parametrize("publication", ["other", "999999", "abc", str(2**70)])
def test_a_tampered_publication_is_refused(
    second_issue, seed, editor, database, publication
):
    """Another snapshot's version, or none at all: 400, nothing written."""
    if publication == "other":
        publication = str(second_issue.publications.get().pk)
    before = database()
    response = submit(browser(editor), seed, slug="third-look", publication=publication)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert database() == before


def test_a_missing_snapshot_is_404(db, editor):
    """No snapshot under that id: 404."""
    client = browser(editor)
    assert (
        client.get(reverse("admin:reviews_snapshot_next", args=[999])).status_code
        == 404
    )


def test_the_form_needs_its_csrf_token(seed, editor, database):
    """A POST without the form's token is refused, nothing written."""
    before = database()
    response = browser(editor).post(
        next_url(seed),
        {"slug": "second-look", "publication": seed.publications.get().pk},
    )
    assert response.status_code == 403
    assert database() == before


def test_showing_the_form_writes_nothing(seed, editor, database):
    """GET never writes: the content and its history are as they were."""
    before = database()
    assert browser(editor).get(next_url(seed)).status_code == 200
    assert database() == before


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(seed, editor, database, method):
    """PUT, DELETE and PATCH answer 405."""
    before = database()
    response = getattr(trusted(editor), method)(next_url(seed))
    assert response.status_code == 405
    assert database() == before
