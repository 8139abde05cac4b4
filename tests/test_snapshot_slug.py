"""
A snapshot's slug on its admin page: never one another snapshot was
published under, whose old address still leads readers there and whose
files name it.
"""

from django.urls import reverse

from reviews.models import Snapshot

from .admin_forms import submitted
from .spreadsheets import csv_bytes, messages_of, preview


def renamed(client, snapshot, slug):
    url = reverse("admin:reviews_snapshot_change", args=[snapshot.pk])
    return client.post(url, {**submitted(client.get(url)), "slug": slug})


def test_a_slug_another_snapshot_was_published_under_is_refused(
    seed, second_issue, editor_client
):
    """#2, published as "second-look", keeps that slug once it moved on."""
    old = second_issue.slug
    assert renamed(editor_client, second_issue, "second-look-renamed").status_code == (
        302
    )
    response = renamed(editor_client, seed, old)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        f"The slug “{old}” is used by another snapshot: choose another."
    ]
    assert Snapshot.objects.get(pk=seed.pk).slug == seed.slug


def test_a_snapshot_takes_back_a_slug_it_was_published_under(
    seed, second_issue, editor_client
):
    """Renaming #2 back to the slug it was published under is its own choice."""
    old = second_issue.slug
    renamed(editor_client, second_issue, "second-look-renamed")
    assert renamed(editor_client, second_issue, old).status_code == 302
    assert Snapshot.objects.get(pk=second_issue.pk).slug == old


def test_an_import_cannot_make_a_snapshot_at_an_old_published_slug(
    seed, second_issue, editor_client, content_dump
):
    """The snapshots' own import refuses a new row at #2's old slug, naming it."""
    old = second_issue.slug
    renamed(editor_client, second_issue, "second-look-renamed")
    before = content_dump()
    row = {
        "slug": old,
        "series_en": "Series",
        "series_es": "Serie",
        "number": 7,
        "title_en": "Title",
        "title_es": "Título",
        "publisher_en": "",
        "licence_name_en": "",
        "licence_url": "",
    }
    response = preview(
        editor_client, "snapshot", csv_bytes(list(row), [list(row.values())])
    )
    assert response.status_code == 400
    assert (
        f"Row 2, column “slug”: The slug “{old}” is used by another snapshot: "
        "choose another." in messages_of(response)
    )
    assert content_dump() == before
