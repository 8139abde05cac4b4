from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from reviews.languages import public_languages
from reviews.publishing.models import Publication


class SnapshotSitemap(Sitemap):
    """
    Each snapshot on the site at its permanent page once per public language, with
    its alternates and an x-default, last modified when its current
    publication went live. Only canonical addresses are listed: ``/en/``
    shows the latest snapshot too, but names the permanent page as canonical.
    """

    i18n = True
    alternates = True
    x_default = True
    changefreq = "yearly"

    @property
    def languages(self):
        # Read per request, as the URLs are: a language not yet public is left out.
        return public_languages()

    def items(self):
        return (
            Publication.objects.current().defer("content").order_by("snapshot__number")
        )

    def location(self, publication):
        return reverse("reviews:snapshot", kwargs={"slug": publication.slug})

    def lastmod(self, publication):
        return publication.goes_live_at
