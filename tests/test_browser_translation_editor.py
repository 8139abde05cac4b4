"""The translation editor in Chromium: stale texts fixed, then published."""

import pytest
from django.urls import reverse

from reviews.models import Conclusion
from reviews.translations.status import STALE, needing_work, texts

from .pages import screenshot
from .test_browser_csp import RECORD_VIOLATIONS
from .test_browser_publishing import axe_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RETRANSLATED = "Las autoridades de la región reafirmaron"


def conclusions():
    return list(Conclusion.objects.order_by("order"))


def make_stale():
    """
    Three English conclusions rewritten by an editor: the first reworded,
    the second now nearly the third's (the memory knows its translation),
    the fourth only retouched (its Spanish is still correct).
    """
    first, second, third, fourth, *_rest = conclusions()
    first.text_en = first.text_en.replace("Governments", "Authorities", 1)
    second.text_en = third.text_en.rstrip(".") + ", as all agreed."
    fourth.text_en = fourth.text_en.replace("represents", "is", 1)
    for conclusion in (first, second, fourth):
        conclusion.save()
    return first, second, third, fourth


def row(page, conclusion):
    return page.locator(f"#text-conclusions-{conclusion.pk}-text")


def editor_url(snapshot):
    return reverse("admin:reviews_snapshot_translate", args=[snapshot.pk, "es"])


def test_a_translator_fixes_the_stale_texts_and_a_publisher_publishes(
    seed, signed_in, open_page, translator, publisher
):
    """
    From the snapshot's page the translator opens the Spanish editor, lists
    the stale texts, retypes one, takes the memory's suggestion for another,
    marks the third still correct and saves once; nothing is left to
    translate, and the publisher publishes it to /es/.
    """
    first, second, third, fourth = make_stale()
    assert len(needing_work(seed, ["es"])) == 3

    page = signed_in(translator)
    page.goto(page.site + reverse("admin:reviews_snapshot_change", args=[seed.pk]))
    page.get_by_role("link", name="Translate into Spanish").click()
    page.wait_for_url(f"**{editor_url(seed)}")
    page.get_by_role("link", name="Stale (3)").click()
    page.wait_for_url("**?filter=stale")
    assert page.locator("section.translation-text").count() == 3

    # The keyboard goes from one text needing work to the next.
    page.locator(f"#id_conclusions-{first.pk}-text").focus()
    page.keyboard.press("Alt+ArrowDown")
    focused = page.evaluate("document.activeElement.id")
    assert focused == f"id_conclusions-{second.pk}-text"
    # Tab goes on from the translation to its "still correct" and suggestions.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == (
        "Use this translation"
    )

    field = page.locator(f"#id_conclusions-{first.pk}-text")
    field.fill(field.input_value().replace("Los gobiernos de la región", RETRANSLATED))

    suggested = row(page, second).locator(".translation-suggestions li").first
    assert third.text_es.split()[0] in suggested.inner_text()
    suggested.get_by_role("button", name="Use this translation").click()
    assert page.locator(f"#id_conclusions-{second.pk}-text").input_value() == (
        third.text_es
    )

    row(page, fourth).get_by_label("Still correct", exact=False).check()
    page.get_by_role("button", name="Save translations").click()
    page.locator(".messagelist .success").first.wait_for()
    assert "2 texts saved." in page.inner_text(".messagelist")
    assert "1 text marked still correct." in page.inner_text(".messagelist")
    assert needing_work(seed, ["es"]) == []
    second.refresh_from_db()
    assert second.text_es == third.text_es

    publishing = signed_in(publisher)
    publishing.goto(
        publishing.site + reverse("admin:reviews_snapshot_publish", args=[seed.pk])
    )
    publishing.fill("#id_parity_note", "Emphasis as in the source documents.")
    publishing.get_by_role("button", name="Publish").click()
    publishing.wait_for_url("**/publications/")
    assert "Published: version 2 is on the site." in publishing.inner_text(
        ".messagelist"
    )
    spanish = open_page("/es/")
    assert RETRANSLATED in " ".join(spanish.inner_text("main").split())


@pytest.mark.parametrize("width", [1280, 360])
def test_the_editor_fits_and_passes_axe(seed, signed_in, translator, width):
    """
    With stale texts, suggestions and parity shown: axe 0, no sideways
    scroll, and nothing blocked by the Content-Security-Policy.
    """
    make_stale()
    assert any(text.state == STALE for text in texts(seed, ["es"]))
    page = signed_in(translator, width)
    page.context.add_init_script(RECORD_VIOLATIONS)
    for query in ("", "?filter=stale"):
        page.goto(page.site + editor_url(seed) + query)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        count, report = axe_report(page)
        assert count == 0, report
        assert page.evaluate("window.__violations") == []
    assert page.locator("button.use-suggestion:visible").count()
    if width < 768:
        # A phone shows the source above its translation, across the screen.
        source = page.locator(".translation-source").first.bounding_box()
        target = page.locator(".translation-target").first.bounding_box()
        assert target["y"] > source["y"] and target["width"] > width / 2
    screenshot(page, f"admin-translation-editor-{width}")
