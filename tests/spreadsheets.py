"""Building spreadsheets and driving the admin's import pages in tests."""

import io

import openpyxl
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.workbook import FORMATS

FORMAT_INDEX = {fmt().get_title(): str(i) for i, fmt in enumerate(FORMATS)}


def csv_bytes(headers, rows):
    return tablib.Dataset(*rows, headers=headers).export("csv").encode()


def xlsx_bytes(headers, rows):
    return tablib.Dataset(*rows, headers=headers).export("xlsx")


def read_xlsx(content):
    """The first sheet of an XLSX as a list of rows, exactly as stored."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def preview(client, model, content, file_format="csv", name=None, **headers):
    """POST a file to a changelist's import page (the dry run)."""
    upload = SimpleUploadedFile(name or f"upload.{file_format}", content)
    return client.post(
        reverse(f"admin:reviews_{model}_import"),
        {"format": FORMAT_INDEX[file_format], "import_file": upload, "resource": "0"},
        **headers,
    )


def confirm(client, model, response):
    """Confirm the import shown in a preview response."""
    return client.post(
        reverse(f"admin:reviews_{model}_process_import"),
        response.context["confirm_form"].initial,
    )


def messages_of(response):
    return [str(message) for message in response.context.get("error_messages", [])]
