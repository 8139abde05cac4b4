"""
The addresses of a snapshot's files (its tables, charts, data package,
JSON and citation): on a version's page, that version's own, so that each
file holds the figures the page shows; elsewhere the snapshot's, which
follow its current version.
"""

from django.urls import reverse


def file_path(snapshot, url_name, /, **kwargs):
    """
    The path of ``snapshot``'s file ``url_name`` (a URL name of ``reviews``),
    with the URL's other ``kwargs`` (a chart's ``name`` among them).
    """
    if getattr(snapshot, "shown_as_version", False):
        publication = snapshot.publication
        return reverse(
            f"reviews:version_{url_name}",
            kwargs={"slug": publication.slug, "number": publication.number, **kwargs},
        )
    return reverse(f"reviews:{url_name}", kwargs={"slug": snapshot.slug, **kwargs})
