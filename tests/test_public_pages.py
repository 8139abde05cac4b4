"""The public snapshot page: content, languages, privacy, discovery and cost."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from reviews.content import page_query_budget
from reviews.models import (
    Conclusion,
    MeetingDay,
    ParticipationFigure,
    Person,
    RoundTable,
    Snapshot,
    StakeholderCount,
    StakeholderGroup,
    TimelineEvent,
    TimelineFigure,
)
from reviews.public.views import render_snapshot

from .conftest import publish
from .pages import missing_lines, page_words, seed_lines

pytestmark = pytest.mark.django_db

SNAPSHOT_URL = "/{language}/snapshots/regional-review-latin-america-caribbean-2021/"


def get_page(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("accept_language", "target"),
    [
        ("es-CL,es;q=0.9,en;q=0.8", "/es/"),
        ("es", "/es/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("pt-BR,pt;q=0.9", "/en/"),
        ("", "/en/"),
    ],
)
def test_home_sends_readers_to_their_browser_language(client, accept_language, target):
    """/ redirects Spanish browsers to /es/ and everyone else to /en/."""
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == target
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_sentence_and_figure_of_the_seed_is_on_its_page(client, seed, language):
    """Each line of the seed document appears, in order of its words, on the page."""
    assert missing_lines(get_page(client, language), language) == []


def test_spanish_emphasis_is_strong(client, seed):
    """The bold phrases of the Spanish conclusions are <strong>."""
    page = get_page(client, "es")
    assert "<strong>Pacto Mundial</strong>" in page
    assert (
        "<strong>instrumento multilateral para la gobernanza migratoria "
        "contemporánea</strong>" in page
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_stakeholder_groups_are_shown_with_their_counts(client, seed, language):
    """Each group's name sits next to its count, and the total is 982."""
    shown = page_words(get_page(client, language))
    with translation.override(language):
        for count in seed.stakeholder_counts.select_related("group"):
            pair = page_words(f"{count.group.name} {count.count}")
            assert pair in shown, count.group.name
    assert " 982 " in shown


@pytest.mark.parametrize(("language", "other"), [("es", "en"), ("en", "es")])
def test_nothing_of_the_other_language_leaks_into_a_page(client, seed, language, other):
    """No sentence of the other language's seed appears on a page."""
    own = set(seed_lines(language))
    shown = page_words(get_page(client, language))
    foreign = [
        line for line in seed_lines(other) if len(line.split()) >= 4 and line not in own
    ]
    assert len(foreign) > 40
    assert [line for line in foreign if f" {line} " in shown] == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_snapshot_has_a_permanent_address_in_both_languages(client, seed, language):
    """The snapshot's own URL works under /en/ and /es/."""
    with translation.override(language):
        url = seed.get_absolute_url()
    assert url == SNAPSHOT_URL.format(language=language)
    response = client.get(url)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_language_switcher_keeps_the_reader_on_the_same_page(client, seed):
    """The switcher on a snapshot page links to the same snapshot in Spanish."""
    page = client.get(SNAPSHOT_URL.format(language="en")).content.decode()
    assert re.search(
        r'<a href="http://testserver/es/snapshots/regional-review-latin-america-'
        r'caribbean-2021/" hreflang="es" lang="es">Español</a>',
        page,
    )


@pytest.mark.parametrize("path", ["/{language}/", SNAPSHOT_URL])
@pytest.mark.parametrize("language", ["en", "es"])
def test_head_names_alternates_canonical_and_open_graph(client, seed, language, path):
    """One canonical (the permanent page), its alternates, Open Graph and Twitter."""
    page = client.get(path.format(language=language)).content.decode()
    base = "http://testserver"
    permanent = base + SNAPSHOT_URL
    canonical = permanent.format(language=language)
    assert re.findall(r'<link rel="canonical" href="([^"]+)">', page) == [canonical]
    for code in ("en", "es"):
        alternate = permanent.format(language=code)
        assert f'<link rel="alternate" hreflang="{code}" href="{alternate}">' in page
    x_default = f"{base}/snapshots/{seed.slug}/"
    assert f'<link rel="alternate" hreflang="x-default" href="{x_default}">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    locale = "es_LA" if language == "es" else "en_US"
    assert f'<meta property="og:locale" content="{locale}">' in page
    share_image = canonical + "share.png"
    assert f'<meta property="og:image" content="{share_image}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    with translation.override(language):
        title = f"#1 – {seed.title}"
    assert f"<title>{title} · " in page
    assert ("Caribe" if language == "es" else "Caribbean") in re.search(
        r"<title>([^<]+)</title>", page
    ).group(1)
    assert f'<meta property="og:title" content="{title}">' in page
    description = re.search(r'<meta name="description" content="([^"]+)">', page)
    # What and where: the meeting (migration, the region) and its dates.
    with translation.override(language):
        assert seed.meeting.name in description.group(1)
        assert seed.meeting.dates_display() in description.group(1)
    region = "el Caribe" if language == "es" else "the Caribbean"
    assert "Migra" in description.group(1) and region in description.group(1)


def test_sitemap_lists_only_canonical_addresses_with_alternates(client, seed):
    """
    sitemap.xml lists each permanent page per language (the archive, the
    snapshot, its version), never /en/ or /es/.
    """
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert sorted(locations) == sorted(
        "http://testserver" + address.format(language=language)
        for language in ("en", "es")
        for address in (
            "/{language}/snapshots/",
            SNAPSHOT_URL,
            SNAPSHOT_URL + "versions/1/",
        )
    )
    for location in locations:
        page = client.get(location.removeprefix("http://testserver")).content.decode()
        assert f'<link rel="canonical" href="{location}">' in page
    for language in ("en", "es"):
        url = "http://testserver" + SNAPSHOT_URL.format(language=language)
        assert f'hreflang="{language}" href="{url}"' in xml
    assert 'hreflang="x-default"' in xml


def test_sitemap_leaves_drafts_out(client, draft):
    """An unpublished snapshot is not announced in the sitemap."""
    assert draft.slug not in client.get("/sitemap.xml").content.decode()


def test_robots_txt_points_to_the_sitemap(client):
    """robots.txt allows the site, keeps robots out of the admin, names the sitemap."""
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_drafts_are_not_shown_to_the_public(client, draft):
    """An anonymous reader gets 404 for a draft, and / has nothing to show."""
    assert client.get(SNAPSHOT_URL.format(language="en")).status_code == 404
    assert client.get("/en/").status_code == 404
    url = reverse("reviews:data_json", kwargs={"slug": draft.slug})
    assert client.get(url).status_code == 404


def test_staff_without_change_permission_cannot_see_drafts(
    client, draft, staff_without_permissions
):
    """Being staff is not enough to preview a draft."""
    client.force_login(staff_without_permissions)
    assert client.get(SNAPSHOT_URL.format(language="en")).status_code == 404


def test_editor_can_preview_a_draft(editor_client, draft):
    """A signed-in editor sees the draft, marked as a preview and not indexed."""
    response = editor_client.get(SNAPSHOT_URL.format(language="es"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vista previa de la copia de trabajo" in page
    assert '<meta name="robots" content="noindex">' in page
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]


def test_admin_links_to_the_public_page(seed):
    """Editors get a "View on site" link: the snapshot knows its address."""
    assert seed.get_absolute_url().endswith(f"/snapshots/{seed.slug}/")


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [
        ("en", "Page not found", "Página no encontrada"),
        ("es", "Página no encontrada", "Page not found"),
    ],
)
def test_not_found_page_speaks_both_languages(client, language, first, second):
    """A missing page answers 404 in the reader's language first, then the other."""
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert page.index(first) < page.index(second)
    assert '<section lang="es"' in page
    assert '<section lang="en"' in page


def test_server_error_page_speaks_both_languages(rf):
    """The 500 page renders without a request context, in both languages."""
    with translation.override("es"):
        response = server_error(rf.get("/es/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert page.index("Algo salió mal") < page.index("Something went wrong")


def test_page_loads_nothing_from_elsewhere(client, seed):
    """No script, font, image or stylesheet comes from another site."""
    page = get_page(client, "en")
    # The only script element is JSON-LD: data for search engines, never run.
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == ['<script type="application/ld+json">']
    assert "<img" not in page
    for tag in re.findall(r"<link [^>]*>", page):
        if 'rel="stylesheet"' in tag or 'rel="icon"' in tag:
            assert 'href="/static/' in tag
    assert "@import" not in Path(finders.find("reviews/site.css")).read_text()


def test_page_and_stylesheet_weigh_under_60_kb(client, seed):
    """HTML plus CSS stays under 60 KB uncompressed in both languages."""
    css = Path(finders.find("reviews/site.css")).stat().st_size
    for language in ("en", "es"):
        assert len(get_page(client, language).encode()) + css < 60 * 1024


def copy(obj, **changes):
    obj.pk = None
    obj._state.adding = True
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def grow(snapshot, factor):
    """Add (factor - 1) more of everything the page lists."""
    meeting = snapshot.meeting
    people = list(Person.objects.filter(meeting=meeting))
    conclusions = list(Conclusion.objects.filter(snapshot=snapshot))
    days = list(MeetingDay.objects.filter(meeting=meeting))
    tables = list(RoundTable.objects.filter(day__meeting=meeting))
    daily = list(ParticipationFigure.objects.filter(meeting=meeting, day__isnull=False))
    events = list(TimelineEvent.objects.filter(snapshot=snapshot))
    figures = list(TimelineFigure.objects.filter(event__snapshot=snapshot))
    counts = list(StakeholderCount.objects.filter(snapshot=snapshot))
    for round_number in range(1, factor):
        for person in people:
            copy(person, order=person.order + 100 * round_number)
        for conclusion in conclusions:
            copy(conclusion, order=conclusion.order + 100 * round_number)
        shift = datetime.timedelta(days=7 * round_number)
        new_days = {day.pk: copy(day, date=day.date + shift) for day in list(days)}
        for table in tables:
            copy(table, day=new_days[table.day_id])
        for figure in daily:
            copy(figure, day=new_days[figure.day_id])
        # No two seed events are a multiple of 30 days apart: no start repeats.
        later = datetime.timedelta(days=30 * round_number)
        new_events = {
            event.pk: copy(
                event,
                start_date=event.start_date + later,
                end_date=event.end_date + later,
            )
            for event in list(events)
        }
        for figure in figures:
            copy(figure, event=new_events[figure.event_id])
        for count in counts:
            group = StakeholderGroup.objects.get(pk=count.group_id)
            copy(group, slug=f"{group.slug}-{round_number}")
            copy(count, group=group)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_a_published_page_is_sent_after_one_query_whatever_the_size(
    client, seed, page_cache_checked
):
    """
    Built once from its publication, the page is then sent after one query
    (the current publication's stored page), with the seed and with ten
    times its content. A query string bypasses the page cache.
    """
    for url in ("/es/", SNAPSHOT_URL.format(language="en")):
        queries_for(client, url + "?first")
        assert queries_for(client, url + "?again") == 1
    grow(seed, 10)
    publish(seed)
    for url in ("/es/", SNAPSHOT_URL.format(language="en")):
        assert queries_for(client, url + "?first") > 2
        assert queries_for(client, url + "?again") == 1
    assert Snapshot.objects.get().timeline.count() == 50


def working_copy_queries(rf, language="es"):
    request = rf.get(f"/{language}/")
    request.user = AnonymousUser()
    with translation.override(language), CaptureQueriesContext(connection) as context:
        render_snapshot(request, Snapshot.objects.for_page().get())
    return len(context.captured_queries)


def test_a_working_copy_is_built_in_the_same_few_queries_with_ten_times_the_content(
    rf, seed
):
    """
    Previews read the map's query budget or fewer, and one for the
    snapshots before and after it, the same at any size.
    """
    seed_queries = working_copy_queries(rf)
    grow(seed, 10)
    assert working_copy_queries(rf) == seed_queries
    assert seed_queries <= page_query_budget() + 1


def test_user_text_is_escaped(client, seed, hostile_content):
    """Script and attribute-breaking payloads are shown as text, never as markup."""
    for language in ("en", "es"):
        page = get_page(client, language)
        assert "<script>" not in page
        assert "<img" not in page
        assert "&lt;script&gt;window.__xss=1" in page


def test_switcher_on_a_missing_page_leads_to_the_other_home(client):
    """On a 404 the other language's link goes to that language's home page."""
    page = client.get("/en/no-such-page/").content.decode()
    assert '<a href="http://testserver/es/" hreflang="es" lang="es">' in page


def test_editor_previews_a_draft_that_has_no_meeting_yet(editor_client, seed):
    """A snapshot being written, still without its meeting, can be previewed."""
    Snapshot.objects.create(
        series_en="Key milestones and progress",
        series_es="Hitos clave y avances",
        number=2,
        title_en="Next issue",
        title_es="Próxima entrega",
        slug="next-issue",
    )
    response = editor_client.get("/es/snapshots/next-issue/")
    assert response.status_code == 200
    assert "#2 – Próxima entrega" in response.content.decode()
    assert editor_client.get("/es/snapshots/next-issue/data.json").status_code == 404


@pytest.mark.parametrize(("accept_language", "target"), [("es", "es"), ("de", "en")])
def test_x_default_sends_each_reader_to_her_language(
    client, seed, accept_language, target
):
    """The x-default address of a permanent page negotiates the language."""
    page = client.get(seed.get_absolute_url()).content.decode()
    x_default = re.search(r'hreflang="x-default" href="http://testserver([^"]+)"', page)
    assert x_default.group(1) == f"/snapshots/{seed.slug}/"
    response = client.get(x_default.group(1), HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == f"/{target}/snapshots/{seed.slug}/"
