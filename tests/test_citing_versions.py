"""
Citing an earlier version: its page, its reference-manager files and its
PDF name the version the reader is looking at, not the latest one.
"""

import datetime
import io

import pypdf
import pytest
from django.test import Client
from django.utils import timezone

from reviews.publishing import workflow

from .conftest import publish


@pytest.fixture
def revised(seed, publisher):
    """The seed published a second time with another title."""
    seed.title_en = "A revised snapshot"
    seed.title_es = "Una instantánea revisada"
    seed.save()
    publish(seed, publisher)
    return seed


def linked(page, suffix):
    """The one address of ``page`` whose ``href`` ends with ``suffix``."""
    (address,) = {
        part.split('"', 1)[0]
        for part in page.split('href="')[1:]
        if part.split('"', 1)[0].endswith(suffix)
    }
    return address


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_earlier_versions_bibtex_link_cites_that_version(revised, language):
    """Version 1's page hands reference managers version 1, not version 2."""
    reader = Client()
    page = reader.get(f"/{language}/snapshots/{revised.slug}/versions/1/")
    bib = reader.get(linked(page.content.decode(), "citation.bib"))
    assert bib.status_code == 200
    text = bib.content.decode()
    assert "version = {1}" in text
    assert f"/{language}/snapshots/{revised.slug}/versions/1/" in text
    assert "revis" not in text


def test_an_earlier_versions_ris_link_cites_that_version(revised):
    """The RIS record of version 1's page has its edition and title."""
    reader = Client()
    page = reader.get(f"/es/snapshots/{revised.slug}/versions/1/")
    ris = reader.get(linked(page.content.decode(), "citation.ris"))
    assert ris.status_code == 200
    text = ris.content.decode()
    assert "ET  - 1\r\n" in text
    assert "TI  - Hitos clave y avances #1 – Una instantánea de la Revisión" in text
    assert f"UR  - http://testserver/es/snapshots/{revised.slug}/versions/1/" in text


def test_the_current_versions_citation_files_name_it(revised):
    """The current version's page cites version 2 in both files."""
    reader = Client()
    page = reader.get(f"/en/snapshots/{revised.slug}/versions/2/").content.decode()
    assert "version = {2}" in reader.get(linked(page, "citation.bib")).content.decode()
    assert "ET  - 2\r\n" in reader.get(linked(page, "citation.ris")).content.decode()


def test_a_versions_citation_file_is_named_for_it(revised):
    """The download's file name says which version it cites."""
    response = Client().get(f"/en/snapshots/{revised.slug}/versions/1/citation.bib")
    name = f'filename="{revised.slug}-v1-citation-en.bib"'
    assert name in response["Content-Disposition"]


@pytest.mark.parametrize("version", ["3", "0", "99999999999999999999"])
def test_a_version_never_published_has_no_citation(revised, version):
    """An unknown version number answers 404, not an error."""
    response = Client().get(
        f"/en/snapshots/{revised.slug}/versions/{version}/citation.bib"
    )
    assert response.status_code == 404


def test_a_scheduled_version_has_no_citation_before_its_time(revised, publisher):
    """Version 3, not yet live, cannot be cited."""
    publish(revised, publisher, goes_live_at=timezone.now() + datetime.timedelta(1))
    response = Client().get(f"/en/snapshots/{revised.slug}/versions/3/citation.ris")
    assert response.status_code == 404


def test_a_versions_citation_refuses_writes(revised):
    """The file is read-only: a POST answers 405."""
    response = Client().post(f"/en/snapshots/{revised.slug}/versions/1/citation.bib")
    assert response.status_code == 405


def test_a_withdrawn_snapshots_version_citation_is_gone(revised, publisher):
    """Taken off the site, its versions' citations answer 410."""
    workflow.unpublish(revised, publisher)
    response = Client().get(f"/en/snapshots/{revised.slug}/versions/1/citation.bib")
    assert response.status_code == 410


def printed_address(pdf):
    """The address the PDF's first page prints under its title, as a link."""
    first_page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    links = [
        annotation.get_object().get("/A", {}).get("/URI", "")
        for annotation in first_page.get("/Annots", [])
    ]
    (address,) = {link for link in links if link.startswith("http://testserver/")}
    return address


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_earlier_versions_pdf_prints_that_versions_address(revised, language):
    """Version 1's PDF edition leads its reader to version 1, not the latest."""
    pdf = Client().get(f"/{language}/snapshots/{revised.slug}/versions/1/edition.pdf")
    assert pdf.status_code == 200
    address = f"http://testserver/{language}/snapshots/{revised.slug}/versions/1/"
    assert printed_address(pdf.content) == address


def test_the_current_pdf_prints_its_versions_address(revised):
    """The current edition is version 2's, at version 2's permanent address."""
    pdf = Client().get(f"/en/snapshots/{revised.slug}/edition.pdf")
    address = f"http://testserver/en/snapshots/{revised.slug}/versions/2/"
    assert printed_address(pdf.content) == address


@pytest.mark.parametrize("suffix", ["", "edition.pdf", "citation.bib", "citation.ris"])
def test_a_version_taken_off_before_the_snapshot_came_back_is_gone(
    revised, publisher, suffix
):
    """Unpublished then published again, its earlier versions answer 410, not 404."""
    workflow.unpublish(revised, publisher)
    publish(revised, publisher)
    reader = Client()
    assert reader.get(f"/en/snapshots/{revised.slug}/versions/3/").status_code == 200
    taken_off = reader.get(f"/en/snapshots/{revised.slug}/versions/1/{suffix}")
    assert taken_off.status_code == 410
    assert reader.get(f"/en/snapshots/{revised.slug}/versions/4/").status_code == 404
