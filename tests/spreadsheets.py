"""Building spreadsheets and driving the admin's import pages in tests."""

import io
import struct
import zlib

import openpyxl
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.formats import FORMATS

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


def zip_bomb(unpacked=3 * 10**9, name="xl/worksheets/sheet1.xml"):
    """
    A few megabytes of XLSX-looking zip whose sheet inflates to ``unpacked`` bytes.

    The deflate stream is one compressed chunk of zeros repeated: after a full
    flush a chunk compresses to the same bytes each time, so a three-gigabyte
    bomb takes milliseconds to build instead of compressing three gigabytes.
    """
    chunk = 1 << 24
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = block.compress(b"\0" * chunk) + block.flush(zlib.Z_FULL_FLUSH)
    data = block * (unpacked // chunk) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    members = [
        (b"[Content_Types].xml", b"<Types/>", 0, 8, 8),
        (name.encode(), data, 8, len(data), (unpacked // chunk) * chunk),
    ]
    archive, directory = b"", b""
    for filename, payload, method, packed, size in members:
        # The CRC is never checked: the size in the directory is refused first.
        local = struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            0,
            method,
            0,
            0,
            0,
            packed,
            size,
            len(filename),
            0,
        )
        directory += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0,
                0,
                packed,
                size,
                len(filename),
                0,
                0,
                0,
                0,
                0,
                len(archive),
            )
            + filename
        )
        archive += local + filename + payload
    end = struct.pack(
        "<IHHHHIIH",
        0x06054B50,
        0,
        0,
        len(members),
        len(members),
        len(directory),
        len(archive),
        0,
    )
    return archive + directory + end
