from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Snapshot


class BilingualSitemap(Sitemap):
    """Each page once per language, with its alternates and an x-default."""

    i18n = True
    alternates = True
    x_default = True


class LatestSitemap(BilingualSitemap):
    changefreq = "monthly"
    priority = 1.0

    def items(self):
        return ["reviews:latest"]

    def location(self, item):
        return reverse(item)


class SnapshotSitemap(BilingualSitemap):
    changefreq = "yearly"

    def items(self):
        return Snapshot.objects.published().order_by("number")

    def lastmod(self, snapshot):
        return snapshot.updated_at
