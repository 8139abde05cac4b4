"""
The link that makes an import undoable: which revision (django-reversion)
holds the snapshots as they were just before it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision


class UndoableChange(models.Model):
    """
    A revision that can be undone in one step, an import or the undo of
    one, with the revision of the content it replaced. Kept here rather
    than in the content app: it is the imports' bookkeeping, not content.
    """

    revision = models.OneToOneField(
        Revision,
        on_delete=models.CASCADE,
        related_name="undoable_change",
        verbose_name=_("revision"),
        help_text=_("The revision of the import, or of the undo of one."),
    )
    before = models.ForeignKey(
        Revision,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("revision before"),
        help_text=_(
            "The revision holding the content as it was just before; "
            "undoing the change restores it."
        ),
    )

    class Meta:
        verbose_name = _("undoable change")
        verbose_name_plural = _("undoable changes")
        ordering = ["-revision"]

    def __str__(self):
        return self.revision.get_comment()
