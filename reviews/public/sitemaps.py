from django.contrib.sitemaps import Sitemap

from reviews.models import Snapshot


class SnapshotSitemap(Sitemap):
    """
    Each published snapshot's permanent page once per language, with its
    alternates and an x-default. Only canonical addresses are listed: ``/en/``
    shows the latest snapshot too, but names the permanent page as canonical.
    """

    i18n = True
    alternates = True
    x_default = True
    changefreq = "yearly"

    def items(self):
        return Snapshot.objects.published().order_by("number")

    def lastmod(self, snapshot):
        return snapshot.updated_at
