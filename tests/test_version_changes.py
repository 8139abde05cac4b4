"""What changed between two versions, its figures written as the page writes them."""

import pytest
from django.test import Client

from reviews.models import TimelineFigure

from .conftest import publish


def changes(snapshot, language):
    """The text of the version page's list of changes."""
    page = Client().get(f"/{language}/snapshots/{snapshot.slug}/versions/2/")
    body = page.content.decode()
    start = body.index('class="version-changes"')
    return body[start : body.index("</ul>", start)]


@pytest.mark.parametrize(
    "language, old, new", [("en", "691", "1,500"), ("es", "691", "1\xa0500")]
)
def test_a_changed_count_is_grouped_as_on_the_page(seed, publisher, language, old, new):
    """1,500 in English and 1 500 in Spanish, as the chart beside it says."""
    figure = seed.meeting.participation.get(count=691)
    figure.count = 1500
    figure.save()
    publish(seed, publisher)
    listed = changes(seed, language)
    assert f"<del>{old}</del>" in listed
    assert f"<ins>{new}</ins>" in listed


@pytest.mark.parametrize(
    "language, old, new", [("en", "yes", "no"), ("es", "sí", "no")]
)
def test_a_changed_switch_reads_yes_or_no_in_the_pages_language(
    seed, publisher, language, old, new
):
    """A figure no longer summarising registrations reads "yes → no", not "True"."""
    figure = TimelineFigure.objects.filter(
        event__snapshot=seed, summarises_registrations=True
    ).first()
    figure.summarises_registrations = False
    figure.save()
    publish(seed, publisher)
    listed = changes(seed, language)
    assert f"<del>{old}</del>" in listed and f"<ins>{new}</ins>" in listed
    assert "True" not in listed and "False" not in listed
