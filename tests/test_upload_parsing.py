"""An upload is parsed once per request, however many steps look at it."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.spreadsheets import workbook
from reviews.spreadsheets.formats import CSV
from reviews.spreadsheets.resources import ConclusionResource
from reviews.spreadsheets.workbook import export_workbook

from .spreadsheets import preview

pytestmark = pytest.mark.django_db


def test_a_sheet_is_parsed_once_for_its_preview(seed, editor_client):
    """The form's checks and the dry run share one parse of the file."""
    content = ConclusionResource().export().export("csv").encode()
    with mock.patch.object(
        CSV, "create_dataset", autospec=True, side_effect=CSV.create_dataset
    ) as parse:
        response = preview(editor_client, "conclusion", content)
    assert response.status_code == 200
    assert parse.call_count == 1


def test_a_workbook_is_parsed_once_for_its_preview(seed, editor_client):
    """Reading the workbook for the form and for the dry run is one reading."""
    url = reverse("admin:reviews_snapshot_workbook_import", args=[seed.pk])
    upload = SimpleUploadedFile("snapshot.xlsx", export_workbook(seed))
    with mock.patch.object(
        workbook, "xlsx_sheets", side_effect=workbook.xlsx_sheets
    ) as parse:
        response = editor_client.post(url, {"workbook": upload})
    assert response.status_code == 200
    assert parse.call_count == 1
