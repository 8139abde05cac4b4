"""The editors' admin in Chromium: one language switch, errors in sight, fit, axe."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from reviews.models import Conclusion, Meeting, MeetingDay, TimelineEvent

from .pages import screenshot
from .spreadsheets import csv_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: How many translated fields of each language the page shows, template rows
#: of inlines left out.
SHOWN_FIELDS = """
(language) => Array.from(document.querySelectorAll(`[lang="${language}"]`))
    .filter((field) => field.matches("input, textarea, select"))
    .filter((field) => !field.closest(".empty-form"))
    .map((field) => field.checkVisibility())
"""


@pytest.fixture
def admin_page(signed_in, editor):
    """A fresh tab signed in, as the editor unless told: admin_page(width, user)."""

    def admin_page(width=1280, user=editor):
        return signed_in(user, width)

    return admin_page


def change_url(obj):
    return reverse(f"admin:reviews_{obj._meta.model_name}_change", args=[obj.pk])


def shown(page, language):
    return page.evaluate(SHOWN_FIELDS, language)


def test_an_error_in_the_hidden_spanish_column_is_marked_and_reached(seed, admin_page):
    """A figure added in English only: Spanish is marked, the banner opens its field."""
    page = admin_page()
    page.goto(page.site + change_url(Meeting.objects.get()))
    page.get_by_role("button", name="Add another Participation figure").click()
    row = page.locator("#participation-group tr.form-row:not(.empty-form)").last
    row.locator("td.field-order input").fill("9")
    row.locator("td.field-channel select").select_option(index=1)
    row.locator("td.field-count input").fill("12")
    row.locator("td.field-label_en input").fill("people on the radio")
    assert not row.locator("td.field-label_es input").is_visible()
    page.click("input[name=_save]")

    spanish = page.locator(".language-switch label.has-errors")
    assert " ".join(spanish.inner_text().split()) == "Spanish (1 error)"
    link = page.get_by_role(
        "link", name="Participation figure 5 – Label (Spanish): This field is required."
    )
    field = page.locator("#id_participation-4-label_es")
    assert not field.is_visible()
    screenshot(page, "admin-error-in-hidden-spanish")
    link.click()
    assert field.is_visible()
    assert page.evaluate("document.activeElement.id") == "id_participation-4-label_es"
    assert page.get_by_role("radio", name="Spanish (1 error)").is_checked()
    field.fill("personas en la radio")
    page.click("input[name=_save]")
    page.wait_for_url("**/reviews/meeting/")


@pytest.mark.parametrize("model", [Meeting, MeetingDay, TimelineEvent, "snapshot"])
def test_the_language_switch_turns_every_field(seed, admin_page, model):
    """Spanish shows every Spanish field of the page and inlines, and no English."""
    obj = seed if model == "snapshot" else model.objects.first()
    page = admin_page()
    page.goto(page.site + change_url(obj))
    english, spanish = shown(page, "en"), shown(page, "es")
    assert english and all(english) and not any(spanish)
    page.get_by_role("radio", name="Spanish").check()
    english, spanish = shown(page, "en"), shown(page, "es")
    assert english and not any(english) and all(spanish)
    screenshot(page, f"admin-{obj._meta.model_name}-in-spanish")


def test_a_new_row_opens_in_the_chosen_language(seed, admin_page):
    """With Spanish chosen, an added conclusion shows its Spanish text only."""
    page = admin_page()
    page.goto(page.site + change_url(seed))
    page.get_by_role("radio", name="Spanish").check()
    page.locator("#conclusions-group .add-row a").click()
    new = page.locator("#conclusions-group .inline-related:not(.empty-form)").last
    assert new.locator("[lang=es]").is_visible()
    assert not new.locator("[lang=en]").is_visible()


def test_the_choice_is_remembered_across_pages(seed, admin_page):
    """Spanish chosen on the snapshot is still chosen on the meeting's page."""
    page = admin_page()
    page.goto(page.site + change_url(seed))
    page.get_by_role("radio", name="Spanish").check()
    page.goto(page.site + change_url(Meeting.objects.get()))
    assert page.get_by_role("radio", name="Spanish").is_checked()
    assert not any(shown(page, "en"))


def test_the_switch_works_from_the_keyboard(seed, admin_page):
    """Arrow keys move between the choices, turning the fields as they go."""
    page = admin_page()
    page.goto(page.site + change_url(Meeting.objects.get()))
    page.get_by_role("radio", name="English").focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("radio", name="Spanish").is_checked()
    assert all(shown(page, "es")) and not any(shown(page, "en"))
    page.keyboard.press("ArrowRight")
    assert all(shown(page, "es")) and all(shown(page, "en"))


def test_both_languages_sit_side_by_side_on_a_wide_screen(seed, admin_page):
    """ "Every language, side by side" puts each English box beside its Spanish."""
    page = admin_page()
    page.goto(page.site + change_url(Meeting.objects.get()))
    page.get_by_role("radio", name="Every language, side by side").check()
    english = page.locator(".form-row.field-name_en").bounding_box()
    spanish = page.locator(".form-row.field-name_es").bounding_box()
    assert english["y"] == spanish["y"]
    assert english["x"] + english["width"] <= spanish["x"]
    screenshot(page, "admin-meeting-side-by-side")


def test_a_day_opened_from_its_meeting_returns_to_the_meeting(seed, admin_page):
    """Change a day from the meeting's page, save: back on the meeting's page."""
    meeting = Meeting.objects.get()
    page = admin_page()
    page.goto(page.site + change_url(meeting))
    page.locator("#days-group a.inlinechangelink").first.click()
    page.wait_for_url("**/meetingday/**")
    page.click("input[name=_save]")
    page.wait_for_url(f"**{change_url(meeting)}")


@pytest.mark.parametrize("width", [1280, 360])
def test_pages_of_an_editor_who_may_not_add_or_delete_pass_axe(
    seed, admin_page, staff_who_may_only_edit, width
):
    """Without add and delete rights the inlines lose columns, not their names."""
    page = admin_page(width, staff_who_may_only_edit)
    for obj in (Meeting.objects.get(), MeetingDay.objects.first(), seed):
        page.goto(page.site + change_url(obj))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        count, report = axe_report(page)
        assert count == 0, report


def editors_pages(seed):
    """Every admin page editors use, as paths."""
    meeting = Meeting.objects.get()
    call_command("createinitialrevisions", comment="Seed content", verbosity=0)
    versions = meeting_versions(meeting)
    return [
        reverse("admin:index"),
        *(
            reverse(f"admin:reviews_{name}_changelist")
            for name in (
                "snapshot",
                "conclusion",
                "stakeholdercount",
                "stakeholdergroup",
                "meeting",
                "person",
                "meetingday",
                "roundtable",
                "participationfigure",
                "timelineevent",
                "timelinefigure",
            )
        ),
        change_url(seed),
        change_url(meeting),
        change_url(MeetingDay.objects.first()),
        change_url(TimelineEvent.objects.first()),
        reverse("admin:reviews_meeting_history", args=[meeting.pk]),
        reverse("admin:reviews_meeting_compare", args=[meeting.pk])
        + f"?older={versions[0]}&newer={versions[-1]}",
        reverse("admin:reviews_conclusion_import"),
        reverse("admin:reviews_conclusion_export"),
        reverse("admin:reviews_snapshot_workbook_import", args=[seed.pk]),
        reverse("admin:reviews_meeting_recoverlist"),
        # The restore page with its preview of what saving will change, and
        # the snapshot's activity.
        reverse("admin:reviews_meeting_revision", args=[meeting.pk, versions[-1]]),
        reverse("admin:reviews_snapshot_activity", args=[seed.pk]),
    ]


def meeting_versions(meeting):
    from reversion.models import Version

    return list(Version.objects.get_for_object(meeting).values_list("pk", flat=True))


def axe_report(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.violations_count, results.generate_report()


@pytest.mark.parametrize("width", [1280, 360])
def test_every_editors_page_fits_and_passes_axe(seed, admin_page, browser, width):
    """At 1280 and 360 px: no page wider than the screen, no axe violation."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    login = context.new_page()
    login.goto(admin_page().site + reverse("admin:login"))
    assert axe_report(login)[0] == 0, axe_report(login)[1]
    context.close()

    page = admin_page(width)
    for path in editors_pages(seed):
        page.goto(page.site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        count, report = axe_report(page)
        assert count == 0, f"{path}\n{report}"
    screenshot(page, f"admin-recover-list-{width}")


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("choice", ["Spanish", "Every language, side by side"])
def test_a_refused_page_in_each_language_passes_axe(seed, admin_page, width, choice):
    """The meeting's page with errors, in Spanish or both languages: fits, axe 0."""
    page = admin_page(width)
    page.goto(page.site + change_url(Meeting.objects.get()))
    page.get_by_role("radio", name=choice).check()
    page.locator("#id_name_es").fill("")
    page.locator("#id_participation-0-label_es").fill("")
    page.click("input[name=_save]")
    page.locator(".error-summary").wait_for()
    assert page.locator(".error-summary li").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    count, report = axe_report(page)
    assert count == 0, report
    slug = "spanish" if choice == "Spanish" else "both"
    screenshot(page, f"admin-meeting-refused-{slug}-{width}")


@pytest.mark.parametrize("width", [1280, 360])
def test_the_import_preview_fits_and_passes_axe(seed, admin_page, tmp_path, width):
    """A conclusions file's preview page: fits, axe 0."""
    first = Conclusion.objects.order_by("order").first()
    path = tmp_path / "conclusions.csv"
    path.write_bytes(
        csv_bytes(
            ["snapshot", "order", "text_en", "text_es"],
            [[seed.slug, first.order, "A revised conclusion.", first.text_es]],
        )
    )
    page = admin_page(width)
    page.goto(page.site + reverse("admin:reviews_conclusion_import"))
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("button", name="Confirm import").wait_for()
    assert "A revised conclusion." in page.inner_text("#content")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    count, report = axe_report(page)
    assert count == 0, report
    screenshot(page, f"admin-import-preview-{width}")
