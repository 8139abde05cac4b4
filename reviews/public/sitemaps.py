from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from reviews.languages import public_languages
from reviews.publishing.models import Publication, Withdrawal


class PublicSitemap(Sitemap):
    """Each address once per public language, with its alternates and an x-default."""

    i18n = True
    alternates = True
    x_default = True

    @property
    def languages(self):
        # Read per request, as the URLs are: a language not yet public is left out.
        return public_languages()


class SnapshotSitemap(PublicSitemap):
    """
    Each snapshot on the site at its permanent page, last modified when its
    current publication went live. Only canonical addresses are listed:
    ``/en/`` shows the latest snapshot too, but names the permanent page as
    canonical.
    """

    changefreq = "yearly"

    def items(self):
        return (
            Publication.objects.current().defer("content").order_by("snapshot__number")
        )

    def location(self, publication):
        return reverse("reviews:snapshot", kwargs={"slug": publication.slug})

    def lastmod(self, publication):
        return publication.goes_live_at


class VersionSitemap(PublicSitemap):
    """Every version of every snapshot on the site, at its permanent address."""

    changefreq = "never"

    def items(self):
        return (
            Publication.objects.live()
            .filter(snapshot__in=Publication.objects.current().values("snapshot"))
            .defer("content")
            .order_by("snapshot__number", "number")
        )

    def location(self, publication):
        return publication.get_absolute_url()

    def lastmod(self, publication):
        return publication.goes_live_at


class ArchiveSitemap(PublicSitemap):
    """The archive, changed whenever a publication goes live or a snapshot is
    taken off."""

    changefreq = "monthly"

    def items(self):
        return ["reviews:archive"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        newest = Publication.objects.live().newest_first().first()
        withdrawn = Withdrawal.objects.aggregate(last=Max("withdrawn_at"))["last"]
        moments = [newest.goes_live_at if newest else None, withdrawn]
        return max((moment for moment in moments if moment), default=None)
