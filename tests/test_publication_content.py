"""
A publication holds the content it was made from, whole: the page, the
tables and the JSON built from it are those of the working copy it copied,
whatever the texts and figures.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reviews.models import Conclusion, Meeting, Snapshot, StakeholderCount
from reviews.opendata.tables import DATASETS, snapshot_json
from reviews.public.renderings import snapshot_of
from reviews.public.views import render_snapshot

from .conftest import examples, publish

texts = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=80
).filter(lambda text: text.strip())


def both(rf, publication, language):
    """The publication's page and tables, and the working copy's, dated alike."""
    request = rf.get(f"/{language}/")
    request.user = AnonymousUser()
    working_copy = Snapshot.objects.for_page().get(pk=publication.snapshot_id)
    working_copy.publication = publication
    working_copy.updated_at = publication.goes_live_at
    published = snapshot_of(publication)
    with translation.override(language):
        return [
            (
                render_snapshot(request, snapshot).content,
                [table.csv(snapshot) for table in DATASETS.values()],
                snapshot_json(snapshot, "https://example.org/"),
            )
            for snapshot in (published, working_copy)
        ]


def test_the_seed_s_publication_builds_the_pages_of_the_seed(rf, seed):
    publication = seed.publications.get()
    for language in ("en", "es"):
        published, working_copy = both(rf, publication, language)
        assert published == working_copy


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    conclusion=texts,
    overview=texts,
    count=st.integers(min_value=0, max_value=10_000_000),
    start=st.dates(datetime.date(2000, 1, 1), datetime.date(2100, 12, 1)),
)
def test_any_content_is_published_as_it_was(
    rf, seed, conclusion, overview, count, start
):
    first, *others = seed.timeline.all()
    assume(start not in {event.start_date for event in others})
    Conclusion.objects.filter(snapshot=seed, order=1).update(text_es=conclusion)
    Meeting.objects.filter(snapshot=seed).update(overview_en=overview)
    StakeholderCount.objects.filter(snapshot=seed).update(count=count)
    seed.timeline.filter(pk=first.pk).update(start_date=start, end_date=start)
    publication = publish(seed)
    for language in ("en", "es"):
        published, working_copy = both(rf, publication, language)
        assert published == working_copy
