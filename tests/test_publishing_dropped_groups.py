"""
Publishing after an editor dropped a stakeholder count and deleted its
group, which no snapshot counts any more: the pages compare from the
publications themselves, never from rows that are gone.
"""

from django.urls import reverse

from reviews.models import StakeholderCount

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
