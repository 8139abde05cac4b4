"""Sharing and finding a snapshot: share image, structured data, icons, charts."""

import io
import json
import re
import xml.etree.ElementTree as ElementTree
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from reviews.opendata.tables import TABLES
from reviews.public import share_image
from reviews.public import structured_data as structured_data_module
from reviews.public.renderings import snapshot_of
from reviews.publishing.models import Publication, Rendering

from .admin_forms import submitted
from .conftest import HOSTILE, publish
from .pages import style_attributes

pytestmark = pytest.mark.django_db

SLUG = "regional-review-latin-america-caribbean-2021"
PERMANENT = f"/{{language}}/snapshots/{SLUG}/"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test draws its own share images."""
    cache.clear()
    yield
    cache.clear()


def structured_data(client, language):
    page = client.get(f"/{language}/").content.decode()
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S
    )
    assert len(blocks) == 1
    return {item["@type"]: item for item in json.loads(blocks[0])["@graph"]}


@pytest.mark.parametrize("language", ["en", "es"])
def test_share_image_is_a_1200_by_630_png(client, seed, language):
    """The og:image is a PNG of the size Open Graph and Twitter expect."""
    response = client.get(PERMANENT.format(language=language) + "share.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_share_image_changes_when_the_title_changes(client, seed):
    """An editor's new title gives a new picture once it is published."""
    url = PERMANENT.format(language="en") + "share.png"
    before = client.get(url).content
    assert client.get(url).content == before
    seed.title_en = "A completely different title"
    seed.save()
    assert client.get(url).content == before
    publish(seed)
    assert client.get(url).content != before


@pytest.mark.parametrize(
    ("function", "address"),
    [("draw", "share.png"), ("draw_chart", "charts/timeline.png")],
)
def test_pictures_are_drawn_once_per_version(
    client, seed, monkeypatch, function, address
):
    """A second request is served from the cache; a publication draws it anew."""
    drawn = []
    draw = getattr(share_image, function)
    monkeypatch.setattr(
        share_image, function, lambda *args: drawn.append(args) or draw(*args)
    )
    url = PERMANENT.format(language="es") + address
    client.get(url)
    client.get(url)
    assert len(drawn) == 1
    event = seed.timeline.first()
    event.title_es = "Otro título"
    event.save()
    client.get(url)
    assert len(drawn) == 1
    publish(seed)
    client.get(url)
    assert len(drawn) == 2


def test_share_image_of_a_draft_is_private(editor_client, draft):
    """The public cannot fetch a draft's picture; the editor's is not cached."""
    url = PERMANENT.format(language="en") + "share.png"
    assert Client().get(url).status_code == 404
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_share_image_survives_hostile_and_long_titles(client, hostile_content):
    """Any text an editor types is drawn, wrapped and cut, never an error."""
    hostile_content.title_en = ("Migration " * 20)[:200]  # the longest title
    hostile_content.save()
    publish(hostile_content)
    response = client.get(PERMANENT.format(language="en") + "share.png")
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


@pytest.mark.parametrize("language", ["en", "es"])
def test_structured_data_describes_the_meeting_as_an_event(client, seed, language):
    """JSON-LD Event has the properties search engines require."""
    event = structured_data(client, language)["Event"]
    for name in ("name", "startDate", "endDate", "location", "organizer"):
        assert event[name], name
    assert event["startDate"] == "2021-04-26"
    assert event["location"]["@type"] == "VirtualLocation"
    assert event["inLanguage"] == language


@pytest.mark.parametrize("language", ["en", "es"])
def test_structured_data_describes_the_downloads_as_a_dataset(client, seed, language):
    """JSON-LD Dataset: name, a long enough description, every download reachable."""
    dataset = structured_data(client, language)["Dataset"]
    assert dataset["name"]
    assert 50 <= len(dataset["description"]) <= 5000
    assert dataset["url"] == "http://testserver" + PERMANENT.format(language=language)
    assert dataset["temporalCoverage"] == "2020-10-01/2021-04-28"
    assert "license" not in dataset  # the seed states none
    assert "sameAs" not in dataset, "the data package describes it, is not it"
    assert dataset["spatialCoverage"]["name"] == (
        "América Latina y el Caribe"
        if language == "es"
        else "Latin America and the Caribbean"
    )
    assert ("OIM" if language == "es" else "IOM") in dataset["keywords"]
    urls = [download["contentUrl"] for download in dataset["distribution"]]
    assert len(urls) == 2 * len(TABLES) + 2
    for url in urls:
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url


@pytest.mark.parametrize(
    "language, names",
    [
        ("en", ["IOM", "ECLAC"]),
        ("es", ["OIM", "CEPAL"]),
    ],
)
def test_structured_data_names_each_organiser(client, seed, language, names):
    """The Event's organizer is the two organisations by name, not one sentence."""
    organisers = structured_data(client, language)["Event"]["organizer"]
    assert [organiser["alternateName"] for organiser in organisers] == names
    assert all(organiser["@type"] == "Organization" for organiser in organisers)
    assert organisers[1]["name"] == (
        "Comisión Económica para América Latina y el Caribe"
        if language == "es"
        else "Economic Commission for Latin America and the Caribbean"
    )
    assert "description" not in organisers[1]  # the source gives ECLAC no capacity
    assert "Coordina" in organisers[0]["description"]


def test_the_dataset_is_created_by_the_organisers_and_published_by_its_publisher(
    client, seed
):
    """Without a publisher the organisers are the creator; a publisher is added."""
    dataset = structured_data(client, "en")["Dataset"]
    assert [creator["alternateName"] for creator in dataset["creator"]] == [
        "IOM",
        "ECLAC",
    ]
    assert "publisher" not in dataset  # the seed names none
    seed.publisher_en = seed.publisher_es = "ECLAC"
    seed.save()
    publish(seed)
    dataset = structured_data(client, "en")["Dataset"]
    assert dataset["publisher"] == {"@type": "Organization", "name": "ECLAC"}
    assert len(dataset["creator"]) == 2


def test_a_version_published_before_organisers_were_data_names_none(client, seed):
    """
    A publication stored before the organisers' kind existed shows that it
    had none: the live rows of the working copy never leak into it.
    """
    publication = Publication.objects.get()
    del publication.content["content"]["reviews.Organiser"]
    # Publications never change; this one is as an older release stored it.
    Publication.objects.filter(pk=publication.pk).update(content=publication.content)
    Rendering.objects.all().delete()
    cache.clear()
    data = structured_data(client, "en")
    assert "organizer" not in data["Event"]
    assert "creator" not in data["Dataset"]


def test_organisers_added_in_the_admin_reach_search_engines(
    editor_client, client, seed
):
    """An organiser an editor adds on the meeting's page is in the next JSON-LD."""
    meeting = seed.meeting
    page = editor_client.get(f"/admin/reviews/meeting/{meeting.pk}/change/")
    form = submitted(page)
    prefix = "organisations"
    total = int(form[f"{prefix}-TOTAL_FORMS"])
    form.update(
        {
            f"{prefix}-TOTAL_FORMS": str(total + 1),
            f"{prefix}-{total}-meeting": str(meeting.pk),
            f"{prefix}-{total}-order": "3",
            f"{prefix}-{total}-name_en": "United Nations <Network> on Migration",
            f"{prefix}-{total}-name_es": "Red de las Naciones Unidas",
            f"{prefix}-{total}-abbreviation_en": "",
            f"{prefix}-{total}-abbreviation_es": "",
        }
    )
    response = editor_client.post(page.wsgi_request.path, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    publish(seed)
    organisers = structured_data(client, "en")["Event"]["organizer"]
    assert organisers[-1] == {
        "@type": "Organization",
        "name": "United Nations <Network> on Migration",
    }
    assert (
        "<Network>" not in client.get(PERMANENT.format(language="en")).content.decode()
    )


def test_structured_data_names_the_licence_when_there_is_one(client, seed):
    """With a licence set, the Dataset links to it."""
    seed.licence_name_en = seed.licence_name_es = "CC BY 4.0"
    seed.licence_url = "https://creativecommons.org/licenses/by/4.0/"
    seed.save()
    publish(seed)
    dataset = structured_data(client, "en")["Dataset"]
    assert dataset["license"] == seed.licence_url


def test_structured_data_cannot_be_closed_by_a_text(client, hostile_content):
    """A title with </script> stays inside the JSON-LD block and parses."""
    hostile_content.meeting.name_en = "</script><script>alert(1)</script>"
    hostile_content.meeting.save()
    publish(hostile_content)
    event = structured_data(client, "en")["Event"]
    assert event["name"] == "</script><script>alert(1)</script>"
    assert HOSTILE[:20] in json.dumps(structured_data(client, "es"))


@pytest.mark.parametrize("path", ["/{language}/", PERMANENT])
@pytest.mark.parametrize("language", ["en", "es"])
def test_each_page_has_one_canonical_address(client, seed, language, path):
    """/en/ and the permanent page both name the permanent page, once."""
    page = client.get(path.format(language=language)).content.decode()
    canonicals = re.findall(r'<link rel="canonical" href="([^"]+)">', page)
    assert canonicals == ["http://testserver" + PERMANENT.format(language=language)]


@pytest.mark.parametrize(
    ("path", "static"),
    [
        ("/favicon.ico", "/static/reviews/favicon.ico"),
        ("/apple-touch-icon.png", "/static/reviews/apple-touch-icon.png"),
    ],
)
def test_icons_are_found_where_browsers_look(client, path, static):
    """/favicon.ico and /apple-touch-icon.png lead to the site's icons."""
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == static
    icon = client.get(static)
    assert icon.status_code == 200
    Image.open(io.BytesIO(b"".join(icon.streaming_content))).verify()


@pytest.mark.parametrize(
    ("language", "chart", "title", "source"),
    [
        (
            "en",
            "stakeholders",
            "Registered participants by stakeholder group",
            "Source:",
        ),
        ("es", "participation", "Participantes por canal y día", "Fuente:"),
    ],
)
def test_each_chart_downloads_as_svg_with_title_unit_and_source(
    client, seed, language, chart, title, source
):
    """The SVG opens on its own: title, unit, every bar and the source line."""
    response = client.get(PERMANENT.format(language=language) + f"charts/{chart}.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert f"-{language}.svg" in response["Content-Disposition"]
    svg = ElementTree.fromstring(response.content)
    assert svg.find(f"{SVG}title").text == title
    texts = [element.text or "" for element in svg.iter(f"{SVG}text")]
    assert title in texts
    assert any(text.startswith(source) for text in texts)
    bars = len(svg.findall(f".//{SVG}rect")) - 1  # the white background
    with translation.override(language):
        expected = (
            seed.stakeholder_counts.count()
            if chart == "stakeholders"
            else seed.meeting.participation.filter(day__isnull=False).count()
        )
    assert bars == expected
    assert not style_attributes(response.content.decode())


def test_timeline_downloads_as_svg_with_a_marker_for_short_events(client, seed):
    """The timeline SVG: one bar per step, a visible marker on steps of days."""
    response = client.get(PERMANENT.format(language="es") + "charts/timeline.svg")
    assert response.status_code == 200
    svg = ElementTree.fromstring(response.content)
    assert svg.find(f"{SVG}title").text == "La preparación, mes a mes"
    assert len(svg.findall(f"{SVG}rect")) == 1 + 5
    assert len(svg.findall(f"{SVG}circle")) == 4  # all but the webinars' months
    texts = [element.text or "" for element in svg.iter(f"{SVG}text")]
    assert "DIC 2020" in texts
    assert any(text.startswith("Fuente:") for text in texts)


@pytest.mark.parametrize("chart", ["stakeholders", "participation", "timeline"])
def test_each_chart_downloads_as_png(client, seed, chart):
    """A PNG of the chart, twice the SVG's size, for slides and documents."""
    svg = client.get(PERMANENT.format(language="es") + f"charts/{chart}.svg")
    width = int(ElementTree.fromstring(svg.content).get("width"))
    response = client.get(PERMANENT.format(language="es") + f"charts/{chart}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert f"-{chart}-es.png" in response["Content-Disposition"]
    image = Image.open(io.BytesIO(response.content))
    assert image.width == 2 * width
    # Bars are drawn in the site's bar colour.
    assert (0x2D, 0x6F, 0x9C) in {colour for _count, colour in image.getcolors(65536)}


def test_participation_chart_keeps_the_all_days_total_apart(client, seed):
    """YouTube's all-days figure is not a bar on the per-day scale."""
    page = client.get("/en/").content.decode()
    chart = page[page.index('aria-labelledby="chart-participation-title"') :]
    chart = chart[: chart.index("</figure>")]
    assert chart.count("<rect") == 3
    assert "<strong>782</strong> YouTube, all days together" in chart


def test_embed_page_may_be_framed_and_the_others_may_not(client, seed):
    """Only the embed page lifts X-Frame-Options and allows any frame ancestor."""
    embed = client.get(PERMANENT.format(language="es") + "charts/participation/")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    policy = embed["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "default-src 'self'" in policy  # the rest of the policy stays strict
    assert "Participantes por canal y día" in embed.content.decode()
    again = client.get(PERMANENT.format(language="es") + "charts/participation/")
    assert "X-Frame-Options" not in again  # from the page cache, the same
    assert "frame-ancestors *" in again["Content-Security-Policy"]
    for path in ("/es/", PERMANENT.format(language="es")):
        page = client.get(path)
        assert page["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_a_timeline_without_events_has_no_chart(client, seed):
    """Nothing to draw is a 404, not an empty picture or an error."""
    seed.timeline.all().delete()
    publish(seed)
    base = PERMANENT.format(language="en")
    assert client.get(base + "charts/timeline.svg").status_code == 404
    assert client.get(base + "charts/timeline/").status_code == 404
    assert client.get(base).status_code == 200


def test_unknown_charts_are_not_found(client, seed):
    """Only the declared charts have downloads and embed pages."""
    base = PERMANENT.format(language="en")
    assert client.get(base + "charts/people.svg").status_code == 404
    assert client.get(base + "charts/people/").status_code == 404


def test_page_has_no_inline_styles(client, seed):
    """A strict Content-Security-Policy (no 'unsafe-inline') draws the page whole."""
    page = client.get("/es/").content.decode()
    assert not style_attributes(page)
    assert "<style" not in page


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_s_json_ld_is_exactly_what_structured_data_builds(
    client, rf, seed, language
):
    """The template tag adds nothing to the plain function's JSON-LD text."""
    page = client.get(PERMANENT.format(language=language)).content.decode()
    request = rf.get(PERMANENT.format(language=language))
    with translation.override(language):
        snapshot = snapshot_of(Publication.objects.current_of(seed.slug))
        addresses = structured_data_module.addresses(request, snapshot)
        share = request.build_absolute_uri(
            reverse("reviews:share_image", args=[snapshot.slug])
        )
        text = structured_data_module.json_ld(request, snapshot, addresses, share)
    assert f'<script type="application/ld+json">{text}</script>' in page
    assert f'<link rel="canonical" href="{addresses["canonical"]}">' in page


@pytest.mark.parametrize(
    ("language", "organisers"),
    [
        ("en", "Co-organized by IOM and ECLAC."),
        ("es", "Coorganizada por OIM y CEPAL."),
    ],
)
def test_the_share_image_names_the_site_s_address_and_organisers(
    client, seed, monkeypatch, language, organisers
):
    """
    A picture shared without its link still says where to read it and who
    organised it: both organisers, on one line (the sentence ran out before
    ECLAC).
    """
    written = []
    real_text = share_image.ImageDraw.ImageDraw.text

    def text(pen, xy, words, *args, **kwargs):
        written.append(words)
        return real_text(pen, xy, words, *args, **kwargs)

    monkeypatch.setattr(share_image.ImageDraw.ImageDraw, "text", text)
    client.get(PERMANENT.format(language=language) + "share.png")
    assert f"testserver{PERMANENT.format(language=language)}" in written
    assert organisers in written


def test_an_earlier_version_is_shared_with_its_own_picture(client, seed, publisher):
    """Version 1's link, shared, shows version 1's title, not the latest."""
    seed.title_en = "A renamed snapshot"
    seed.save()
    publish(seed, publisher)
    old = client.get(PERMANENT.format(language="en") + "versions/1/").content.decode()
    [image] = re.findall(r'<meta property="og:image" content="([^"]+)">', old)
    assert image.endswith(PERMANENT.format(language="en") + "versions/1/share.png")
    texts = []
    real_text = share_image.ImageDraw.ImageDraw.text

    def text(pen, xy, words, *args, **kwargs):
        texts.append(words)
        return real_text(pen, xy, words, *args, **kwargs)

    with mock.patch.object(share_image.ImageDraw.ImageDraw, "text", text):
        response = client.get(image.removeprefix("http://testserver"))
    assert response["Content-Type"] == "image/png"
    drawn = " ".join(texts)
    assert "A renamed snapshot" not in drawn
    assert "A snapshot of the Regional" in drawn
    assert f"testserver{PERMANENT.format(language='en')}versions/1/" in texts
