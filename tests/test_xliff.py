"""XLIFF for translators' tools: export, import with preview, confirm and undo."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree
from translate.storage import xliff

from reviews.models import Conclusion, Snapshot
from reviews.spreadsheets.workbook import export_workbook
from reviews.spreadsheets.xliff import XLIFF_12
from reviews.translations.status import STALE, texts

from .spreadsheets import edit, upload, workbook_confirm, workbook_preview, zip_bomb

FIRST_CONCLUSION = "conclusions/1/text"


def export_url(snapshot, language="es"):
    return reverse("admin:reviews_snapshot_xliff_export", args=[snapshot.pk, language])


def import_url(snapshot, language="es"):
    return reverse("admin:reviews_snapshot_xliff_import", args=[snapshot.pk, language])


def exported(client, snapshot, language="es"):
    response = client.get(export_url(snapshot, language))
    assert response.status_code == 200
    return response.content


def units(content):
    store = xliff.xlifffile.parsestring(content)
    return {unit.xmlelement.get("id"): unit for unit in store.units}


def translated(content, unit_id, target):
    """The file with one unit's target rewritten, as a translation tool saves it."""
    store = xliff.xlifffile.parsestring(content)
    unit = next(u for u in store.units if u.xmlelement.get("id") == unit_id)
    unit.settarget(target, lang="es")
    unit.marktranslated()
    return bytes(store)


def post_file(client, snapshot, content, name="snapshot.es.xlf", language="es"):
    return client.post(
        import_url(snapshot, language),
        {"translation_file": SimpleUploadedFile(name, content)},
    )


def file_errors(response):
    return response.context["form"].errors["translation_file"]


def confirm(client, snapshot, response):
    return client.post(
        import_url(snapshot),
        {"confirm": "1", **response.context["confirm_form"].initial},
    )


# Export ------------------------------------------------------------------------


def test_export_is_xliff_1_2_with_one_file_for_the_snapshot(seed, editor_client):
    """translate-toolkit reads the export back: one <file>, English to Spanish."""
    response = editor_client.get(export_url(seed))
    assert response["Content-Type"] == "application/x-xliff+xml"
    assert f'filename="{seed.slug}.es.xlf"' in response["Content-Disposition"]
    root = etree.fromstring(response.content)
    assert (root.tag, root.get("version")) == (f"{{{XLIFF_12}}}xliff", "1.2")
    store = xliff.xlifffile.parsestring(response.content)
    assert store.getfilenames() == [seed.slug]
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("en", "es")
    wanted = [t for t in texts(seed, ["es"]) if t.source.strip()]
    assert [u.source for u in store.units] == [t.source for t in wanted]
    assert [u.target for u in store.units] == [t.translation for t in wanted]


def test_the_export_has_what_xliff_1_2_requires(seed, editor_client):
    """No XLIFF schema ships with lxml or translate-toolkit: its rules, checked."""
    venv = Path(etree.__file__).parents[1]
    assert not [p for p in venv.rglob("*.xsd") if "xliff" in p.name.lower()]
    root = etree.fromstring(exported(editor_client, seed))
    ns = {"x": XLIFF_12}
    [file] = root.findall("x:file", ns)
    assert {"original", "source-language", "datatype"} <= set(file.attrib)
    ids = [unit.get("id") for unit in file.iterfind("x:body/x:trans-unit", ns)]
    assert ids and len(ids) == len(set(ids)) and all(ids)
    for unit in file.iterfind("x:body/x:trans-unit", ns):
        assert unit.find("x:source", ns) is not None


def test_unit_ids_name_sheet_key_and_field_and_are_stable(seed, editor_client):
    """Ids come from the content map, in content order, the same on every export."""
    first = list(units(exported(editor_client, seed)))
    assert first[0] == "snapshot/series"
    assert FIRST_CONCLUSION in first and "meeting/overview" in first
    assert first.index("meeting/overview") < first.index(FIRST_CONCLUSION)
    Conclusion.objects.filter(order=2).update(text_es="Otra cosa.")
    assert list(units(exported(editor_client, seed))) == first


def test_units_carry_their_state_and_a_stale_one_its_earlier_english(
    seed, editor_client
):
    """Missing, stale and translated texts show as tools expect them."""
    first, second = Conclusion.objects.filter(snapshot=seed).order_by("order")[:2]
    old_english = first.text_en
    first.text_en = "The English changed."
    first.save()
    second.text_es = ""
    second.save()
    found = units(exported(editor_client, seed))
    stale = found[FIRST_CONCLUSION]
    target = stale.getlanguageNode(lang=None, index=1)
    assert target.get("state") == "needs-review-translation"
    assert target.get("state-qualifier") == "fuzzy-match"
    assert old_english in stale.getnotes()
    missing = found["conclusions/2/text"].getlanguageNode(lang=None, index=1)
    assert missing.get("state") == "needs-translation"
    done = found["conclusions/3/text"].getlanguageNode(lang=None, index=1)
    assert done.get("state") == "translated"


def test_export_answers_405_to_a_post(seed, editor_client):
    """The file is fetched, never posted for."""
    assert editor_client.post(export_url(seed)).status_code == 405


def test_a_translator_exports_the_workbook(seed, translator_client):
    """Translators fetch the workbook to fill in their columns."""
    url = reverse("admin:reviews_snapshot_workbook_export", args=[seed.pk])
    assert translator_client.get(url).status_code == 200


def test_export_of_a_language_the_site_does_not_translate_is_404(seed, editor_client):
    """Only target languages have a file: English is the source."""
    assert editor_client.get(export_url(seed, "en")).status_code == 404
    assert editor_client.get(export_url(seed, "fr")).status_code == 404


def test_export_needs_a_right_to_export_or_translate(
    seed, client, staff_without_permissions
):
    """Staff who neither export nor translate are refused; visitors sign in."""
    assert client.get(export_url(seed)).status_code == 302
    client.force_login(staff_without_permissions)
    assert client.get(export_url(seed)).status_code == 403


def test_a_translator_exports_the_file(seed, translator_client):
    """The Translators group may fetch the file of its languages."""
    assert units(exported(translator_client, seed))


# Import ------------------------------------------------------------------------


def test_round_trip_changes_nothing(seed, editor_client, content_dump):
    """The file imported as exported previews no change and changes nothing."""
    before = content_dump()
    response = post_file(editor_client, seed, exported(editor_client, seed))
    assert response.status_code == 200
    assert "This file changes no text" in response.content.decode()
    assert response.context["outcome"].updated == 0
    confirm(editor_client, seed, response)
    assert content_dump() == before


def test_a_translated_file_is_previewed_confirmed_and_undone(seed, editor_client):
    """The preview marks the changed words; confirming writes it; undo restores."""
    conclusion = Conclusion.objects.get(snapshot=seed, order=1)
    old = conclusion.text_es
    new = old.replace("región", "región andina", 1)
    content = translated(exported(editor_client, seed), FIRST_CONCLUSION, new)
    response = post_file(editor_client, seed, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"<ins>\s*andina\s*</ins>", page)
    assert "conclusions: 0 new, 1 changed" in page
    assert Conclusion.objects.get(pk=conclusion.pk).text_es == old
    response = confirm(editor_client, seed, response)
    assert response.status_code == 302
    assert Conclusion.objects.get(pk=conclusion.pk).text_es == new
    page = editor_client.get(import_url(seed)).content.decode()
    assert "Undo this change" in page
    undo = editor_client.get(import_url(seed)).context["undo_form"].initial
    editor_client.post(import_url(seed), {"undo": "1", **undo})
    assert Conclusion.objects.get(pk=conclusion.pk).text_es == old


def test_only_the_targets_of_its_language_are_applied(seed, editor_client):
    """A changed source in the file is the record of its export, never written."""
    content = exported(editor_client, seed)
    store = xliff.xlifffile.parsestring(content)
    unit = next(u for u in store.units if u.xmlelement.get("id") == FIRST_CONCLUSION)
    english = Conclusion.objects.get(order=1).text_en
    unit.source = "Tampered English."
    response = post_file(editor_client, seed, bytes(store))
    assert Conclusion.objects.get(order=1).text_en == english
    [stale] = response.context["outcome"].stale
    assert stale.unit_id == FIRST_CONCLUSION


def test_a_unit_whose_english_changed_since_the_export_is_left_and_listed(
    seed, editor_client
):
    """A translation of older English never replaces the current one."""
    content = translated(
        exported(editor_client, seed), FIRST_CONCLUSION, "Traducción antigua."
    )
    conclusion = Conclusion.objects.get(order=1)
    conclusion.text_en = "Newer English."
    conclusion.save()
    spanish = conclusion.text_es
    response = post_file(editor_client, seed, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stale units, not applied" in page and "Newer English." in page
    confirm(editor_client, seed, response)
    assert Conclusion.objects.get(order=1).text_es == spanish
    [text] = [
        t for t in texts(seed, ["es"]) if t.obj == conclusion and t.field == "text"
    ]
    assert text.state == STALE


def test_an_older_file_leaves_a_translation_made_on_the_site_since(seed, editor_client):
    """A unit the file left as exported does not undo a newer translation."""
    older = translated(exported(editor_client, seed), "conclusions/2/text", "Otra.")
    conclusion = Conclusion.objects.get(order=1)
    conclusion.text_es = "Más nueva, del sitio."
    conclusion.save()
    response = post_file(editor_client, seed, older)
    confirm(editor_client, seed, response)
    assert Conclusion.objects.get(order=1).text_es == "Más nueva, del sitio."
    assert Conclusion.objects.get(order=2).text_es == "Otra."


def test_a_translation_changed_both_in_the_file_and_on_the_site_is_listed(
    seed, editor_client
):
    """Neither translator's work is lost silently: the site's stays, and is shown."""
    older = translated(exported(editor_client, seed), FIRST_CONCLUSION, "Del archivo.")
    conclusion = Conclusion.objects.get(order=1)
    conclusion.text_es = "Del sitio."
    conclusion.save()
    response = post_file(editor_client, seed, older)
    page = response.content.decode()
    assert "Translations changed since the export, not applied" in page
    assert "the file says “Del archivo.”, the site now “Del sitio.”" in page
    confirm(editor_client, seed, response)
    assert Conclusion.objects.get(order=1).text_es == "Del sitio."


def test_a_file_without_the_export_record_applies_its_targets(seed, editor_client):
    """A file a tool made anew, without the record, is applied as it says."""
    content = translated(exported(editor_client, seed), FIRST_CONCLUSION, "Nuevo.")
    root = etree.fromstring(content)
    for group in root.iter(f"{{{XLIFF_12}}}context-group"):
        group.getparent().remove(group)
    Conclusion.objects.filter(order=1).update(text_es="Del sitio.")
    response = post_file(editor_client, seed, etree.tostring(root))
    confirm(editor_client, seed, response)
    assert Conclusion.objects.get(order=1).text_es == "Nuevo."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda c: c.replace(
                b'id="conclusions/1/text"', b'id="conclusions/99/text"'
            ),
            "The unit “conclusions/99/text” names no text of this snapshot.",
        ),
        (
            lambda c: c.replace(b'target-language="es"', b'target-language="fr"'),
            "The file's target language is “fr”, but this import needs “es”.",
        ),
        (
            lambda c: c.replace(b'original="', b'original="another-'),
            "is for the snapshot “another-",
        ),
        (
            lambda c: re.sub(rb'original="[^"]*"', b"", c),
            "This file is for the snapshot “”",
        ),
        (
            lambda c: c.replace(
                b"</file>", b"</file>" + re.search(rb"<file.*</file>", c, re.S).group()
            ),
            "is for the snapshot “",
        ),
    ],
)
def test_a_file_of_another_snapshot_language_or_text_is_refused_whole(
    seed, editor_client, content_dump, change, message
):
    """Unknown ids, another language or another snapshot: nothing is imported."""
    content = translated(exported(editor_client, seed), "conclusions/2/text", "Otro.")
    before = content_dump()
    response = post_file(editor_client, seed, change(content))
    assert response.status_code == 400
    assert any(message in error for error in file_errors(response))
    assert content_dump() == before


def test_a_target_with_html_is_refused_by_unit(seed, editor_client, content_dump):
    """Targets are validated as the admin validates the field."""
    content = translated(
        exported(editor_client, seed), FIRST_CONCLUSION, "<b>Negrita</b>"
    )
    before = content_dump()
    response = post_file(editor_client, seed, content)
    assert response.status_code == 400
    [sheet] = [s for s in response.context["outcome"].sheets if s.errors]
    assert sheet.errors[0].startswith("Unit “conclusions/1/text”: HTML tags")
    assert content_dump() == before


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file
original="s" source-language="en" target-language="es" datatype="plaintext"><body>
<trans-unit id="a"><source>&lol3;</source></trans-unit></body></file></xliff>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file
original="s" source-language="en" target-language="es" datatype="plaintext"><body>
<trans-unit id="a"><source>&secret;</source></trans-unit></body></file></xliff>"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BILLION_LAUGHS, "declares a DOCTYPE or entities"),
        (EXTERNAL_ENTITY, "declares a DOCTYPE or entities"),
        (b'<?xml version="1.0"?><!DOCTYPE xliff><xliff/>', "declares a DOCTYPE"),
        (b"conclusions;text_es\n1;Hola\n", "could not be read as an XLIFF file"),
        (b"<xliff><file>", "could not be read as an XLIFF file"),
        (b"<html><body>Hola</body></html>", "could not be read as an XLIFF file"),
        (zip_bomb(), "is a zip archive, not an XLIFF file"),
        (b"", "file is empty"),
    ],
)
def test_hostile_or_malformed_files_are_refused_with_the_database_unchanged(
    seed, editor_client, content_dump, content, message
):
    """Entities, DOCTYPEs, non-XML and disguised zips are refused with a message."""
    before = content_dump()
    response = post_file(editor_client, seed, content)
    assert response.status_code == 400
    assert any(message in str(error) for error in file_errors(response))
    assert content_dump() == before


def test_a_file_over_the_upload_limit_is_refused_unread(
    seed, editor_client, settings, content_dump
):
    """The upload limit of spreadsheets holds for XLIFF files too."""
    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 1000
    before = content_dump()
    response = post_file(editor_client, seed, exported(editor_client, seed))
    assert response.status_code == 400
    assert "files up to 1000" in " ".join(file_errors(response)).replace("\xa0", " ")
    assert content_dump() == before


def test_a_confirmation_with_a_tampered_key_is_refused(seed, editor_client):
    """A key not from this session's preview confirms nothing."""
    response = editor_client.post(
        import_url(seed), {"confirm": "1", "upload": "x" * 30}
    )
    assert response.status_code == 400
    assert "The preview has expired" in response.content.decode()


def test_a_workbook_preview_cannot_be_confirmed_as_xliff(seed, editor_client):
    """A preview is confirmed by the page it was made on only."""
    preview = workbook_preview(editor_client, seed, export_workbook(seed))
    response = confirm(editor_client, seed, preview)
    assert response.status_code == 400


def test_the_import_page_answers_405_to_other_methods(seed, editor_client):
    """Only GET and POST."""
    assert editor_client.put(import_url(seed)).status_code == 405


def test_import_needs_import_rights_or_the_language(
    seed, client, staff_without_permissions
):
    """Staff who neither import nor translate are refused; so is English."""
    client.force_login(staff_without_permissions)
    assert client.get(import_url(seed)).status_code == 403
    response = post_file(client, seed, b"<xliff/>")
    assert response.status_code == 403


def test_import_of_the_source_language_is_404(seed, editor_client):
    """There is no XLIFF import into English."""
    assert editor_client.get(import_url(seed, "en")).status_code == 404


# Translators -------------------------------------------------------------------


def test_a_translator_imports_xliff_but_cannot_undo(seed, translator_client):
    """Their translation is applied; the undo is not theirs to make."""
    content = translated(
        exported(translator_client, seed), FIRST_CONCLUSION, "De la traductora."
    )
    response = post_file(translator_client, seed, content)
    assert response.status_code == 200
    assert confirm(translator_client, seed, response).status_code == 302
    assert Conclusion.objects.get(order=1).text_es == "De la traductora."
    page = translator_client.get(import_url(seed))
    assert page.context["undo_form"] is None
    response = translator_client.post(import_url(seed), {"undo": "1", "revision": 1})
    assert response.status_code == 403
    assert Conclusion.objects.get(order=1).text_es == "De la traductora."


def workbook_url(snapshot):
    return reverse("admin:reviews_snapshot_workbook_import", args=[snapshot.pk])


def test_a_translator_imports_the_spanish_columns_of_a_workbook(
    seed, translator_client
):
    """A workbook changing only Spanish texts is theirs to import."""
    content = edit(export_workbook(seed), "conclusions", 2, "text_es", "Traducido.")
    response = workbook_preview(translator_client, seed, content)
    workbook_confirm(translator_client, seed, response)
    assert Conclusion.objects.get(order=1).text_es == "Traducido."


@pytest.mark.parametrize(
    ("sheet", "row", "column", "value", "named"),
    [
        ("conclusions", 2, "text_en", "Changed English.", "row 2, column “text_en”"),
        ("meeting", 2, "member_states", 99, "row 2, column “member_states”"),
        ("snapshot", 2, "number", 7, "row 2, column “number”"),
    ],
)
def test_a_translators_workbook_changing_other_columns_is_refused_naming_cells(
    seed, translator_client, content_dump, sheet, row, column, value, named
):
    """English texts and numbers are not a translator's: nothing is imported."""
    content = edit(export_workbook(seed), "conclusions", 2, "text_es", "Traducido.")
    content = edit(content, sheet, row, column, value)
    before = content_dump()
    response = translator_client.post(workbook_url(seed), {"workbook": upload(content)})
    assert response.status_code == 400
    errors = [e for s in response.context["outcome"].sheets for e in s.errors]
    assert any(named in error and "only the columns" in error for error in errors)
    assert content_dump() == before


def test_a_translators_workbook_adding_a_row_is_refused(
    seed, translator_client, content_dump
):
    """A new row is not a translation."""
    content = export_workbook(seed)
    for column, value in (
        ("snapshot", seed.slug),
        ("order", 9),
        ("text_en", "New"),
        ("text_es", "Nueva"),
    ):
        content = edit(content, "conclusions", 7, column, value)
    before = content_dump()
    response = translator_client.post(workbook_url(seed), {"workbook": upload(content)})
    assert response.status_code == 400
    errors = [e for s in response.context["outcome"].sheets for e in s.errors]
    assert any("row 7 (new)" in error for error in errors)
    assert content_dump() == before


def test_a_translator_sees_the_links_to_export_and_import(seed, translator_client):
    """The snapshot's page offers them the workbook and XLIFF."""
    page = translator_client.get(
        reverse("admin:reviews_snapshot_change", args=[seed.pk])
    ).content.decode()
    assert export_url(seed) in page and import_url(seed) in page
    assert workbook_url(seed) in page


def test_the_snapshot_page_of_an_editor_links_xliff(seed, editor_client):
    """Editors see the XLIFF links next to the workbook's."""
    snapshot = Snapshot.objects.get(pk=seed.pk)
    page = editor_client.get(
        reverse("admin:reviews_snapshot_change", args=[snapshot.pk])
    ).content.decode()
    assert "Export XLIFF (es)" in page and "Import XLIFF (es)" in page
