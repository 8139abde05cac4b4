"""
What a translation was made from.

For each translated text of each object and each target language, a
``TranslationRecord`` keeps what the source language said when the
translation was last saved, or last confirmed as still correct. Comparing it
with what the source says now tells a stale translation from a current one
(``reviews.translations.status``). Records are written by the models' own
save signals (``records``), so every entry point keeps them: the admin and
its inlines, the workbook and every import, a restore, a publication copied
back, code.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TranslationRecord(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    #: The translated field's own name (``overview``), not a language's column.
    field = models.CharField(max_length=100)
    language = models.CharField(max_length=15)
    #: The source language's text the translation says the same as.
    source = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    #: Marked "still correct" without being edited.
    confirmed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("translation record")
        verbose_name_plural = _("translation records")
        # The translate_<language> permissions are made per language of the
        # settings on every migrate (reviews.groups), not declared here.
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="one_translation_record_per_text",
            )
        ]

    def __str__(self):
        return (
            f"{self.content_type.model} {self.object_id} {self.field} [{self.language}]"
        )
