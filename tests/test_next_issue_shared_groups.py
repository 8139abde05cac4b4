"""
The next snapshot counts the stakeholder groups its publication counted,
which every snapshot shares, even those the working copies dropped since.
"""

from django.test import Client
from django.urls import reverse

from reviews.models import Snapshot, StakeholderCount, StakeholderGroup

from .admin_forms import field_values


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def start_next(client, snapshot):
    """GET the "Start the next snapshot" form, then POST it back as rendered."""
    url = reverse("admin:reviews_snapshot_next", args=[snapshot.pk])
    return client.post(url, dict(field_values(client.get(url).context["form"])))


def dropped_group(client, snapshot):
    """
    A group the publication counts, removed from the working copy's counts
    and then deleted on its admin page, as no snapshot counts it any more.
    """
    count = StakeholderCount.objects.filter(snapshot=snapshot).order_by("order")[0]
    group = count.group
    for url in (
        reverse("admin:reviews_stakeholdercount_delete", args=[count.pk]),
        reverse("admin:reviews_stakeholdergroup_delete", args=[group.pk]),
    ):
        assert client.post(url, {"post": "yes"}).status_code == 302
    return group, count.count


def test_a_group_deleted_since_the_publication_is_counted_by_the_next_snapshot(
    seed, editor
):
    """#2 starts with every count #1 published, its group brought back."""
    client = signed_in(editor)
    group, number = dropped_group(client, seed)
    response = start_next(client, seed)
    assert response.status_code == 302
    second = Snapshot.objects.get(number=2)
    assert StakeholderCount.objects.filter(
        snapshot=second, group__slug=group.slug
    ).values_list("count", flat=True)[0] == (number)
    assert StakeholderGroup.objects.get(slug=group.slug).name_en == group.name_en


def test_a_group_recreated_under_its_slug_is_the_one_the_next_snapshot_counts(
    seed, editor
):
    """A group typed in again since (same slug, new row) is counted, not doubled."""
    client = signed_in(editor)
    group, _number = dropped_group(client, seed)
    again = StakeholderGroup.objects.create(
        slug=group.slug, name_en="Typed in again", name_es="Escrito de nuevo"
    )
    assert start_next(client, seed).status_code == 302
    second = Snapshot.objects.get(number=2)
    assert StakeholderCount.objects.get(snapshot=second, group=again)
    assert StakeholderGroup.objects.filter(slug=group.slug).count() == 1
