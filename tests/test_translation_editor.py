"""
The translation editor: a snapshot's texts in one language beside their
source, filtered, with suggestions from the site's own translations, saved
at once as one revision, and refused whole when stale, invalid or tampered.
"""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from reversion.models import Revision

from reviews.content import CONTENT
from reviews.editorial.admin.translation_editor import key_of, sign
from reviews.models import Conclusion, Meeting, Snapshot
from reviews.translations.memory import EXACT, LEAST_SCORE, memory_for
from reviews.translations.models import TranslationRecord
from reviews.translations.status import STALE, TRANSLATED, texts

from .conftest import HOSTILE, staff_user


def url(snapshot, language="es", query=""):
    path = reverse("admin:reviews_snapshot_translate", args=[snapshot.pk, language])
    return path + query


def conclusions(snapshot):
    return list(Conclusion.objects.filter(snapshot=snapshot).order_by("order"))


def text_of(obj, field="text"):
    """The Spanish text of ``obj``'s ``field``, as the status reads it now."""
    [text] = [
        text
        for text in texts(Snapshot.objects.get(), ["es"])
        if type(text.obj) is type(obj) and text.obj.pk == obj.pk and text.field == field
    ]
    return text


def key(obj, field="text"):
    return key_of(text_of(obj, field))


def state(obj, field="text"):
    return text_of(obj, field).state


def made_stale(conclusion, english="A new English text for this conclusion."):
    """The conclusion's English rewritten, as an editor's save does."""
    conclusion.text_en = english
    conclusion.save()
    return conclusion


def sent(response, **changes):
    """The editor's form as the browser posts it, with ``changes`` typed in."""
    data = {"opened_with": response.context["opened_with"]}
    data.update({row.key: row.value for row in response.context["rows"]})
    data.update(changes)
    return data


# The page ---------------------------------------------------------------------


def test_it_lists_every_text_in_content_order(seed, editor_client):
    """Every Spanish text of the snapshot is listed, in the content's order."""
    response = editor_client.get(url(seed))
    assert response.status_code == 200
    listed = [row.key for row in response.context["rows"]]
    assert listed == [key_of(text) for text in texts(seed, ["es"])]
    first = conclusions(seed)[0]
    assert f'name="{key(first)}"' in response.content.decode()


def test_a_stale_text_shows_what_its_source_said_then_and_now(seed, editor_client):
    """A stale row says so and marks the words of the source that changed."""
    first = conclusions(seed)[0]
    original = first.text_en
    made_stale(first, original.replace("Governments", "Authorities", 1))
    page = editor_client.get(url(seed, query="?filter=stale")).content.decode()
    assert "stale" in page
    assert "<del>Governments</del>" in page
    assert "<ins>Authorities</ins>" in page


def test_the_filters_count_and_keep_their_texts(seed, editor_client):
    """Missing, stale and parity filters list only their texts, with counts."""
    first, second, *_rest = conclusions(seed)
    made_stale(first)
    second.text_es = ""
    second.save()
    response = editor_client.get(url(seed, query="?filter=missing"))
    counts = {item["name"]: item["count"] for item in response.context["filters"]}
    assert counts["missing"] == 1 and counts["stale"] == 1
    assert counts["all"] == len(texts(seed, ["es"]))
    assert [row.key for row in response.context["rows"]] == [key(second)]
    stale = editor_client.get(url(seed, query="?filter=stale")).context["rows"]
    assert [row.key for row in stale] == [key(first)]
    parity = editor_client.get(url(seed, query="?filter=parity")).context["rows"]
    assert parity and all(row.text.parity for row in parity)
    assert "Missing <span" in response.content.decode()


def test_an_unknown_filter_shows_every_text(seed, editor_client):
    """A filter made up in the address is the list of all texts, not an error."""
    response = editor_client.get(url(seed, query="?filter=<script>"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == len(texts(seed, ["es"]))


def test_parity_differences_are_marked_in_both_texts(seed, editor_client):
    """A Spanish number the English lacks is marked on both sides."""
    meeting = Meeting.objects.get()
    meeting.overview_es = meeting.overview_es.replace("29", "30", 1)
    meeting.save()
    response = editor_client.get(url(seed, query="?filter=parity"))
    [row] = [row for row in response.context["rows"] if row.text.field == "overview"]
    _what, source, translation = row.parity
    assert "<mark>29</mark>" in source and "<mark>30</mark>" in translation


def test_the_page_costs_the_same_few_queries_whatever_it_lists(
    seed, editor_client, django_assert_max_num_queries
):
    """
    The list and its memory are read in a query or two per kind of content,
    with the request's own (session, user, rights, snapshot), not one per text.
    """
    for order in range(50, 70):
        Conclusion.objects.create(snapshot=seed, order=order, text_en=f"Extra {order}")
    with django_assert_max_num_queries(2 * len(CONTENT) + 10):
        response = editor_client.get(url(seed))
    assert len(response.context["rows"]) > 50


def test_hostile_texts_are_shown_escaped(hostile_content, editor_client):
    """Script in a source, a translation or a suggestion is shown as text."""
    page = editor_client.get(url(hostile_content)).content.decode()
    assert HOSTILE not in page
    assert "<script>window.__xss" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page


def test_the_snapshots_page_links_the_editor(seed, translator_client):
    """A translator finds "Translate into Spanish" on the snapshot's page."""
    page = translator_client.get(
        reverse("admin:reviews_snapshot_change", args=[seed.pk])
    ).content.decode()
    assert f'href="{url(seed)}"' in page
    assert "Translate into Spanish" in page


# The translation memory -----------------------------------------------------------


def test_the_memory_suggests_the_translation_of_the_same_source(seed):
    """A new text saying what a translated one says gets its translation, 100."""
    first = conclusions(seed)[0]
    copy = Conclusion.objects.create(
        snapshot=seed, order=99, text_en=first.text_en, text_es=""
    )
    [best, *_rest] = memory_for("es").suggestions(
        copy.text_en, Conclusion, copy.pk, "text"
    )
    assert (best.translation, best.score) == (first.text_es, EXACT)


def test_the_memory_scores_a_similar_source_below_100(seed):
    """A source one word apart is suggested with a score under 100."""
    first = conclusions(seed)[0]
    words = first.text_en.split()
    near = " ".join([*words[:-1], "differently."])
    [best, *_rest] = memory_for("es").suggestions(near, Conclusion, 0, "text")
    assert best.translation == first.text_es
    assert LEAST_SCORE <= best.score < EXACT


def test_the_memory_offers_other_snapshots_translations_best_first(seed):
    """Another snapshot's translation of the same source comes before near ones."""
    first = conclusions(seed)[0]
    other = Snapshot.objects.create(
        series="Other", number=2, title="Another snapshot", slug="other"
    )
    Conclusion.objects.create(
        snapshot=other, order=1, text_en=first.text_en, text_es="De la otra."
    )
    Conclusion.objects.create(
        snapshot=other,
        order=2,
        text_en=first.text_en.replace("Governments", "Authorities"),
        text_es="Casi igual.",
    )
    offered = memory_for("es").suggestions(first.text_en, Conclusion, first.pk, "text")
    assert [suggestion.translation for suggestion in offered][:2] == [
        "De la otra.",
        "Casi igual.",
    ]
    scores = [suggestion.score for suggestion in offered]
    assert scores[0] == EXACT and scores == sorted(scores, reverse=True)


def test_the_memory_leaves_out_the_texts_own_translation(seed):
    """A text is not offered its own translation, nor a stale one."""
    first, second, *_rest = conclusions(seed)
    memory = memory_for("es")
    offered = memory.suggestions(first.text_en, Conclusion, first.pk, "text")
    assert first.text_es not in [suggestion.translation for suggestion in offered]
    made_stale(second, first.text_en)
    offered = memory_for("es").suggestions(first.text_en, Conclusion, 0, "text")
    assert second.text_es not in [suggestion.translation for suggestion in offered]


def test_suggestions_are_offered_on_the_page(seed, editor_client):
    """The page shows a suggestion's text and its button to copy it."""
    first = conclusions(seed)[0]
    Conclusion.objects.create(snapshot=seed, order=99, text_en=first.text_en)
    page = editor_client.get(url(seed, query="?filter=missing")).content.decode()
    assert "Same source" in page
    assert "Use this translation" in page
    assert first.text_es.split()[0] in page


# Saving -----------------------------------------------------------------------


def test_a_save_is_one_revision_naming_the_language_and_count(seed, translator_client):
    """Two texts changed are saved together as one revision by the translator."""
    first, second, *_rest = conclusions(seed)
    opened = translator_client.get(url(seed))
    before = Revision.objects.count()
    response = translator_client.post(
        url(seed),
        sent(opened, **{key(first): "Primera nueva.", key(second): "Segunda nueva."}),
    )
    assert response.status_code == 302
    assert Revision.objects.count() == before + 1
    revision = Revision.objects.latest("pk")
    assert revision.user.username == "translator"
    assert "2 texts translated into Spanish" in revision.get_comment()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.text_es, second.text_es) == ("Primera nueva.", "Segunda nueva.")
    followed = translator_client.get(response.url)
    assert "2 texts saved." in followed.content.decode()


def test_saving_unchanged_texts_records_nothing(seed, editor_client):
    """A save without changes writes no revision and no record."""
    opened = editor_client.get(url(seed))
    before = Revision.objects.count(), TranslationRecord.objects.count()
    response = editor_client.post(url(seed), sent(opened), follow=True)
    assert (Revision.objects.count(), TranslationRecord.objects.count()) == before
    assert "Nothing was changed" in response.content.decode()


def test_a_stale_text_saved_is_translated_again(seed, translator_client):
    """Retranslating a stale text makes it current."""
    first = made_stale(conclusions(seed)[0])
    opened = translator_client.get(url(seed))
    translator_client.post(url(seed), sent(opened, **{key(first): "Un texto nuevo."}))
    assert state(first) == TRANSLATED


def test_a_stale_text_marked_still_correct_is_translated_again(seed, translator_client):
    """Ticking "still correct" confirms a stale text without changing it."""
    first = made_stale(conclusions(seed)[0])
    spanish = first.text_es
    opened = translator_client.get(url(seed))
    response = translator_client.post(
        url(seed), {**sent(opened), "still_correct": key(first)}, follow=True
    )
    assert state(first) == TRANSLATED
    first.refresh_from_db()
    assert first.text_es == spanish
    assert "1 text marked still correct." in response.content.decode()


def test_a_save_is_refused_whole_when_a_text_changed_since(seed, translator_client):
    """Someone's change since the page opened refuses the save, typing kept."""
    first, second, *_rest = conclusions(seed)
    opened = translator_client.get(url(seed))
    made_stale(first, "Someone else rewrote this meanwhile.")
    typed = {key(first): "Mi traducción.", key(second): "Otra traducción."}
    response = translator_client.post(url(seed), sent(opened, **typed))
    assert response.status_code == 409
    page = response.content.decode()
    assert "since you opened this page" in page
    assert "Mi traducción.</textarea>" in page
    assert "Otra traducción.</textarea>" in page
    second.refresh_from_db()
    assert second.text_es != "Otra traducción."
    assert Revision.objects.filter(comment__contains="translation editor").count() == 0
    # Signed anew: saving again keeps what was typed.
    again = translator_client.post(url(seed), sent(response, **typed))
    assert again.status_code == 302
    second.refresh_from_db()
    assert second.text_es == "Otra traducción."


def test_a_save_is_refused_whole_when_a_text_was_deleted_since(
    seed, translator_client, content_dump
):
    """A conclusion deleted meanwhile is named, and nothing else is saved."""
    first, second, *_rest = conclusions(seed)
    opened = translator_client.get(url(seed))
    data = sent(opened, **{key(first): "Cambiada.", key(second): "Borrada."})
    second.delete()
    before = content_dump()
    response = translator_client.post(url(seed), data)
    assert response.status_code == 409
    assert "was deleted" in response.content.decode()
    assert content_dump() == before


def test_raw_html_is_refused_beside_its_text_and_nothing_saved(
    seed, translator_client, content_dump
):
    """Markup validation refuses HTML, shows why next to it, and saves nothing."""
    first, second, *_rest = conclusions(seed)
    opened = translator_client.get(url(seed))
    before = content_dump()
    response = translator_client.post(
        url(seed),
        sent(opened, **{key(first): "<b>negrita</b>", key(second): "Bien."}),
    )
    assert response.status_code == 400
    assert content_dump() == before
    page = response.content.decode()
    assert f'id="errors-{key(first)}"' in page
    assert "HTML tags are not allowed" in page
    assert "&lt;b&gt;negrita&lt;/b&gt;</textarea>" in page


# Who may use it, and what it refuses ---------------------------------------------


def test_an_editor_and_a_translator_may_open_it(
    seed, editor_client, client, translator
):
    """Editors and Translators open the Spanish editor."""
    assert editor_client.get(url(seed)).status_code == 200
    client.force_login(translator)
    assert client.get(url(seed)).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(seed, client, content_dump):
    """Without signing in, the editor is neither shown nor saved."""
    before = content_dump()
    for response in (client.get(url(seed)), client.post(url(seed), {})):
        assert response.status_code == 302
        assert reverse("admin:login") in response.url
    assert content_dump() == before


def test_staff_without_rights_are_refused(seed, client, staff_without_permissions):
    """Staff who neither edit nor translate get 403 for GET and POST."""
    client.force_login(staff_without_permissions)
    assert client.get(url(seed)).status_code == 403
    assert client.post(url(seed), {}).status_code == 403


def test_a_viewer_who_does_not_translate_is_refused(seed, client, content_dump):
    """Seeing the content is not enough to save its translations."""
    viewer = staff_user(
        "viewer", Permission.objects.filter(codename__startswith="view_")
    )
    client.force_login(viewer)
    before = content_dump()
    assert client.get(url(seed)).status_code == 403
    assert client.post(url(seed), {}).status_code == 403
    assert content_dump() == before


def test_a_translator_for_another_language_is_refused(seed, client):
    """Translating into French gives no right to the Spanish texts."""
    french, _ = Permission.objects.get_or_create(
        codename="translate_fr",
        content_type=ContentType.objects.get_for_model(TranslationRecord),
        defaults={"name": "Can translate into French"},
    )
    viewer = staff_user(
        "french",
        [*Permission.objects.filter(codename__startswith="view_"), french],
    )
    client.force_login(viewer)
    assert client.get(url(seed)).status_code == 403


def test_unknown_or_source_languages_and_snapshots_answer_404(seed, editor_client):
    """No editor exists for English, a made-up language or snapshot."""
    assert editor_client.get(url(seed, "en")).status_code == 404
    assert editor_client.get(url(seed, "xx")).status_code == 404
    missing = reverse("admin:reviews_snapshot_translate", args=[seed.pk + 100, "es"])
    assert editor_client.get(missing).status_code == 404


def test_it_answers_only_get_and_post(seed, editor_client):
    """Other methods answer 405."""
    assert editor_client.put(url(seed)).status_code == 405
    assert editor_client.delete(url(seed)).status_code == 405


@pytest.mark.parametrize(
    "tamper",
    [
        "other_object",
        "other_snapshot",
        "source_column",
        "non_text_field",
        "unknown_confirm",
        "bad_signature",
        "other_language_signature",
    ],
)
def test_a_tampered_form_is_refused_and_nothing_saved(
    seed, translator_client, content_dump, tamper
):
    """Names of other texts, columns or a forged signature answer 400."""
    first = conclusions(seed)[0]
    opened = translator_client.get(url(seed))
    data = sent(opened, **{key(first): "Cambiado."})
    if tamper == "other_object":
        data[f"conclusions-{first.pk + 1000}-text"] = "¿Otro?"
    elif tamper == "other_snapshot":
        other = Snapshot.objects.create(
            series="Other", number=2, title="Another snapshot", slug="other"
        )
        theirs = Conclusion.objects.create(snapshot=other, order=1, text="Theirs")
        data[f"conclusions-{theirs.pk}-text"] = "¿De otra instantánea?"
    elif tamper == "source_column":
        data[f"conclusions-{first.pk}-text_en"] = "English, by a translator"
    elif tamper == "non_text_field":
        data[f"conclusions-{first.pk}-order"] = "7"
    elif tamper == "unknown_confirm":
        data["still_correct"] = "meeting-1-order"
    elif tamper == "bad_signature":
        data["opened_with"] = data["opened_with"][:-3] + "abc"
    else:
        data["opened_with"] = sign(seed, "en", texts(seed, ["es"]))
    before = content_dump()
    response = translator_client.post(url(seed), data)
    assert response.status_code == 400
    assert "Nothing was saved." in response.content.decode()
    assert content_dump() == before


def test_a_stale_text_still_counts_as_stale_for_a_refused_save(seed, translator_client):
    """A refused save confirms nothing either."""
    first = made_stale(conclusions(seed)[0])
    second = conclusions(seed)[1]
    opened = translator_client.get(url(seed))
    translator_client.post(
        url(seed),
        {**sent(opened, **{key(second): "<i>x</i>"}), "still_correct": key(first)},
    )
    assert state(first) == STALE


def test_a_refused_save_shows_the_typed_text_whatever_the_filter(
    seed, translator_client
):
    """A text typed in, then translated by someone else, stays on the list."""
    first = made_stale(conclusions(seed)[0])
    stale = url(seed, query="?filter=stale")
    opened = translator_client.get(stale)
    first.text_es = "Traducida por otra persona."
    first.save()
    response = translator_client.post(stale, sent(opened, **{key(first): "Mía."}))
    assert response.status_code == 409
    assert "Mía.</textarea>" in response.content.decode()
