"""
The PDF edition as readers of UN publications expect it: A4, every sentence
of the source document in its language, its metadata, drawn once and kept.
"""

import io
import re
import shutil
import subprocess

import pypdf
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reviews.pagecache import build
from reviews.public.pdf import NotTheSitesFile, SiteFilesOnly
from reviews.publishing import workflow
from reviews.publishing.models import PrintedEdition

from .conftest import publish, unavailable
from .pages import seed_lines

TITLES = {
    "en": "Key milestones and progress #1 – A snapshot of the Regional Review, "
    "version 1",
    "es": "Hitos clave y avances #1 – Una instantánea de la Revisión Regional, "
    "versión 1",
}
PAGE_NUMBER = re.compile(r"^[\s\f]*\d+ ?/ ?\d+\s*$", re.M)


@pytest.fixture(scope="module")
def pdftotext():
    path = shutil.which("pdftotext")
    if path is None:
        unavailable("pdftotext (Debian's poppler-utils) is not installed")
    return path


def edition_url(snapshot, language, number=None):
    with translation.override(language):
        if number is None:
            return reverse("reviews:pdf", args=[snapshot.slug])
        return reverse("reviews:version_pdf", args=[snapshot.slug, number])


def edition(snapshot, language, number=None):
    response = Client().get(edition_url(snapshot, language, number))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def letters(text):
    return re.sub(r"[\W_]", "", text.lower())


def text_of(pdf, pdftotext, tmp_path):
    """The PDF's text as pdftotext reads it, without the page numbers."""
    path = tmp_path / "edition.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return PAGE_NUMBER.sub(" ", text)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_holds_every_sentence_of_its_source_document(seed, language):
    """Text extracted from the PDF has each seed line, in the edition's language."""
    reader = pypdf.PdfReader(io.BytesIO(edition(seed, language)))
    # In the order the document draws its text (pdftotext would read the
    # three days' columns across), by letters and digits alone: line ends
    # and hyphens at them are the layout's.
    text = letters(" ".join(page.extract_text() for page in reader.pages))
    assert [line for line in seed_lines(language) if letters(line) not in text] == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_names_its_title_language_author_and_version(seed, language):
    """The document's metadata say what, which version and in which language."""
    reader = pypdf.PdfReader(io.BytesIO(edition(seed, language)))
    assert reader.metadata.title == TITLES[language]
    assert reader.trailer["/Root"]["/Lang"] == language
    assert reader.metadata.author
    assert ("versión 1" if language == "es" else "version 1") in (
        reader.metadata["/Keywords"]
    )
    assert 3 <= len(reader.pages) <= 7
    width, height = (float(value) for value in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842), "A4"


def test_the_pdf_numbers_its_pages(seed, pdftotext, tmp_path):
    """Each page says its number and how many there are."""
    path = tmp_path / "edition.pdf"
    pdf = edition(seed, "en")
    path.write_bytes(pdf)
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = subprocess.run(
        [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    numbers = [
        line.strip("\f ").replace(" ", "")
        for line in text.splitlines()
        if PAGE_NUMBER.match(line)
    ]
    assert numbers == [f"{n}/{pages}" for n in range(1, pages + 1)]


def test_the_pdf_is_drawn_once_and_kept(seed, django_assert_max_num_queries):
    """A second reader gets the stored file, in one query."""
    first = edition(seed, "es")
    assert PrintedEdition.objects.count() == 1
    with django_assert_max_num_queries(3):
        assert edition(seed, "es") == first


def test_each_version_has_its_own_pdf(seed, publisher, pdftotext, tmp_path):
    """A new version's PDF says what it says; the earlier one stays as it was."""
    conclusion = seed.conclusions.get(order=2)
    conclusion.text_en = conclusion.text_en.replace("pandemic", "health crisis")
    conclusion.text_es = conclusion.text_es.replace("pandemia", "crisis sanitaria")
    conclusion.save()
    publish(seed, publisher)
    current = text_of(edition(seed, "en"), pdftotext, tmp_path)
    earlier = text_of(edition(seed, "en", 1), pdftotext, tmp_path)
    assert "health crisis" in " ".join(current.split())
    assert "health crisis" not in " ".join(earlier.split())
    reader = pypdf.PdfReader(io.BytesIO(edition(seed, "en")))
    assert reader.metadata.title.endswith("version 2")


def test_a_snapshot_without_a_publication_has_no_pdf(draft, editor_client):
    """A working copy is never printed, not even for its editors."""
    assert editor_client.get(edition_url(draft, "en")).status_code == 404


def test_an_unpublished_snapshot_s_pdf_is_gone(seed, publisher):
    """Taken off the site, its PDF answers 410 like its pages."""
    workflow.unpublish(seed, publisher)
    assert Client().get(edition_url(seed, "en")).status_code == 410


def test_an_unknown_version_has_no_pdf(seed):
    """Version 9 does not exist."""
    assert Client().get(edition_url(seed, "en", 9)).status_code == 404


def test_the_page_links_its_pdf(seed):
    """Readers find the PDF beside the open data."""
    page = Client().get(seed.get_absolute_url()).content.decode()
    assert edition_url(seed, "en", 1) in page


def test_the_pdf_is_drawn_from_the_site_s_own_files_only():
    """Nothing is fetched from another site, nor a file the site does not serve."""
    fetcher = SiteFilesOnly()
    for url in (
        "https://example.org/tracker.png",
        "http://testserver/static/../settings.py",
        "file:///etc/passwd",
        "http://testserver/media/upload.png",
    ):
        with pytest.raises(NotTheSitesFile):
            fetcher.fetch(url)
    assert fetcher.fetch("http://testserver/static/reviews/site.css").status == 200


def test_a_new_release_draws_the_pdf_anew_and_keeps_only_that(seed, monkeypatch):
    """After a deploy of other code, readers get its PDF; the old one is deleted."""
    edition(seed, "es")
    before = set(PrintedEdition.objects.values_list("build", flat=True))
    cache.clear()  # the page cache's copy, a separate matter
    monkeypatch.setattr(build, "source_digest", lambda: "the next release")
    edition(seed, "es")
    assert set(PrintedEdition.objects.values_list("build", flat=True)) == {
        build.build_id()
    }
    assert build.build_id() not in before
