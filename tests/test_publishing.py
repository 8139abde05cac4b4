"""
Publishing, as editors and publishers do it in the admin: a working copy
nobody outside sees, numbered publications, a publisher who approves,
scheduled go-live, republishing, unpublishing and permanent versions.
"""

import datetime
import io
import json
import time

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from reversion.models import Version

from reviews.models import Conclusion, Meeting, Person, Snapshot
from reviews.opendata.tables import DATASETS
from reviews.public.charts import CHARTS
from reviews.publishing.completeness import gaps
from reviews.publishing.content import serialise

from .admin_forms import edit_conclusion, publish_through_admin, submitted
from .conftest import publish, translations_checked
from .spreadsheets import workbook_confirm, workbook_of, workbook_preview

SPANISH_FIGURE = "28 Estados miembros"


def admin_url(name, snapshot, *args):
    return reverse(f"admin:reviews_snapshot_{name}", args=[snapshot.pk, *args])


def public_addresses(snapshot):
    """Everything a reader can fetch of a snapshot, in both languages."""
    addresses = ["/sitemap.xml"]
    for language in ("en", "es"):
        with translation.override(language):
            slug = snapshot.slug
            addresses += [
                reverse("reviews:latest"),
                reverse("reviews:snapshot", args=[slug]),
                reverse("reviews:data_json", args=[slug]),
                reverse("reviews:datapackage", args=[slug]),
                reverse("reviews:share_image", args=[slug]),
                *(
                    reverse("reviews:citation", args=[slug, file_format])
                    for file_format in ("bib", "ris")
                ),
                *(
                    reverse("reviews:download", args=[slug, dataset, "csv"])
                    for dataset in DATASETS
                ),
                *(
                    reverse("reviews:chart_file", args=[slug, chart, "svg"])
                    for chart in CHARTS
                ),
                *(
                    reverse("reviews:chart_embed", args=[slug, chart])
                    for chart in CHARTS
                ),
            ]
    return addresses


def everything_public(snapshot):
    client = Client()
    fetched = {}
    for address in public_addresses(snapshot):
        response = client.get(address)
        assert response.status_code == 200, address
        fetched[address] = response.content
    return fetched


def edit_meeting(client, **changes):
    """The meeting's admin form, changed and posted back as a browser does."""
    url = reverse("admin:reviews_meeting_change", args=[Meeting.objects.get().pk])
    data = {**submitted(client.get(url)), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context and response.context["error_summary"]
    )


def test_an_edit_is_public_nowhere_until_published_then_everywhere(
    seed, editor_client, publisher_client
):
    """
    An editor's change to the Spanish overview and an English conclusion
    leaves every public page, download, picture, JSON-LD and the sitemap
    byte for byte as they were; once published, the new text is in each
    page and data file of its language.
    """
    before = everything_public(seed)
    meeting = Meeting.objects.get()
    assert SPANISH_FIGURE not in meeting.overview_es
    overview = meeting.overview_es.replace("29", "28", 1)
    edit_meeting(editor_client, overview_es=overview)
    conclusion = Conclusion.objects.filter(snapshot=seed).first()
    edit_conclusion(editor_client, conclusion, "A conclusion in its working copy.")
    assert everything_public(seed) == before

    assert publish_through_admin(publisher_client, seed).status_code == 302
    after = everything_public(seed)
    with translation.override("es"):
        spanish_page = after[reverse("reviews:snapshot", args=[seed.slug])].decode()
        spanish_json = json.loads(after[reverse("reviews:data_json", args=[seed.slug])])
    assert SPANISH_FIGURE in spanish_page
    assert SPANISH_FIGURE in json.dumps(spanish_json, ensure_ascii=False)
    assert b"A conclusion in its working copy." in after["/en/"]
    assert b"A conclusion in its working copy." not in after["/es/"]
    changed = {address for address in before if before[address] != after[address]}
    assert {"/en/", "/es/"} <= changed


def test_editors_may_prepare_but_never_publish_by_any_route(
    seed, editor, editor_client
):
    """
    No button, and each publishing POST answers 403 and changes nothing:
    publish, schedule, unpublish, republish, cancel.
    """
    page = editor_client.get(admin_url("publish", seed))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Only members of the Publishers group can publish" in html
    assert ">Publish</button>" not in html
    publications = editor_client.get(admin_url("publications", seed)).content.decode()
    for link in ("/republish/", "/unpublish/", "/cancel/"):
        assert link not in publications
    scheduled = publish(seed, goes_live_at=timezone.now() + datetime.timedelta(days=1))
    forged = [
        (admin_url("publish", seed), {"goes_live_at": ""}),
        (admin_url("publish", seed), {"goes_live_at": "2030-01-01 09:00"}),
        (admin_url("unpublish", seed), {}),
        (admin_url("republish", seed, 1), {}),
        (admin_url("cancel", seed, scheduled.number), {}),
    ]
    for url, data in forged:
        assert editor_client.post(url, data).status_code == 403, url
    assert list(seed.publications.values_list("number", flat=True)) == [2, 1]
    assert not hasattr(Snapshot.objects.get(), "withdrawal")


def test_staff_without_rights_see_no_publishing_page(seed, staff_without_permissions):
    client = Client()
    client.force_login(staff_without_permissions)
    for name in ("publish", "publications", "unpublish"):
        assert client.get(admin_url(name, seed)).status_code == 403
    assert client.post(admin_url("publish", seed)).status_code == 403


def test_a_publisher_publishes_a_numbered_version_recorded_with_its_name(
    seed, publisher, publisher_client
):
    conclusion = Conclusion.objects.filter(snapshot=seed).first()
    edit_conclusion(publisher_client, conclusion, "Published by a publisher.")
    confirmation = publisher_client.get(admin_url("publish", seed)).content.decode()
    assert "<ins>Published</ins> <ins>by</ins> a <ins>publisher.</ins>" in confirmation
    assert "This snapshot is the home page" in confirmation
    response = publish_through_admin(publisher_client, seed)
    assert response.status_code == 302
    publication = seed.publications.get(number=2)
    assert publication.published_by == publisher
    assert publication.publisher_name == "publisher"
    listed = publisher_client.get(admin_url("publications", seed)).content.decode()
    assert "Published: version 2 is on the site." in listed
    assert "publisher" in listed


def test_the_confirmation_says_when_the_open_data_has_no_licence(
    seed, publisher_client
):
    seed.licence_name_en = seed.licence_name_es = ""
    seed.licence_url = ""
    seed.save()
    page = publisher_client.get(admin_url("publish", seed)).content.decode()
    assert "The open data has no licence" in page


def test_the_confirmation_says_when_the_meeting_lists_no_organisers(
    seed, publisher_client
):
    """Organisers are data search engines read: publishing without says so."""
    note = "The meeting lists no organisers"
    assert note not in publisher_client.get(admin_url("publish", seed)).content.decode()
    seed.meeting.organisations.all().delete()
    assert note in publisher_client.get(admin_url("publish", seed)).content.decode()


def new_draft_through_the_admin(client):
    """
    Snapshot #2 as the issue's editor made it: its name, organisers and dates
    only, saved through the add form with its meeting inline.
    """
    add = reverse("admin:reviews_snapshot_add")
    data = {
        key: value
        for key, value in submitted(client.get(add)).items()
        if not key.startswith("meeting-")
    }
    data.update(
        {
            "series_en": "Key milestones and progress",
            "series_es": "Hitos clave y avances",
            "number": "2",
            "title_en": "A second snapshot",
            "title_es": "Una segunda instantánea",
            "slug": "second-snapshot",
            "meeting-TOTAL_FORMS": "1",
            "meeting-INITIAL_FORMS": "0",
            "meeting-0-name_en": "Second Regional Review",
            "meeting-0-name_es": "Segunda Revisión Regional",
            "meeting-0-organisers_en": "IOM and ECLAC",
            "meeting-0-organisers_es": "la OIM y la CEPAL",
            "meeting-0-start_date": "2025-04-01",
            "meeting-0-end_date": "2025-04-03",
        }
    )
    response = client.post(add, data)
    assert response.status_code == 302, response.context and [
        response.context["error_summary"]
    ]
    return Snapshot.objects.get(slug="second-snapshot")


def test_a_draft_may_stay_incomplete_but_publishing_lists_each_gap(
    seed, publisher_client
):
    """
    The draft saves with its meeting's website, counts, overview, next step
    and recordings empty; publishing it is refused with every gap listed,
    in each language, each linked to its field; filled in, it publishes
    and becomes the home page while #1 keeps its address.
    """
    draft = new_draft_through_the_admin(publisher_client)
    meeting = draft.meeting
    response = publish_through_admin(publisher_client, draft)
    assert response.status_code == 409
    page = response.content.decode()
    field_url = reverse("admin:reviews_meeting_change", args=[meeting.pk])
    for field in (
        "website_en",
        "website_es",
        "member_states",
        "associate_members",
        "overview_en",
        "overview_es",
        "next_step_en",
        "next_step_es",
        "next_step_year",
        "recordings_url_en",
        "recordings_url_es",
    ):
        assert f'href="{field_url}#id_{field}"' in page, field
    assert "Overview (Spanish)" in page
    assert not draft.publications.exists()
    assert b"A snapshot of the Regional Review" in Client().get("/en/").content

    for gap in gaps(draft):
        field = Meeting._meta.get_field(gap.field_name)
        if field.get_internal_type() == "URLField":
            value = "https://example.org/"
        elif field.get_internal_type() == "CharField" or field.name.startswith(
            "overview"
        ):
            value = "x"
        else:
            value = 2022 if gap.field_name == "next_step_year" else 20
        setattr(meeting, gap.field_name, value)
    meeting.save()
    assert publish_through_admin(publisher_client, draft).status_code == 302
    assert b"A second snapshot" in Client().get("/en/").content
    assert Client().get(seed.get_absolute_url()).status_code == 200


def test_an_unknown_go_live_time_is_refused_with_a_message(seed, publisher_client):
    response = publish_through_admin(publisher_client, seed, "next tuesday")
    assert response.status_code == 400
    assert "YYYY-MM-DD HH:MM" in response.content.decode()
    assert seed.publications.count() == 1


def test_a_scheduled_publication_goes_live_at_its_time_with_no_job(
    seed, publisher_client, settings
):
    """
    Before its time the current publication shows, cached; after it the new
    one, on the next request, with nothing run in between.
    """
    settings.PAGE_CACHE_CHECK_SECONDS = 0
    reader = Client()
    conclusion = Conclusion.objects.filter(snapshot=seed).first()
    edit_conclusion(publisher_client, conclusion, "Goes live in a moment.")
    goes_live = timezone.localtime() + datetime.timedelta(seconds=2)
    response = publish_through_admin(
        publisher_client, seed, goes_live.strftime("%Y-%m-%d %H:%M:%S")
    )
    assert response.status_code == 302
    assert b"Goes live in a moment." not in reader.get("/en/").content
    assert b"Goes live in a moment." not in reader.get("/en/").content
    listed = publisher_client.get(admin_url("publications", seed)).content.decode()
    assert "(scheduled)" in listed
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if b"Goes live in a moment." in reader.get("/en/").content:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the scheduled publication never went live")
    assert timezone.now() >= seed.publications.get(number=2).goes_live_at


def test_a_publisher_cancels_a_scheduled_publication(seed, publisher_client):
    later = timezone.now() + datetime.timedelta(days=3)
    scheduled = publish(seed, goes_live_at=later)
    response = publisher_client.post(admin_url("cancel", seed, scheduled.number))
    assert response.status_code == 302
    assert list(seed.publications.values_list("number", flat=True)) == [1]
    gone_live = seed.publications.get()
    assert publisher_client.post(admin_url("cancel", seed, 1)).status_code == 302
    assert seed.publications.get() == gone_live


def test_republishing_an_earlier_version_and_its_permanent_pages(
    seed, publisher_client
):
    """
    Version 2 changed a conclusion; republishing version 1 makes version 3
    with version 1's content. Each version keeps a read-only page of its
    own, marked as earlier or current, and the citation names the version.
    """
    conclusion = Conclusion.objects.filter(snapshot=seed).first()
    original = conclusion.text_en
    edit_conclusion(publisher_client, conclusion, "Only in version two.")
    publish_through_admin(publisher_client, seed)
    assert b"Only in version two." in Client().get("/en/").content
    response = publisher_client.post(admin_url("republish", seed, 1))
    assert response.status_code == 302
    third = seed.publications.get(number=3)
    assert third.content == seed.publications.get(number=1).content
    assert third.republished_from.number == 1

    reader = Client()
    page = reader.get("/en/").content.decode()
    assert "Only in version two." not in page
    assert original.split("**")[0][:40] in page
    assert f"/en/snapshots/{seed.slug}/versions/3/ (version 3, " in page

    version_two = reader.get(f"/en/snapshots/{seed.slug}/versions/2/")
    assert version_two.status_code == 200
    text = version_two.content.decode()
    assert "Only in version two." in text
    assert "This is an earlier version, version 2" in text
    assert f'href="/en/snapshots/{seed.slug}/"' in text
    assert f"/en/snapshots/{seed.slug}/versions/2/ (version 2, " in text
    assert (
        f'<link rel="canonical" href="http://testserver/en/snapshots/{seed.slug}/versions/2/">'
        in text
    )
    current = reader.get(f"/es/snapshots/{seed.slug}/versions/3/").content.decode()
    assert "la versión actual" in current
    assert reader.get(f"/en/snapshots/{seed.slug}/versions/9/").status_code == 404

    bib = reader.get(f"/en/snapshots/{seed.slug}/citation.bib").content.decode()
    assert "version = {3}" in bib
    assert f"/en/snapshots/{seed.slug}/versions/3/" in bib
    ris = reader.get(f"/es/snapshots/{seed.slug}/citation.ris").content.decode()
    assert "ET  - 3\r\n" in ris
    assert "versión 3" in reader.get("/es/").content.decode()


def test_a_scheduled_version_has_no_page_before_its_time(seed):
    publish(seed, goes_live_at=timezone.now() + datetime.timedelta(days=1))
    assert Client().get(f"/en/snapshots/{seed.slug}/versions/2/").status_code == 404


def test_unpublishing_answers_410_everywhere_until_republished(
    seed, editor_client, publisher_client
):
    """
    Off the site: the page, downloads, versions answer 410 Gone, the home
    page 404 and the sitemap leaves it out; editors still see the working
    copy at its address, marked as a preview; its publications are kept.
    """
    reader = Client()
    assert publisher_client.post(admin_url("unpublish", seed)).status_code == 302
    for address in public_addresses(seed):
        if address == "/sitemap.xml":
            assert seed.slug.encode() not in reader.get(address).content
        elif address in ("/en/", "/es/"):
            assert reader.get(address).status_code == 404
        else:
            assert reader.get(address).status_code == 410, address
    assert reader.get(f"/en/snapshots/{seed.slug}/versions/1/").status_code == 410
    preview = editor_client.get(seed.get_absolute_url())
    assert preview.status_code == 200
    assert b"Preview of the working copy" in preview.content
    assert seed.publications.count() == 1

    assert publisher_client.post(admin_url("republish", seed, 1)).status_code == 302
    everything_public(seed)


def test_copying_a_version_into_the_working_copy_after_later_edits(
    seed, editor_client, publisher_client
):
    """
    After an editor swapped two conclusions, rewrote the overview, deleted a
    person and added a conclusion, copying version 1 gives back exactly its
    content, as one revision of the history, and changes nothing public.
    """
    published = seed.publications.get(number=1).content
    first, second = Conclusion.objects.filter(snapshot=seed)[:2]
    url = reverse("admin:reviews_snapshot_change", args=[seed.pk])
    data = submitted(editor_client.get(url))
    rows = {data[f"conclusions-{n}-id"]: n for n in range(5)}
    data[f"conclusions-{rows[str(first.pk)]}-order"] = str(second.order)
    data[f"conclusions-{rows[str(second.pk)]}-order"] = str(first.order)
    assert editor_client.post(url, data).status_code == 302
    edit_meeting(editor_client, overview_en="Rewritten since.")
    Person.objects.first().delete()
    Conclusion.objects.create(snapshot=seed, order=99, text_en="New.", text_es="Nueva.")
    before = everything_public(seed)

    response = publisher_client.post(admin_url("copy", seed, 1))
    assert response.status_code == 302
    now = serialise(Snapshot.objects.get())
    for content in (now, published):
        content["content"]["reviews.Snapshot"][0].pop("updated_at")
    assert now == published
    assert everything_public(seed) == before
    latest = Version.objects.get_for_object(first).first()
    assert latest.revision.get_comment() == "Copied from publication 1"
    assert latest.revision.user.username == "publisher"


def test_copying_needs_the_rights_to_change_every_kind(seed, staff_who_may_only_edit):
    """Without the rights to add and delete every kind, copying answers 403."""
    Conclusion.objects.filter(snapshot=seed).update(text_en="Kept.")
    client = Client()
    client.force_login(staff_who_may_only_edit)
    assert client.post(admin_url("copy", seed, 1)).status_code == 403
    assert set(Conclusion.objects.values_list("text_en", flat=True)) == {"Kept."}


def workbook_with_status(content, value):
    """The exported workbook with a ``status`` column added by hand."""
    book = workbook_of(content)
    sheet = book["snapshot"]
    column = sheet.max_column + 1
    sheet.cell(row=1, column=column, value="status")
    sheet.cell(row=2, column=column, value=value)
    sheet.cell(
        row=2, column=[c.value for c in sheet[1]].index("title_en") + 1
    ).value = "Retitled in a spreadsheet"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_saying_published_publishes_nothing(seed, publisher_client):
    """
    Even a publisher's workbook only changes the working copy: its status
    column is not read, and the public site stays as it was.
    """
    exported = publisher_client.get(admin_url("workbook_export", seed)).content
    content = workbook_with_status(exported, "published")
    preview = workbook_preview(publisher_client, seed, content)
    assert workbook_confirm(publisher_client, seed, preview).status_code == 302
    assert Snapshot.objects.get().title_en == "Retitled in a spreadsheet"
    assert seed.publications.count() == 1
    assert b"Retitled in a spreadsheet" not in Client().get("/en/").content


def test_a_change_of_slug_moves_the_public_address_only_when_published(
    seed, publisher_client
):
    old = seed.get_absolute_url()
    seed.slug = "renamed"
    seed.save()
    reader = Client()
    assert reader.get(old).status_code == 200
    assert reader.get("/en/snapshots/renamed/").status_code == 404
    publish_through_admin(publisher_client, seed)
    moved = reader.get(old + "data.json")
    assert moved.status_code == 301
    assert moved["Location"] == "/en/snapshots/renamed/data.json"
    assert reader.get("/en/snapshots/renamed/").status_code == 200


def test_a_publication_never_changes(seed):
    publication = seed.publications.get()
    publication.number = 5
    with pytest.raises(Exception, match="never changes"):
        publication.save()


def test_the_preview_shows_the_working_copy_in_each_language(seed, editor_client):
    conclusion = Conclusion.objects.filter(snapshot=seed).first()
    edit_conclusion(editor_client, conclusion, "Seen in the preview.")
    for language in ("en", "es"):
        response = editor_client.get(admin_url("preview", seed, language))
        assert response.status_code == 200
        page = response.content.decode()
        assert f'<html lang="{language}">' in page
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"
        assert ("Seen in the preview." in page) == (language == "en")
    assert editor_client.get(admin_url("preview", seed, "fr")).status_code == 404


def test_xlsx_downloads_come_from_the_publication(seed, editor_client):
    """A spreadsheet download, built from the publication, ignores the working copy."""
    Meeting.objects.update(name_en="Renamed in the working copy")
    with translation.override("en"):
        url = reverse("reviews:download", args=[seed.slug, "participation", "xlsx"])
    book = openpyxl.load_workbook(io.BytesIO(Client().get(url).content))
    cells = [str(cell) for sheet in book for row in sheet.values for cell in row]
    assert not any("Renamed in the working copy" in cell for cell in cells)


@pytest.mark.parametrize("who", ["editor_client", "publisher_client", "admin_client"])
def test_a_published_snapshot_cannot_be_deleted_by_anyone(request, seed, who):
    """Its versions have been read and cited: unpublishing takes it off the site."""
    client = request.getfixturevalue(who)
    url = reverse("admin:reviews_snapshot_delete", args=[seed.pk])
    page = client.get(url).content.decode()
    assert "protected" in page
    client.post(url, {"post": "yes"})
    assert Snapshot.objects.filter(pk=seed.pk).exists()
    assert Client().get(seed.get_absolute_url()).status_code == 200


def test_only_the_pages_readers_can_still_see_are_kept(seed, publisher_client):
    """Publishing forgets the pages stored for the publication it replaces."""
    reader = Client()
    reader.get("/en/")
    reader.get(seed.get_absolute_url())
    first = seed.publications.get(number=1)
    assert first.renderings.count() == 2
    later = timezone.now() + datetime.timedelta(days=1)
    publish_through_admin(publisher_client, seed, f"{later:%Y-%m-%d %H:%M}")
    assert first.renderings.count() == 2, "the current page went before its time"
    publish_through_admin(publisher_client, seed)
    assert not first.renderings.exists()
    reader.get("/en/?again")
    assert seed.publications.get(number=3).renderings.count() == 1


def test_an_edit_saved_after_the_compare_is_not_published_unseen(
    seed, editor_client, publisher_client
):
    """
    The publisher compared the working copy; an editor then saved a change.
    Publishing that page is refused: the new change is shown to compare first.
    """
    conclusion = seed.conclusions.get(order=1)
    edit_conclusion(editor_client, conclusion, "Seen before publishing.")
    translations_checked(seed)
    compared = publisher_client.get(admin_url("publish", seed))
    form = {
        "goes_live_at": "",
        "parity_note": "Emphasis as in the source documents.",
        "compared": compared.context["compared"],
    }
    edit_conclusion(editor_client, conclusion, "Saved after the compare.")
    translations_checked(seed)
    refused = publisher_client.post(admin_url("publish", seed), form)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "changed since you opened this page" in page
    assert "Saved after the compare." in page
    assert seed.publications.count() == 1
    form["compared"] = refused.context["compared"]
    assert publisher_client.post(admin_url("publish", seed), form).status_code == 302
    assert seed.publications.count() == 2


def test_a_publish_form_without_its_compare_is_refused(seed, publisher_client):
    """A POST naming no compare (forged, or from an old page) publishes nothing."""
    response = publisher_client.post(
        admin_url("publish", seed), {"parity_note": "Emphasis as in the source."}
    )
    assert response.status_code == 409
    assert seed.publications.count() == 1
