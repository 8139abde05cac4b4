"""
The translation status in the admin, as translators and editors meet it:
marks on the fields, "Still correct", the "Needs translation" filter, the
snapshot's translation status page, and a translator's limits (their
languages' texts and nothing else, by every route).
"""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.content import CONTENT
from reviews.editorial.admin.still_correct import seen
from reviews.languages import translated_fields
from reviews.models import Conclusion, Meeting, Person, Snapshot, StakeholderCount
from reviews.translations.models import TranslationRecord
from reviews.translations.status import STALE, TRANSLATED

from .admin_forms import edit_conclusion, submitted, submitted_list
from .conftest import group_member, staff_user
from .translation_texts import first_conclusion, state

ENGLISH_EDIT = "Figures & facts."


@pytest.fixture
def stale_conclusion(seed, editor_client):
    """The first conclusion, its English rewritten since its Spanish was made."""
    conclusion = first_conclusion(seed)
    english = conclusion.text_en.replace("Governments", "All governments", 1)
    edit_conclusion(editor_client, conclusion, f"{english} {ENGLISH_EDIT}")
    conclusion.refresh_from_db()
    assert state(seed, conclusion, "text") == STALE
    return conclusion


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def confirm_url(obj):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_confirm_translation", args=[obj.pk]
    )


def confirmation(obj, field="text", language="es", **changes):
    source = getattr(obj, f"{field}_en")
    return {"field": field, "language": language, "seen": seen(source), **changes}


# Marks ----------------------------------------------------------------------


def test_a_stale_translation_is_marked_next_to_its_field(stale_conclusion, client):
    """The Spanish field of a stale text says "Stale", read as its description."""
    client.force_login(group_member("other-editor", "Editors"))
    page = client.get(change_url(stale_conclusion)).content.decode()
    assert 'id="id_text_es_translation">Stale</span>' in page
    assert 'aria-describedby="id_text_es_helptext id_text_es_translation"' in page
    assert "id_text_en_translation" not in page


def test_a_stale_mark_shows_the_source_change_word_by_word(
    stale_conclusion, editor_client
):
    """What the English changed is shown, escaped, its new words marked."""
    page = editor_client.get(change_url(stale_conclusion)).content.decode()
    assert "<ins> Figures &amp; facts.</ins>" in page
    assert "<del>Governments</del>" in page
    assert "<ins>All governments</ins>" in page


def test_a_missing_translation_is_marked_in_an_inline(seed, editor_client):
    """A conclusion with no Spanish is marked "Missing" on the snapshot's page."""
    conclusion = first_conclusion(seed)
    Conclusion.objects.filter(pk=conclusion.pk).update(text_es="")
    page = editor_client.get(change_url(seed)).content.decode()
    assert 'id="id_conclusions-0-text_es_translation">Missing</span>' in page


def test_the_meeting_inline_marks_its_stale_texts(seed, editor_client):
    """The meeting's overview, changed in English, is marked on the snapshot's page."""
    meeting = Meeting.objects.get()
    meeting.overview_en += " More."
    meeting.save()
    page = editor_client.get(change_url(seed)).content.decode()
    assert 'id="id_meeting-0-overview_es_translation">Stale</span>' in page


def test_a_translated_text_carries_no_mark(seed, editor_client):
    """The seed, translated throughout, shows no mark."""
    page = editor_client.get(change_url(seed)).content.decode()
    assert "translation-state" not in page


def test_the_marks_of_a_page_cost_one_query(seed, editor_client):
    """The snapshot's page reads the records of all its rows at once."""
    with CaptureQueriesContext(connection) as queries:
        editor_client.get(change_url(seed))
    reads = [q for q in queries if "translations_translationrecord" in q["sql"]]
    assert len(reads) == 1


# Still correct -------------------------------------------------------------


def test_a_translator_marks_a_stale_translation_still_correct(
    stale_conclusion, translator_client
):
    """The button's POST makes the text current and goes back to the page."""
    url = change_url(stale_conclusion)
    page = translator_client.get(url).content.decode()
    assert 'form="id_text_es_translation_confirm"' in page
    response = translator_client.post(
        confirm_url(stale_conclusion), confirmation(stale_conclusion, next=url)
    )
    assert response.status_code == 302
    assert response.url == url
    assert state(stale_conclusion.snapshot, stale_conclusion, "text") == TRANSLATED
    record = TranslationRecord.objects.get(
        object_id=str(stale_conclusion.pk), field="text", language="es"
    )
    assert record.confirmed
    assert "marked still correct" in translator_client.get(url).content.decode()


def test_still_correct_refuses_a_get(stale_conclusion, translator_client):
    """Only a POST confirms."""
    assert translator_client.get(confirm_url(stale_conclusion)).status_code == 405
    assert state(stale_conclusion.snapshot, stale_conclusion, "text") == STALE


def test_still_correct_needs_the_right_to_write_that_language(stale_conclusion, client):
    """Staff who may only look at the content cannot confirm."""
    viewer = staff_user(
        "viewer", Permission.objects.filter(codename__startswith="view_")
    )
    client.force_login(viewer)
    response = client.post(
        confirm_url(stale_conclusion), confirmation(stale_conclusion)
    )
    assert response.status_code == 403
    assert state(stale_conclusion.snapshot, stale_conclusion, "text") == STALE


def test_still_correct_refuses_the_source_language(stale_conclusion, translator_client):
    """English is no translation: naming it is refused with a message."""
    response = translator_client.post(
        confirm_url(stale_conclusion), confirmation(stale_conclusion, language="en")
    )
    assert response.status_code == 400
    assert "no such translation" in response.content.decode()


def test_still_correct_refuses_a_source_changed_since(
    stale_conclusion, translator_client, editor_client
):
    """A form showing an older English is refused: nobody read the new one."""
    data = confirmation(stale_conclusion)
    edit_conclusion(editor_client, stale_conclusion, "Changed once more.")
    response = translator_client.post(confirm_url(stale_conclusion), data)
    assert response.status_code == 409
    assert "changed again" in response.content.decode()
    assert state(stale_conclusion.snapshot, stale_conclusion, "text") == STALE


def test_still_correct_refuses_a_translation_that_is_not_stale(seed, translator_client):
    """A current translation has nothing to confirm."""
    conclusion = first_conclusion(seed)
    response = translator_client.post(confirm_url(conclusion), confirmation(conclusion))
    assert response.status_code == 409


def test_still_correct_of_no_item_is_not_found(stale_conclusion, translator_client):
    """An unknown item answers 404."""
    url = reverse(
        "admin:reviews_conclusion_confirm_translation", args=[stale_conclusion.pk + 99]
    )
    assert translator_client.post(url, confirmation(stale_conclusion)).status_code == (
        404
    )


def test_still_correct_escapes_a_hostile_field_name(
    stale_conclusion, translator_client
):
    """A made-up field answers 400, the page naming nothing it was sent."""
    response = translator_client.post(
        confirm_url(stale_conclusion),
        {**confirmation(stale_conclusion), "field": "<script>alert(1)</script>"},
    )
    assert response.status_code == 400
    assert b"<script>alert" not in response.content


def test_still_correct_ignores_a_next_elsewhere(stale_conclusion, translator_client):
    """A ``next`` leading off the site goes back to the item's page instead."""
    response = translator_client.post(
        confirm_url(stale_conclusion),
        confirmation(stale_conclusion, next="https://elsewhere.example/"),
    )
    assert response.url == change_url(stale_conclusion)


# The "Needs translation" filter ---------------------------------------------


def listed(client, model, value):
    url = reverse(f"admin:reviews_{model._meta.model_name}_changelist")
    response = client.get(url, {"translation": value})
    return {obj.pk for obj in response.context["cl"].result_list}


def test_the_filter_lists_stale_texts(stale_conclusion, editor_client):
    """ "Spanish: stale" lists the conclusion whose English changed, and only it."""
    assert listed(editor_client, Conclusion, "es-stale") == {stale_conclusion.pk}
    assert listed(editor_client, Conclusion, "es-missing") == set()


def test_the_filter_lists_missing_texts(seed, editor_client):
    """ "Spanish: missing" lists a person whose Spanish title is empty."""
    person = Person.objects.order_by("pk").first()
    Person.objects.filter(pk=person.pk).update(title_es="")
    assert listed(editor_client, Person, "es-missing") == {person.pk}
    assert listed(editor_client, Person, "es-any") == {person.pk}


def test_the_filter_costs_few_queries(stale_conclusion, editor_client):
    """The filter reads the texts and the records once, however many rows."""
    url = reverse("admin:reviews_conclusion_changelist")
    with CaptureQueriesContext(connection) as queries:
        editor_client.get(url, {"translation": "es-any"})
    reads = [q for q in queries if "translations_translationrecord" in q["sql"]]
    assert len(reads) == 1


def test_the_filter_refuses_an_unknown_choice(seed, editor_client):
    """A made-up value is Django's invalid filter, not a 500."""
    url = reverse("admin:reviews_conclusion_changelist")
    response = editor_client.get(url, {"translation": "xx-stale"})
    assert response.status_code == 302
    assert "e=1" in response.url


def test_a_kind_without_texts_has_no_filter(seed, editor_client):
    """Stakeholder counts hold no text: no "needs translation" filter."""
    url = reverse("admin:reviews_stakeholdercount_changelist")
    assert "needs translation" not in editor_client.get(url).content.decode()


# The status page ----------------------------------------------------------


def status_url(snapshot):
    return reverse("admin:reviews_snapshot_translations", args=[snapshot.pk])


def test_the_status_page_counts_per_kind_and_language(stale_conclusion, editor_client):
    """The conclusions' row counts one stale text, the rest translated."""
    snapshot = stale_conclusion.snapshot
    response = editor_client.get(status_url(snapshot))
    assert response.status_code == 200
    [row] = [
        r for r in response.context["summary"] if str(r["kind"]) == "main conclusions"
    ]
    counts = {str(c["label"]): c["count"] for c in row["counts"]}
    total = Conclusion.objects.filter(snapshot=snapshot).count()
    assert counts["Stale"] == 1
    assert counts["Translated"] == total - 1
    assert counts["Missing"] == 0


def test_a_count_lists_its_texts(stale_conclusion, editor_client):
    """The stale count lists the conclusion, linked to its Spanish field."""
    snapshot = stale_conclusion.snapshot
    url = status_url(snapshot)
    page = editor_client.get(url).content.decode()
    link = f"{url}?kind=conclusions&amp;language=es&amp;state=stale"
    assert link in page
    listing = editor_client.get(
        url, {"kind": "conclusions", "language": "es", "state": "stale"}
    ).content.decode()
    assert f'href="{change_url(stale_conclusion)}#id_text_es"' in listing
    assert "still-correct" in listing


def test_the_parity_list_marks_the_differing_tokens(seed, editor_client):
    """The seed's bold spans differ: each listed with its tokens marked."""
    listing = editor_client.get(
        status_url(seed), {"kind": "conclusions", "language": "es", "state": "parity"}
    ).content.decode()
    assert "<mark>" in listing
    assert "Bold spans" in listing


def test_still_correct_from_the_status_page_comes_back_to_it(
    stale_conclusion, translator_client
):
    """The status page's form confirms and returns to the same list."""
    back = status_url(stale_conclusion.snapshot) + "?kind=conclusions"
    response = translator_client.post(
        confirm_url(stale_conclusion), confirmation(stale_conclusion, next=back)
    )
    assert response.url == back


def test_the_status_page_refuses_an_unknown_list(seed, editor_client):
    """A made-up kind answers 400 with a message."""
    response = editor_client.get(
        status_url(seed), {"kind": "nonsense", "language": "es", "state": "stale"}
    )
    assert response.status_code == 400
    assert b"Choose a count" in response.content


def test_the_status_page_costs_the_same_queries_whatever_it_lists(seed, editor_client):
    """Listing the round tables costs no query more than the counts alone."""
    costs = []
    for query in (
        {},
        {"kind": "round_tables", "language": "es", "state": "translated"},
    ):
        with CaptureQueriesContext(connection) as queries:
            editor_client.get(status_url(seed), query)
        costs.append(len(queries))
    assert costs[0] == costs[1] <= 20


def test_the_status_page_refuses_a_post(seed, editor_client):
    """The page only shows: a POST to it answers 405."""
    assert editor_client.post(status_url(seed)).status_code == 405


def test_the_status_page_of_no_snapshot_is_not_found(seed, editor_client):
    """An unknown snapshot answers 404."""
    url = reverse("admin:reviews_snapshot_translations", args=[seed.pk + 100])
    assert editor_client.get(url).status_code == 404


def test_the_status_page_needs_view_permission(seed, staff_without_permissions, client):
    """Staff who may not see the content may not see its translations."""
    client.force_login(staff_without_permissions)
    assert client.get(status_url(seed)).status_code == 403


def test_the_snapshot_page_links_the_status_page(seed, translator_client):
    """The snapshot's page links its translations."""
    page = translator_client.get(change_url(seed)).content.decode()
    assert f'href="{status_url(seed)}"' in page


# A translator's limits -------------------------------------------------------


def test_a_translator_changes_a_spanish_text(seed, translator_client):
    """The change form takes the Spanish, and the English stays as it was."""
    conclusion = first_conclusion(seed)
    url = change_url(conclusion)
    response = translator_client.get(url)
    form = response.context["adminform"].form
    assert set(form.fields) == {"text_es", "opened_with"}
    data = {**submitted(response), "text_es": "Nuevo texto."}
    assert translator_client.post(url, data).status_code == 302
    conclusion.refresh_from_db()
    assert conclusion.text_es == "Nuevo texto."


def test_a_translator_sees_the_english_read_only(seed, translator_client):
    """The English text and the position are shown, not editable, and named."""
    response = translator_client.get(change_url(first_conclusion(seed)))
    readonly = response.context["adminform"].readonly_fields
    assert {"text_en", "order", "snapshot"} <= set(readonly)
    assert "Text (English):</label>" in response.content.decode()
    inline = translator_client.get(change_url(seed)).content.decode()
    assert "Overview (English):</label>" in inline


def test_a_forged_english_change_is_refused(seed, translator_client):
    """A POST that changes the English answers 403 and writes nothing."""
    conclusion = first_conclusion(seed)
    url = change_url(conclusion)
    data = {
        **submitted(translator_client.get(url)),
        "text_es": "Nuevo.",
        "text_en": "Forged.",
    }
    assert translator_client.post(url, data).status_code == 403
    stored = Conclusion.objects.get(pk=conclusion.pk)
    assert (stored.text_en, stored.text_es) == (conclusion.text_en, conclusion.text_es)


def test_a_forged_position_is_refused(seed, translator_client):
    """A POST that moves the conclusion answers 403."""
    conclusion = first_conclusion(seed)
    url = change_url(conclusion)
    data = {**submitted(translator_client.get(url)), "order": "77"}
    assert translator_client.post(url, data).status_code == 403
    assert Conclusion.objects.get(pk=conclusion.pk).order == conclusion.order


def test_a_translator_changes_an_inline_spanish_text(seed, translator_client):
    """On the snapshot's page a conclusion's Spanish is saved."""
    url = change_url(seed)
    data = submitted(translator_client.get(url))
    data["conclusions-0-text_es"] = "Cambiado en línea."
    assert translator_client.post(url, data).status_code == 302
    assert Conclusion.objects.get(pk=data["conclusions-0-id"]).text_es == (
        "Cambiado en línea."
    )


def test_a_forged_inline_english_change_is_refused(seed, translator_client):
    """An inline row's English changed in the POST answers 403."""
    url = change_url(seed)
    data = submitted(translator_client.get(url))
    before = Conclusion.objects.get(pk=data["conclusions-0-id"]).text_en
    data["conclusions-0-text_es"] = "Cambiado."
    data["conclusions-0-text_en"] = "Forged."
    assert translator_client.post(url, data).status_code == 403
    stored = Conclusion.objects.get(pk=data["conclusions-0-id"])
    assert stored.text_en == before
    assert stored.text_es != "Cambiado."


def test_a_forged_count_in_a_view_only_inline_is_refused(seed, translator_client):
    """The stakeholder counts are shown only: a changed count answers 403."""
    url = change_url(seed)
    data = submitted(translator_client.get(url))
    count = StakeholderCount.objects.get(pk=data["stakeholder_counts-0-id"])
    data["stakeholder_counts-0-count"] = str(count.count + 1)
    assert translator_client.post(url, data).status_code == 403
    assert StakeholderCount.objects.get(pk=count.pk).count == count.count


def test_a_forged_inline_row_is_refused(seed, translator_client):
    """A conclusion added to the POST answers 403 and adds none."""
    url = change_url(seed)
    data = submitted(translator_client.get(url))
    total = int(data["conclusions-TOTAL_FORMS"])
    data["conclusions-TOTAL_FORMS"] = str(total + 1)
    data[f"conclusions-{total}-text_en"] = "Forged."
    data[f"conclusions-{total}-text_es"] = "Falsa."
    before = Conclusion.objects.count()
    assert translator_client.post(url, data).status_code == 403
    assert Conclusion.objects.count() == before


def test_a_forged_inline_deletion_is_refused(seed, translator_client):
    """A conclusion marked deleted in the POST answers 403 and stays."""
    url = change_url(seed)
    data = submitted(translator_client.get(url))
    data["conclusions-0-DELETE"] = "on"
    before = Conclusion.objects.count()
    assert translator_client.post(url, data).status_code == 403
    assert Conclusion.objects.count() == before


def test_a_translator_has_no_editable_columns(seed, translator_client):
    """The people's list shows no editable positions to a translator."""
    url = reverse("admin:reviews_person_changelist")
    response = translator_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].formset is None


def test_a_forged_list_save_is_refused(seed, translator_client, editor_client):
    """The list's editable columns posted by a translator answer 403."""
    url = reverse("admin:reviews_person_changelist")
    data = submitted_list(editor_client.get(url))
    first = Person.objects.get(pk=data["form-0-id"])
    data["form-0-order"] = str(first.order + 50)
    assert translator_client.post(url, data).status_code == 403
    assert Person.objects.get(pk=first.pk).order == first.order


def test_a_translator_cannot_add(seed, translator_client):
    """The add page and its POST answer 403."""
    url = reverse("admin:reviews_conclusion_add")
    assert translator_client.get(url).status_code == 403
    data = {"snapshot": seed.pk, "text_en": "New.", "text_es": "Nueva."}
    before = Conclusion.objects.count()
    assert translator_client.post(url, data).status_code == 403
    assert Conclusion.objects.count() == before


def test_a_translator_cannot_delete(seed, translator_client):
    """The delete page and its POST answer 403."""
    conclusion = first_conclusion(seed)
    url = reverse("admin:reviews_conclusion_delete", args=[conclusion.pk])
    assert translator_client.get(url).status_code == 403
    assert translator_client.post(url, {"post": "yes"}).status_code == 403
    assert Conclusion.objects.filter(pk=conclusion.pk).exists()


def test_a_translator_cannot_restore_a_version(stale_conclusion, translator_client):
    """A version's restore page and its POST answer 403."""
    from reversion.models import Version

    version = Version.objects.get_for_object(stale_conclusion).order_by("pk").first()
    url = reverse(
        "admin:reviews_conclusion_revision", args=[stale_conclusion.pk, version.pk]
    )
    assert translator_client.get(url).status_code == 403
    assert translator_client.post(url, {"_save": "Save"}).status_code == 403
    stored = Conclusion.objects.get(pk=stale_conclusion.pk)
    assert stored.text_en == stale_conclusion.text_en


def test_a_translator_cannot_recover_a_deleted_item(seed, translator_client):
    """The recover list answers 403."""
    url = reverse("admin:reviews_conclusion_recoverlist")
    assert translator_client.get(url).status_code == 403


def test_a_translator_imports_only_the_snapshot_s_workbook(seed, translator_client):
    """
    A changelist's import answers 403; the snapshot's workbook opens, as its
    import writes only their languages' columns (tests/test_xliff.py).
    """
    assert (
        translator_client.get(reverse("admin:reviews_conclusion_import")).status_code
        == 403
    )
    workbook = reverse("admin:reviews_snapshot_workbook_import", args=[seed.pk])
    assert translator_client.get(workbook).status_code == 200


def test_a_translator_changes_the_snapshot_s_spanish_title(seed, translator_client):
    """The snapshot's own page, slug and all read-only, saves the Spanish title."""
    url = change_url(seed)
    data = {**submitted(translator_client.get(url)), "title_es": "Nuevo título"}
    assert translator_client.post(url, data).status_code == 302
    stored = Snapshot.objects.get(pk=seed.pk)
    assert (stored.title_es, stored.slug) == ("Nuevo título", seed.slug)


def test_an_editor_keeps_every_field(seed, editor_client):
    """An editor's form still holds the English, the position and the relation."""
    response = editor_client.get(change_url(first_conclusion(seed)))
    form = response.context["adminform"].form
    assert {"text_en", "text_es", "order", "snapshot"} <= set(form.fields)
    url = reverse("admin:reviews_person_changelist")
    assert editor_client.get(url).context["cl"].formset is not None


def test_a_translator_changes_a_person_s_spanish_title_in_the_table(
    seed, translator_client
):
    """On the meeting's page a person's Spanish title is saved from the table."""
    url = change_url(Meeting.objects.get())
    data = submitted(translator_client.get(url))
    data["people-0-title_es"] = "Nuevo cargo"
    assert translator_client.post(url, data).status_code == 302
    assert Person.objects.get(pk=data["people-0-id"]).title_es == "Nuevo cargo"


def test_a_forged_position_in_the_table_is_refused(seed, translator_client):
    """A person moved in the meeting's table answers 403 and stays put."""
    url = change_url(Meeting.objects.get())
    data = submitted(translator_client.get(url))
    person = Person.objects.get(pk=data["people-0-id"])
    data["people-0-order"] = str(person.order + 40)
    assert translator_client.post(url, data).status_code == 403
    assert Person.objects.get(pk=person.pk).order == person.order


def test_a_translator_cannot_undo_an_import(seed, translator_client):
    """The workbook page's undo answers 403."""
    url = reverse("admin:reviews_snapshot_workbook_import", args=[seed.pk])
    assert translator_client.post(url, {"undo": "1", "revision": "1"}).status_code == (
        403
    )


def test_staff_who_only_view_get_a_read_only_page(seed, client):
    """Without a translate permission nothing on the page is editable."""
    client.force_login(
        staff_user("viewer", Permission.objects.filter(codename__startswith="view_"))
    )
    conclusion = first_conclusion(seed)
    response = client.get(change_url(conclusion))
    assert not response.context["has_change_permission"]
    data = {"text_es": "Cambiado.", "opened_with": "", "_save": "Save"}
    assert client.post(change_url(conclusion), data).status_code == 403
    assert Conclusion.objects.get(pk=conclusion.pk).text_es == conclusion.text_es


def test_a_translator_s_list_offers_the_filter(seed, translator_client):
    """The conclusions' list, as a translator sees it, filters by stale texts."""
    url = reverse("admin:reviews_conclusion_changelist")
    page = translator_client.get(url).content.decode()
    assert "?translation=es-stale" in page


@pytest.mark.parametrize(
    "kind",
    [kind for kind in CONTENT if translated_fields(kind.model)],
    ids=str,
)
def test_a_translator_saves_every_translated_kind_s_page(seed, translator_client, kind):
    """Each translated kind's page opens for a translator and saves as sent."""
    obj = kind.model.objects.order_by("pk").first()
    url = change_url(obj)
    response = translator_client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"]
    assert translator_client.post(url, submitted(response)).status_code == 302
    opts = kind.model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert translator_client.get(changelist).status_code == 200
