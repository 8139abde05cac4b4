"""
Publishing after an editor dropped a stakeholder count and deleted its
group, which no snapshot counts any more: the pages compare from the
publications themselves, never from rows that are gone.
"""

from django.urls import reverse

from reviews.models import StakeholderCount, StakeholderGroup

from .admin_forms import publish_through_admin


def dropped_count(client, snapshot):
    """The first count deleted, then its group, each on its admin page."""
    count = StakeholderCount.objects.filter(snapshot=snapshot).order_by("order")[0]
    for url in (
        reverse("admin:reviews_stakeholdercount_delete", args=[count.pk]),
        reverse("admin:reviews_stakeholdergroup_delete", args=[count.group.pk]),
    ):
        assert client.post(url, {"post": "yes"}).status_code == 302
    return count


def test_the_publish_page_lists_the_dropped_count_by_its_group(seed, publisher_client):
    """The compare names the removed count as the publication had it."""
    count = dropped_count(publisher_client, seed)
    response = publisher_client.get(
        reverse("admin:reviews_snapshot_publish", args=[seed.pk])
    )
    assert response.status_code == 200
    assert f"“{count.group.name_en}: {count.count}”" in response.content.decode()


def test_the_working_copy_without_the_group_is_published(seed, publisher_client):
    """The publisher publishes the working copy that no longer counts it."""
    dropped_count(publisher_client, seed)
    assert publish_through_admin(publisher_client, seed).status_code == 302
    assert seed.publications.count() == 2


def test_the_copy_page_lists_the_count_coming_back(seed, publisher_client):
    """Copying version 1 back shows the count it brings back, by its group."""
    count = dropped_count(publisher_client, seed)
    response = publisher_client.get(
        reverse("admin:reviews_snapshot_copy", args=[seed.pk, 1])
    )
    assert response.status_code == 200
    assert f"“{count.group.name_en}: {count.count}”" in response.content.decode()


def copied(client, snapshot, number=1):
    response = client.post(
        reverse("admin:reviews_snapshot_copy", args=[snapshot.pk, number])
    )
    assert response.status_code == 302
    return response


def test_copying_back_counts_the_deleted_group_again(seed, publisher_client):
    """Version 1 copied back brings the count and its group back as published."""
    count = dropped_count(publisher_client, seed)
    copied(publisher_client, seed)
    again = StakeholderCount.objects.get(snapshot=seed, group__slug=count.group.slug)
    assert (again.count, again.group.name_en) == (count.count, count.group.name_en)


def test_copying_back_counts_the_group_typed_in_again_under_its_slug(
    seed, publisher_client
):
    """A group made again since with the same slug is the one counted, not doubled."""
    count = dropped_count(publisher_client, seed)
    typed_again = StakeholderGroup.objects.create(
        slug=count.group.slug, name_en="Typed in again", name_es="Escrito de nuevo"
    )
    copied(publisher_client, seed)
    assert StakeholderCount.objects.get(snapshot=seed, group=typed_again).count == (
        count.count
    )
    assert StakeholderGroup.objects.filter(slug=count.group.slug).count() == 1
