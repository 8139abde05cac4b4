"""
Snapshots published before publications existed (``status = "published"``)
get their first publication, of their content as it is, live since their
last change: the public site shows what it showed before the upgrade.
"""

import contextlib

from django.db import migrations

from reviews.content import CONTENT
from reviews.publishing.content import serialise


def first_publications(apps, schema_editor):
    Snapshot = apps.get_model("reviews", "Snapshot")
    Publication = apps.get_model("publishing", "Publication")
    # A kind of content a later migration adds has nothing to publish yet.
    models = {}
    for kind in CONTENT:
        with contextlib.suppress(LookupError):
            models[kind.label] = apps.get_model(kind.label)
    for snapshot in Snapshot.objects.filter(status="published"):
        Publication.objects.create(
            snapshot=snapshot,
            number=1,
            slug=snapshot.slug,
            content=serialise(snapshot, models),
            publisher_name="",
            goes_live_at=snapshot.updated_at,
        )


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial")]

    operations = [migrations.RunPython(first_publications, migrations.RunPython.noop)]
