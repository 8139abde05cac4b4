"""
Recovering a row whose parent was deleted since (a stakeholder count whose
group nobody counts any more): refused with a message, nothing written.
"""

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from reviews.models import StakeholderCount, StakeholderGroup

from .admin_forms import submitted


@pytest.fixture
def orphaned_count(seed, editor_client):
    """A count deleted, then its group, each with a version to recover."""
    call_command("createinitialrevisions", comment="Seed content", verbosity=0)
    count = StakeholderCount.objects.filter(snapshot=seed).order_by("order")[0]
    for url in (
        reverse("admin:reviews_stakeholdercount_delete", args=[count.pk]),
        reverse("admin:reviews_stakeholdergroup_delete", args=[count.group.pk]),
    ):
        assert editor_client.post(url, {"post": "yes"}).status_code == 302
    [version] = Version.objects.get_deleted(StakeholderCount)
    return version


def refusal(response):
    """The messages the next page shows, the deletions' before the refusal."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def recover_url(version):
    return reverse("admin:reviews_stakeholdercount_recover", args=[version.pk])


def test_the_recover_page_says_its_group_was_deleted(
    orphaned_count, editor_client, content_dump
):
    """The page sends the editor back to the list, saying what is missing."""
    before = content_dump()
    response = editor_client.get(recover_url(orphaned_count))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reviews_stakeholdercount_changelist")
    assert (
        f"{orphaned_count.object_repr}, whose stakeholder group was deleted"
        in refusal(response)[-1]
    )
    assert content_dump() == before


def test_a_recover_posted_anyway_writes_nothing(
    orphaned_count, editor_client, content_dump
):
    """A form posted from an earlier page is refused the same way."""
    url = recover_url(orphaned_count)
    before = content_dump()
    response = editor_client.post(url, {"count": "228", "order": "1", "_save": "Save"})
    assert response.status_code == 302
    assert "whose stakeholder group was deleted" in refusal(response)[-1]
    assert content_dump() == before


def test_once_its_group_is_recovered_the_count_is_too(orphaned_count, editor_client):
    """Recovering the group first, then the count, brings both back."""
    [group_version] = Version.objects.get_deleted(StakeholderGroup)
    for url in (
        reverse("admin:reviews_stakeholdergroup_recover", args=[group_version.pk]),
        recover_url(orphaned_count),
    ):
        page = editor_client.get(url)
        assert editor_client.post(url, submitted(page)).status_code == 302
    count = StakeholderCount.objects.get(pk=orphaned_count.object_id)
    assert str(count) == orphaned_count.object_repr
