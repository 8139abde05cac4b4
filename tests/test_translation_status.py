"""
Translation status as translators meet it: a Spanish text goes stale when
its English source changes, by any route, and is current again once
translated or marked still correct; translations that state other figures,
links or emphasis are flagged; publishing waits for both.
"""

import pytest
from django.urls import reverse

from reviews.models import Conclusion, Meeting
from reviews.translations.parity import differences, marked
from reviews.translations.status import MISSING, STALE, TRANSLATED, confirm, texts

from .admin_forms import edit_conclusion, publish_through_admin, submitted
from .spreadsheets import edit, workbook_confirm, workbook_preview
from .translation_texts import first_conclusion, state


def test_the_seed_is_translated_throughout(seed):
    assert {text.state for text in texts(seed)} == {TRANSLATED}


def test_an_english_edit_in_the_admin_makes_its_spanish_stale(seed, editor_client):
    conclusion = first_conclusion(seed)
    edit_conclusion(editor_client, conclusion, "A new English text.")
    assert state(seed, conclusion, "text") == STALE


def test_saving_the_translation_makes_it_current_again(seed, editor_client):
    conclusion = first_conclusion(seed)
    edit_conclusion(editor_client, conclusion, "A new English text.")
    url = reverse("admin:reviews_conclusion_change", args=[conclusion.pk])
    data = {**submitted(editor_client.get(url)), "text_es": "Un nuevo texto."}
    assert editor_client.post(url, data).status_code == 302
    assert state(seed, conclusion, "text") == TRANSLATED


def test_both_languages_changed_in_one_save_are_current(seed, editor_client):
    conclusion = first_conclusion(seed)
    url = reverse("admin:reviews_conclusion_change", args=[conclusion.pk])
    data = {
        **submitted(editor_client.get(url)),
        "text_en": "Both changed.",
        "text_es": "Ambos cambiados.",
    }
    assert editor_client.post(url, data).status_code == 302
    assert state(seed, conclusion, "text") == TRANSLATED


def test_an_english_edit_in_an_inline_makes_its_spanish_stale(seed, editor_client):
    url = reverse("admin:reviews_snapshot_change", args=[seed.pk])
    data = submitted(editor_client.get(url))
    data["conclusions-0-text_en"] = "Changed in the snapshot's own form."
    assert editor_client.post(url, data).status_code == 302
    conclusion = Conclusion.objects.get(pk=data["conclusions-0-id"])
    assert state(seed, conclusion, "text") == STALE


def test_an_english_edit_in_the_workbook_makes_its_spanish_stale(seed, editor_client):
    export = reverse("admin:reviews_snapshot_workbook_export", args=[seed.pk])
    content = edit(
        editor_client.get(export).content, "meeting", 2, "overview_en", "Rewritten."
    )
    preview = workbook_preview(editor_client, seed, content)
    assert workbook_confirm(editor_client, seed, preview).status_code == 302
    assert state(seed, Meeting.objects.get(), "overview") == STALE


def test_a_translation_marked_still_correct_is_current(seed, editor, editor_client):
    conclusion = first_conclusion(seed)
    edit_conclusion(editor_client, conclusion, "A comma changed, no more.")
    confirm(conclusion, "text", "es", editor)
    assert state(seed, conclusion, "text") == TRANSLATED
    edit_conclusion(editor_client, conclusion, "Changed again.")
    assert state(seed, conclusion, "text") == STALE


def test_an_empty_translation_is_missing_and_grammar_may_stay_empty(seed):
    conclusion = first_conclusion(seed)
    conclusion.text_es = ""
    conclusion.save()
    assert state(seed, conclusion, "text") == MISSING
    event = seed.timeline.exclude(date_prefix_en="").first()
    assert event.date_prefix_es in ("", None)
    assert state(seed, event, "date_prefix") == TRANSLATED


@pytest.mark.parametrize(
    ("source", "translation", "what"),
    [
        ("28 member States", "29 Estados miembros", ["numbers"]),
        ("1,000 people", "1.000 personas", []),
        ("1,000 people", "1 000 personas", []),
        ("28% of them", "28 % de ellos", []),
        ("In 2021.", "En 2022.", ["numbers"]),
        ("See [the site](https://a.org/en).", "Véase el sitio.", ["links"]),
        ("See <https://a.org/en>.", "Véase <https://a.org/es>.", []),
        ("A **bold** word.", "Una palabra.", ["bold"]),
        ("- one\n- two", "- uno", ["list_items"]),
    ],
)
def test_parity_flags_what_a_translation_states_otherwise(source, translation, what):
    assert [d.what for d in differences(source, translation, "en", "es")] == what


def test_the_differing_tokens_are_marked_in_both_texts():
    found = differences("29 States, 3 days", "28 Estados, 3 días", "en", "es")
    assert marked("29 States, 3 days", "en", found, "source") == (
        "<mark>29</mark> States, 3 days"
    )
    assert marked("28 Estados, 3 días", "es", found, "translation") == (
        "<mark>28</mark> Estados, 3 días"
    )
    assert "&lt;b&gt;" in marked("<b>29</b>", "en", found, "source")


def test_publishing_waits_for_stale_translations(seed, editor_client, publisher_client):
    conclusion = first_conclusion(seed)
    edit_conclusion(editor_client, conclusion, "A new English text.")
    response = publish_through_admin(publisher_client, seed, checked=False)
    assert response.status_code == 409
    page = response.content.decode()
    assert "stale: its source changed since it was translated" in page
    assert f"/admin/reviews/conclusion/{conclusion.pk}/change/#id_text_es" in page
    assert seed.publications.count() == 1
    url = reverse("admin:reviews_conclusion_change", args=[conclusion.pk])
    data = {**submitted(editor_client.get(url)), "text_es": "Un nuevo texto."}
    editor_client.post(url, data)
    response = publish_through_admin(publisher_client, seed, checked=False)
    assert response.status_code == 302
    assert seed.publications.count() == 2


def test_a_difference_in_figures_needs_the_publisher_s_reason(
    seed, editor_client, publisher_client
):
    meeting = Meeting.objects.get()
    meeting.overview_es = meeting.overview_es.replace("29", "28", 1)
    meeting.save()
    page = publisher_client.get(
        reverse("admin:reviews_snapshot_publish", args=[seed.pk])
    ).content.decode()
    assert "<mark>28</mark>" in page
    assert "<mark>29</mark>" in page
    refused = publish_through_admin(publisher_client, seed, parity_note=" ")
    assert refused.status_code == 409
    assert seed.publications.count() == 1
    reason = "The Spanish document counts 28 States."
    assert (
        publish_through_admin(publisher_client, seed, parity_note=reason).status_code
        == 302
    )
    publication = seed.publications.get(number=2)
    assert publication.parity_note == reason
    assert {
        "object": f"reviews.Meeting:{meeting.pk}",
        "field": "overview_es",
        "differences": ["numbers"],
    } in publication.parity_differences


def test_translators_see_the_content_and_translate_into_every_target_language(db):
    from django.contrib.auth.models import Group

    translators = Group.objects.get(name="Translators")
    codenames = set(translators.permissions.values_list("codename", flat=True))
    assert "translate_es" in codenames
    assert not {
        name
        for name in codenames
        if name.split("_")[0] in ("add", "change", "delete", "import")
    }
    assert "view_conclusion" in codenames


def test_a_public_language_the_site_does_not_have_is_warned_of(settings):
    from reviews.languages import check_public_languages

    settings.PUBLIC_LANGUAGES = ["en", "es", "fr"]
    [warning] = check_public_languages()
    assert warning.id == "reviews.W101"
    assert "'fr'" in warning.msg
    settings.PUBLIC_LANGUAGES = ["en", "es"]
    assert check_public_languages() == []


def test_a_language_left_out_of_public_languages_answers_404(client, seed, settings):
    """Spanish withdrawn from the readers: its pages 404, / never sends there."""
    settings.PUBLIC_LANGUAGES = ["en"]
    assert client.get("/es/").status_code == 404
    assert (
        client.get(seed.get_absolute_url().replace("/en/", "/es/")).status_code == 404
    )
    redirect = client.get("/", headers={"accept-language": "es"})
    assert redirect["Location"] == "/en/"
    assert 'hreflang="es"' not in client.get("/en/").content.decode()
