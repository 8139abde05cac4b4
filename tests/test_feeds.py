"""The Atom feeds as feed readers parse them, whatever the editors pasted."""

import feedparser
import pytest
from django.test import Client

from .conftest import publish, start_second_issue

#: Word writes a line break inside a cell or a title as a vertical tab.
WORD_LINE_BREAK = "\x0b"


@pytest.fixture
def pasted_from_word(seed, publisher):
    """Snapshot #2 whose titles and publisher hold control characters."""
    second = start_second_issue(seed, publisher)
    second.title_en = f"A second look{WORD_LINE_BREAK}at the review\x1b"
    second.title_es = f"Una segunda mirada{WORD_LINE_BREAK}a la revisión\x0c"
    second.publisher_en = f"ECLAC{WORD_LINE_BREAK}and IOM"
    second.publisher_es = f"CEPAL{WORD_LINE_BREAK}y OIM"
    second.save()
    publish(second, publisher)
    return second


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_feed_carries_a_title_with_control_characters(pasted_from_word, language):
    """The feed is well-formed XML: each control character became a space."""
    response = Client().get(f"/{language}/feed/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    expected = {
        "en": "Key milestones and progress #2 – A second look at the review",
        "es": "Hitos clave y avances #2 – Una segunda mirada a la revisión",
    }[language]
    assert [title for title in titles if "#2" in title] == [expected]
    assert (
        feed.entries[0].author == {"en": "ECLAC and IOM", "es": "CEPAL y OIM"}[language]
    )
