"""Building spreadsheets and driving the admin's import pages in tests."""

import datetime
import io
import re
import struct
import zipfile
import zlib

import openpyxl
import openpyxl.styles
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.spreadsheets.formats import FORMATS

FORMAT_INDEX = {fmt().get_title(): str(i) for i, fmt in enumerate(FORMATS)}


def csv_bytes(headers, rows):
    return tablib.Dataset(*rows, headers=headers).export("csv").encode()


def xlsx_bytes(headers, rows):
    return reproducible(tablib.Dataset(*rows, headers=headers).export("xlsx"))


def reproducible(content):
    """
    The same XLSX whenever it is built: openpyxl stamps the time of saving
    into the file, whose length then varies between two builds of the same
    rows, and hypothesis replays a failing example with the same bytes only.
    """
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "docProps/core.xml":
                data = re.sub(
                    rb"\d{4}-\d\d-\d\dT[\d:.]+Z", b"2021-04-26T00:00:00Z", data
                )
            target.writestr(
                zipfile.ZipInfo(member.filename, (2021, 4, 26, 0, 0, 0)), data
            )
    return out.getvalue()


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


def with_formatted_empty_rows(content, rows=30, sheets=None):
    """
    An XLSX as a spreadsheet program leaves it: below the data of each sheet,
    ``rows`` rows whose cells are formatted (bold, a fill) but empty, and one
    row holding only spaces.
    """
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        if sheets is not None and sheet.title not in sheets:
            continue
        last, width = sheet.max_row, sheet.max_column
        sheet.cell(row=last + 1, column=1, value="   ")
        for row in range(last + 2, last + 2 + rows):
            for column in range(1, width + 3):
                cell = sheet.cell(row=row, column=column)
                cell.font = openpyxl.styles.Font(bold=True)
                cell.fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_like_libreoffice(content):
    """
    An XLSX workbook saved again as ODS the way LibreOffice Calc writes it:
    texts as one paragraph per line with runs of spaces as <text:s>, numbers
    as floats, dates as date cells, neighbouring empty or equal cells as one
    repeated cell, and a million repeated empty rows below the data.
    """
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P, S

    def paragraph(line):
        element, parts = P(), re.split(r"( {2,})", line)
        for part in parts:
            if part.startswith("  "):
                element.addText(" ")
                element.addElement(S(c=len(part) - 1))
            elif part:
                element.addText(part)
        return element

    def cell(value, repeated):
        attributes = {"numbercolumnsrepeated": repeated} if repeated > 1 else {}
        if value is None or value == "":
            return TableCell(**attributes)
        if isinstance(value, bool):
            element = TableCell(
                valuetype="boolean", booleanvalue=str(value).lower(), **attributes
            )
        elif isinstance(value, int | float):
            element = TableCell(valuetype="float", value=value, **attributes)
        elif isinstance(value, datetime.datetime | datetime.date):
            day = value.date() if isinstance(value, datetime.datetime) else value
            element = TableCell(
                valuetype="date", datevalue=day.isoformat(), **attributes
            )
        else:
            element = TableCell(valuetype="string", **attributes)
            for line in str(value).split("\n"):
                element.addElement(paragraph(line))
            return element
        element.addElement(P(text=str(value)))
        return element

    document = OpenDocumentSpreadsheet()
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        table = Table(name=sheet.title)
        for values in sheet.iter_rows(values_only=True):
            row = TableRow()
            values = [*values, None]  # LibreOffice pads to the last column
            start = 0
            while start < len(values):
                end = start
                while end + 1 < len(values) and values[end + 1] == values[start]:
                    end += 1
                row.addElement(cell(values[start], end - start + 1))
                start = end + 1
            table.addElement(row)
        empty = TableRow(numberrowsrepeated=1_048_000)
        empty.addElement(TableCell(numbercolumnsrepeated=1024))
        table.addElement(empty)
        document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def workbook_of(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def edit(content, sheet, row, column, value):
    """The workbook with one cell changed, as a translator would."""
    book = workbook_of(content)
    worksheet = book[sheet]
    headers = [cell.value for cell in worksheet[1]]
    worksheet.cell(row=row, column=headers.index(column) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def visible_sheets(book):
    """The sheets a person editing the workbook sees (not its export record)."""
    return [sheet.title for sheet in book.worksheets if sheet.sheet_state == "visible"]


def made_by_hand(content):
    """The workbook without its record of the export, as one typed anew."""
    book = workbook_of(content)
    del book["exported_from"]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content, name="snapshot.xlsx"):
    return SimpleUploadedFile(name, content)


def import_url(snapshot):
    return reverse("admin:reviews_snapshot_workbook_import", args=[snapshot.pk])


def workbook_preview(client, snapshot, content):
    response = client.post(import_url(snapshot), {"workbook": upload(content)})
    assert response.status_code == 200, response.context["form"].errors
    return response


def workbook_confirm(client, snapshot, response):
    return client.post(
        import_url(snapshot),
        {"confirm": "1", **response.context["confirm_form"].initial},
    )
