"""
Upgrading a site that published snapshots with a status field: what it
showed before the upgrade, it shows after, as each snapshot's version 1.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

BEFORE = [("reviews", "0005_updated_at_on_every_change"), ("publishing", None)]


def snapshot_before_the_upgrade(apps, slug, number, status):
    Snapshot = apps.get_model("reviews", "Snapshot")
    Meeting = apps.get_model("reviews", "Meeting")
    Conclusion = apps.get_model("reviews", "Conclusion")
    snapshot = Snapshot.objects.create(
        series="Key milestones and progress",
        series_en="Key milestones and progress",
        series_es="Hitos clave y avances",
        number=number,
        title=f"Issue {number}",
        title_en=f"Issue {number}",
        title_es=f"Número {number}",
        slug=slug,
        status=status,
    )
    texts = {
        f"{name}_{code}": f"{name} {code}"
        for name in ("name", "organisers", "overview", "next_step")
        for code in ("en", "es")
    }
    Meeting.objects.create(
        snapshot=snapshot,
        start_date=datetime.date(2021, 4, 26),
        end_date=datetime.date(2021, 4, 28),
        member_states=28,
        associate_members=8,
        next_step_year=2022,
        **{
            f"{name}_{code}": f"https://example.org/{code}"
            for name in ("website", "recordings_url")
            for code in ("en", "es")
        },
        **{
            f"{name}_{code}": "x"
            for name in ("recordings_note", "recordings_link_text")
            for code in ("en", "es")
        },
        **texts,
    )
    Conclusion.objects.create(
        snapshot=snapshot,
        order=1,
        text_en="Said before the upgrade.",
        text_es="Dicho antes.",
    )


@pytest.mark.django_db(transaction=True)
def test_published_snapshots_keep_their_public_page_through_the_upgrade():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE[:1]).apps
    snapshot_before_the_upgrade(apps, "published-one", 1, "published")
    snapshot_before_the_upgrade(apps, "draft-one", 2, "draft")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from reviews.publishing.models import Publication

    [publication] = Publication.objects.all()
    assert (publication.slug, publication.number) == ("published-one", 1)
    reader = Client()
    page = reader.get("/en/snapshots/published-one/")
    assert page.status_code == 200
    assert b"Said before the upgrade." in page.content
    assert b"Issue 1" in reader.get("/en/").content
    assert reader.get("/en/snapshots/draft-one/").status_code == 404
