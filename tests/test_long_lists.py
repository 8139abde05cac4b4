"""Big snapshots still fit their admin pages: long lists move to their own."""

import pytest
from django.urls import reverse

from reviews.models import StakeholderCount, StakeholderGroup

from .admin_forms import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def thousands_of_counts(seed):
    groups = StakeholderGroup.objects.bulk_create(
        StakeholderGroup(slug=f"group-{n}", name_en=f"G{n}", name_es=f"G{n}")
        for n in range(3000)
    )
    StakeholderCount.objects.bulk_create(
        StakeholderCount(snapshot=seed, group=group, order=20 + n % 9000, count=n)
        for n, group in enumerate(groups)
    )
    return seed


def test_a_snapshot_with_3000_counts_opens_small_and_saves(
    thousands_of_counts, editor_client
):
    """The counts are a link to their list; the page is small and can be saved."""
    seed = thousands_of_counts
    url = reverse("admin:reviews_snapshot_change", args=[seed.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert len(page.content) < 300_000
    counts_url = reverse("admin:reviews_stakeholdercount_changelist")
    assert f"{counts_url}?snapshot={seed.pk}" in page.content.decode()
    assert "3012" in page.content.decode()
    data = submitted(page)
    assert len(data) < 1000  # Django's DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = editor_client.post(url, {**data, "title_es": "Nuevo título"})
    assert response.status_code == 302
    seed.refresh_from_db()
    assert seed.title_es == "Nuevo título"


def test_the_long_list_is_paginated_and_filtered(thousands_of_counts, editor_client):
    """The link opens the snapshot's counts, a page at a time, editable."""
    seed = thousands_of_counts
    url = reverse("admin:reviews_stakeholdercount_changelist")
    page = editor_client.get(url, {"snapshot": seed.pk})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 3012
    assert len(page.context["cl"].result_list) == 100


def test_a_short_list_stays_inline(seed, editor_client):
    """The seed's twelve counts are edited on the snapshot's page as before."""
    page = editor_client.get(reverse("admin:reviews_snapshot_change", args=[seed.pk]))
    assert 'name="stakeholder_counts-TOTAL_FORMS"' in page.content.decode()
