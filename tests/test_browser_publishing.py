"""Publishing in Chromium: an editor prepares, a publisher compares and publishes."""

import re

import pytest
from django.urls import reverse

from reviews.models import Conclusion, Meeting

from .conftest import publish as publish_checked
from .pages import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: The number an editor corrects in the Spanish overview's second paragraph,
#: and the word changed in the English text of the last conclusion.
SPANISH_BEFORE = "altas autoridades de 29 Estados miembros"
SPANISH_AFTER = "altas autoridades de 30 Estados miembros"
ENGLISH_BEFORE = "The Regional Review meeting has created expectations"
ENGLISH_AFTER = "The Regional Review meeting has raised expectations"


#: Selects the characters from start to end of a text box, as a drag would.
SELECT = """(field, [start, end]) => {
    field.focus();
    field.setSelectionRange(start, end);
}"""


def retype(field, old, new, page):
    """Select the words ``old`` inside ``field`` and type ``new`` over them."""
    assert field.is_visible()
    text = field.input_value()
    start = text.index(old)
    field.evaluate(SELECT, [start, start + len(old)])
    page.keyboard.type(new)


def public_text(open_page, path):
    """
    The words of a public page, whitespace folded, as a reader sees them,
    but for the list of what changed since the version before (which quotes
    the earlier text).
    """
    page = open_page(path)
    page.evaluate(
        "document.querySelectorAll('.version-changes').forEach(e => e.remove())"
    )
    return " ".join(page.inner_text("main").split())


def marked(region, tag):
    return [" ".join(text.split()) for text in region.locator(tag).all_inner_texts()]


def last_conclusion():
    return Conclusion.objects.order_by("order").last()


def test_an_editors_change_is_public_only_once_a_publisher_publishes(
    seed, signed_in, open_page, editor, publisher
):
    """
    The editor's corrections stay off /en/ and /es/ and they find no Publish
    button; the publisher sees exactly the changed words in each language,
    publishes, and both languages show them, listed as version 2.
    """
    editor_page = signed_in(editor)
    editor_page.goto(
        editor_page.site
        + reverse("admin:reviews_meeting_change", args=[Meeting.objects.get().pk])
    )
    editor_page.get_by_role("radio", name="Spanish").check()
    overview = editor_page.locator("#id_overview_es")
    retype(overview, "29", "30", editor_page)
    assert SPANISH_AFTER in overview.input_value()
    editor_page.click("input[name=_save]")
    editor_page.wait_for_url("**/reviews/meeting/")

    editor_page.goto(
        editor_page.site
        + reverse("admin:reviews_conclusion_change", args=[last_conclusion().pk])
    )
    # The switch remembers Spanish from the meeting's page.
    editor_page.get_by_role("radio", name="English").check()
    text = editor_page.locator("#id_text_en")
    retype(text, "created", "raised", editor_page)
    assert ENGLISH_AFTER in text.input_value()
    # Its Spanish follows, or publishing would wait for it as stale.
    editor_page.get_by_role("radio", name="Spanish").check()
    retype(editor_page.locator("#id_text_es"), "creado", "generado", editor_page)
    editor_page.click("input[name=_save]")
    editor_page.locator(".messagelist .success").wait_for()
    assert ENGLISH_AFTER in last_conclusion().text_en

    english, spanish = public_text(open_page, "/en/"), public_text(open_page, "/es/")
    assert ENGLISH_BEFORE in english and ENGLISH_AFTER not in english
    assert SPANISH_BEFORE in spanish and SPANISH_AFTER not in spanish

    editor_page.goto(
        editor_page.site + reverse("admin:reviews_snapshot_publish", args=[seed.pk])
    )
    assert editor_page.get_by_role("region", name="English").locator("ins").count()
    assert editor_page.get_by_role("button", name="Publish").count() == 0

    page = signed_in(publisher)
    page.goto(page.site + reverse("admin:reviews_snapshot_change", args=[seed.pk]))
    page.get_by_role("link", name="Compare and publish").click()
    page.wait_for_url("**/publish/")
    in_english = page.get_by_role("region", name="English")
    in_spanish = page.get_by_role("region", name="Spanish")
    assert (marked(in_english, "del"), marked(in_english, "ins")) == (
        ["created"],
        ["raised"],
    )
    assert (marked(in_spanish, "del"), marked(in_spanish, "ins")) == (
        ["29", "creado"],
        ["30", "generado"],
    )
    # The Spanish overview now counts other States than the English one.
    parity = page.get_by_role("region", name=re.compile("other figures"))
    overview = parity.locator("tr", has_text="overview")
    assert marked(overview, "mark") == ["29", "30"]
    page.fill("#id_parity_note", "The Spanish source was corrected; English follows.")
    screenshot(page, "admin-publish-changes-publisher")

    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/publications/")
    assert "Published: version 2 is on the site." in page.inner_text(".messagelist")
    versions = page.locator("#publications tbody th").all_inner_texts()
    assert [" ".join(version.split()) for version in versions] == ["2 (current)", "1"]
    newest = page.locator("#publications tbody tr").first
    assert newest.locator("td").nth(1).inner_text() == "publisher"

    english, spanish = public_text(open_page, "/en/"), public_text(open_page, "/es/")
    assert ENGLISH_AFTER in english and ENGLISH_BEFORE not in english
    assert SPANISH_AFTER in spanish and SPANISH_BEFORE not in spanish


# Accessibility and fit of the publishing pages --------------------------------


def axe_report(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.violations_count, results.generate_report()


def assert_fits_and_passes_axe(page, path, width):
    page.goto(page.site + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    count, report = axe_report(page)
    assert count == 0, f"{path}\n{report}"


def boxes(locator):
    return [cell.bounding_box() for cell in locator.all()]


def change_working_copy():
    """A word in each language's text changed, as an editor would."""
    meeting = Meeting.objects.get()
    meeting.overview_es = meeting.overview_es.replace(SPANISH_BEFORE, SPANISH_AFTER)
    meeting.save()
    conclusion = last_conclusion()
    conclusion.text_en = conclusion.text_en.replace(ENGLISH_BEFORE, ENGLISH_AFTER)
    conclusion.save()


@pytest.mark.parametrize("width", [1280, 360])
def test_the_publishing_pages_fit_and_pass_axe(seed, signed_in, publisher, width):
    """
    The confirmation with changes and with gaps, the publications, a
    republish, unpublish and the previews: no wider than the screen, axe 0.
    """
    change_working_copy()
    publish_checked(seed, publisher)
    change_working_copy()
    conclusion = last_conclusion()
    conclusion.text_en = conclusion.text_en.replace("expectations", "hopes")
    conclusion.save()

    page = signed_in(publisher, width)
    publish = reverse("admin:reviews_snapshot_publish", args=[seed.pk])
    assert_fits_and_passes_axe(page, publish, width)
    assert page.locator(".compare-language ins").count()
    if width < 600:
        # A phone shows each value under the other, across the screen.
        values = page.locator(".compare-language td[data-label]")
        assert all(box["width"] > width / 2 for box in boxes(values))
    screenshot(page, f"admin-publish-changes-{width}")

    publications = reverse("admin:reviews_snapshot_publications", args=[seed.pk])
    for path in (
        publications,
        reverse("admin:reviews_snapshot_republish", args=[seed.pk, 1]),
        reverse("admin:reviews_snapshot_unpublish", args=[seed.pk]),
        reverse("admin:reviews_snapshot_preview", args=[seed.pk, "en"]),
        reverse("admin:reviews_snapshot_preview", args=[seed.pk, "es"]),
    ):
        assert_fits_and_passes_axe(page, path, width)
    page.goto(page.site + publications)
    screenshot(page, f"admin-publications-{width}")

    Meeting.objects.update(website_es="", member_states=None)
    assert_fits_and_passes_axe(page, publish, width)
    assert page.locator(".gaps li").count() == 2
    screenshot(page, f"admin-publish-gaps-{width}")
