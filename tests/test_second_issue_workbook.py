"""The second snapshot's workbook, as its editors export, edit and import it."""

import io

import pytest
from django.urls import reverse

from reviews.models import Organiser

from .conftest import start_second_issue
from .spreadsheets import edit, workbook_confirm, workbook_of, workbook_preview


@pytest.fixture
def second(seed, editor):
    return start_second_issue(seed, editor)


def exported(client, snapshot):
    response = client.get(
        reverse("admin:reviews_snapshot_workbook_export", args=[snapshot.pk])
    )
    assert response.status_code == 200
    return response.content


def from_before_organisers(content):
    """The workbook as exported before organisers were data: no sheet, no record."""
    book = workbook_of(content)
    del book["organisers"]
    record = book["exported_from"]
    for row in reversed(range(2, record.max_row + 1)):
        if record.cell(row, 1).value == "organisers":
            record.delete_rows(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_from_before_organisers_imports_and_keeps_them(
    second, editor_client
):
    """Last week's file, without the organisers sheet, imports its edits."""
    organisers = list(Organiser.objects.filter(meeting=second.meeting).values())
    content = edit(
        from_before_organisers(exported(editor_client, second)),
        "conclusions",
        2,
        "text_en",
        "Edited in last week's file.",
    )
    response = workbook_preview(editor_client, second, content)
    assert workbook_confirm(editor_client, second, response).status_code == 302
    assert second.conclusions.order_by("order")[0].text_en == (
        "Edited in last week's file."
    )
    assert list(Organiser.objects.filter(meeting=second.meeting).values()) == (
        organisers
    )


def test_a_translator_imports_spanish_from_a_workbook_from_before_organisers(
    second, translator_client
):
    """A translator's file from last week brings its Spanish in, nothing else."""
    content = edit(
        from_before_organisers(exported(translator_client, second)),
        "conclusions",
        2,
        "text_es",
        "Traducido en el archivo de la semana pasada.",
    )
    response = workbook_preview(translator_client, second, content)
    assert workbook_confirm(translator_client, second, response).status_code == 302
    assert second.conclusions.order_by("order")[0].text_es == (
        "Traducido en el archivo de la semana pasada."
    )
