from django.db import models

from reviews.models import CONTENT_PERMISSIONS


class Note(models.Model):
    """An editor's note on a snapshot: a list of its own, like conclusions."""

    snapshot = models.ForeignKey(
        "reviews.Snapshot", models.CASCADE, related_name="notes"
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        default_permissions = CONTENT_PERMISSIONS

    def __str__(self):
        return self.text
