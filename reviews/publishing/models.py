"""
Publications: what the public site shows of a snapshot.

Editors change a snapshot's content (the *working copy*) freely; none of it
is public. Publishing makes a ``Publication``: the whole snapshot in every
language, serialised through the content map into one row
(``reviews.publishing.content``), numbered per snapshot, never changed
afterwards. The public page, the downloads, the share image, the JSON-LD,
the sitemap and the citation are all built from the current publication:
the latest of a snapshot whose go-live time has passed, unless the snapshot
was unpublished after it went live.

A page built from a publication is kept as a ``Rendering`` (per language,
address, site origin and build of the code), so the public page costs one
query and no template once it has been shown; its PDF edition as a
``PrintedEdition``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.models import Snapshot


class PublicationQuerySet(models.QuerySet):
    def live(self, now=None):
        """
        Publications that have gone live and whose snapshot was not
        unpublished after them: for each snapshot, the newest is current.
        """
        now = timezone.now() if now is None else now
        return self.filter(goes_live_at__lte=now).filter(
            Q(snapshot__withdrawal__isnull=True)
            | Q(goes_live_at__gt=F("snapshot__withdrawal__withdrawn_at"))
        )

    def newest_first(self):
        return self.order_by("-goes_live_at", "-number")

    def under_slug_of_another(self, slug, snapshot_pk=None):
        """
        Publications made under ``slug`` by another snapshot than
        ``snapshot_pk``: their address still leads readers there, and their
        files name it, so no other snapshot may take that slug.
        """
        return self.filter(slug=slug).exclude(snapshot_id=snapshot_pk)

    def current_of(self, slug, now=None):
        """
        The current publication of the snapshot published under ``slug``, or
        None. It may have been published since under another slug: the view
        then sends readers of the old address on to the new one.
        """
        return self.ordered_current_of(slug, now).first()

    def ordered_current_of(self, slug, now=None):
        """``current_of``'s query, the current publication first."""
        live = self.live(now)
        published_there = live.filter(slug=slug).values("snapshot")
        return live.filter(snapshot__in=published_there).newest_first()

    def home(self, now=None):
        """The home page's: the current publication of the newest issue."""
        return self.ordered_home(now).first()

    def ordered_home(self, now=None):
        """``home``'s query, the home page's publication first."""
        return self.live(now).order_by("-snapshot__number", "-goes_live_at", "-number")

    def current(self, now=None):
        """The current publication of every snapshot on the site."""
        live = self.live(now)
        newest = (
            live.filter(snapshot=models.OuterRef("snapshot"))
            .newest_first()
            .values("pk")[:1]
        )
        return live.filter(pk=models.Subquery(newest))

    def scheduled(self, now=None):
        now = timezone.now() if now is None else now
        return self.filter(goes_live_at__gt=now)


class Publication(models.Model):
    """One numbered, immutable version of a snapshot as the public sees it."""

    # A published snapshot cannot be deleted, by anyone: its versions have
    # been read and cited. Unpublishing takes it off the site.
    snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("snapshot"),
    )
    number = models.PositiveIntegerField(
        _("version"), help_text=_("1 for a snapshot's first publication, then 2…")
    )
    #: The snapshot's slug when published: its public address, which a
    #: change in the working copy leaves alone until the next publication.
    slug = models.SlugField(_("slug"), max_length=100)
    #: The snapshot and all its content, every language, as
    #: ``reviews.publishing.content.serialise`` writes it.
    content = models.JSONField(_("content"), editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    #: Kept with the row: the account may be deleted, the record stays.
    publisher_name = models.CharField(_("published by"), max_length=150)
    created_at = models.DateTimeField(_("made"), default=timezone.now)
    goes_live_at = models.DateTimeField(
        _("goes live"), db_index=True, help_text=_("When the public sees it.")
    )
    #: The publisher's reason for publishing translations that state other
    #: figures, links or emphasis than their source, and what they were.
    parity_note = models.TextField(_("translation differences accepted"), blank=True)
    parity_differences = models.JSONField(default=list, blank=True, editable=False)
    republished_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("republished from"),
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["snapshot", "-number"]
        default_permissions = ("view",)
        permissions = [
            (
                "publish_snapshot",
                _("Can publish, schedule, unpublish and republish snapshots"),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "number"], name="unique_publication_number"
            )
        ]

    def __str__(self):
        return _("%(snapshot)s, version %(number)s") % {
            "snapshot": self.snapshot,
            "number": self.number,
        }

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A publication never changes."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "reviews:version",
            kwargs={"slug": self.slug, "number": self.number},
        )

    @property
    def is_scheduled(self):
        return self.goes_live_at > timezone.now()


class Withdrawal(models.Model):
    """
    When a snapshot was last taken off the site. Publications that went live
    before it are no longer shown; one going live after it puts it back.
    """

    snapshot = models.OneToOneField(
        Snapshot,
        on_delete=models.CASCADE,
        related_name="withdrawal",
        verbose_name=_("snapshot"),
    )
    withdrawn_at = models.DateTimeField(_("unpublished"), default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("unpublished by"),
    )

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        default_permissions = ()

    def __str__(self):
        return f"{self.snapshot} ({self.withdrawn_at:%Y-%m-%d %H:%M})"


class Rendering(models.Model):
    """
    A public page built from a publication, as it was sent: built the first
    time it is asked for with this code (``build``), this site address and
    this state of the series (``series``), then sent as it is. A publication
    never changes, so neither does its page until the code does or another
    snapshot of the series goes live or is taken off (its page links them).
    """

    class Address(models.TextChoices):
        HOME = "home", _("home page")
        SNAPSHOT = "snapshot", _("snapshot's page")

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="renderings"
    )
    language = models.CharField(max_length=15)
    address = models.CharField(max_length=10, choices=Address.choices)
    origin = models.CharField(max_length=300)
    build = models.CharField(max_length=64)
    #: The publications live when it was built (``series_state()``): the
    #: page's links to the archive's other snapshots follow them.
    series = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    #: What the page adds to the Content-Security-Policy (its style hashes).
    policy = models.JSONField(default=dict)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "publication",
                    "language",
                    "address",
                    "origin",
                    "build",
                    "series",
                ],
                name="unique_rendering",
            )
        ]

    def __str__(self):
        return f"{self.publication} [{self.language}, {self.address}]"


class PrintedEdition(models.Model):
    """
    A publication's PDF edition in one language, for one site origin (it
    prints the page's address), as one build of the code drew it: drawn
    the first time it is asked for, then sent as it is.
    """

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="printed_editions"
    )
    language = models.CharField(max_length=15)
    origin = models.CharField(max_length=300)
    build = models.CharField(max_length=64)
    pdf = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "language", "origin", "build"],
                name="unique_printed_edition",
            )
        ]

    def __str__(self):
        return f"{self.publication} [{self.language}, PDF]"
