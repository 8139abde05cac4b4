"""
Small spreadsheet files that expand to a lot once read, and a measure of the
memory reading one takes, in a process of its own. ``make bench`` prints
the peaks; tests/test_upload_limits.py holds them under a bound.
"""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent

ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
    'manifest:1.0" manifest:version="1.2"><manifest:file-entry '
    'manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
    'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
    '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)
ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
    'xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:'
    'table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'office:version="1.2"><office:body><office:spreadsheet>'
    '<table:table table:name="Sheet1">{rows}</table:table>'
    "</office:spreadsheet></office:body></office:document-content>"
)


def ods(rows):
    """An ODS file whose one sheet holds ``rows``, OpenDocument XML as given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
        )
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("content.xml", ODS_CONTENT.format(rows=rows))
    return out.getvalue()


def ods_cell(text):
    return (
        '<table:table-cell office:value-type="string">'
        f"<text:p>{text}</text:p></table:table-cell>"
    )


def ods_spaces_bomb():
    """Under a kilobyte: one cell of two thousand million spaces (text:s)."""
    return ods(
        "<table:table-row>" + ods_cell("text") + "</table:table-row>"
        "<table:table-row>"
        + ods_cell('<text:s text:c="2000000000"/>')
        + "</table:table-row>"
    )


def ods_repeated_rows():
    """A data row repeated a million times (table:number-rows-repeated)."""
    return ods(
        "<table:table-row>" + ods_cell("text") + "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1000000">'
        + ods_cell("x" * 1000)
        + "</table:table-row>"
    )


def ods_repeated_columns():
    """A long text repeated across sixteen thousand columns of each of many rows."""
    row = (
        "<table:table-row>"
        + ods_cell("x" * 1000).replace(
            "<table:table-cell ",
            '<table:table-cell table:number-columns-repeated="16384" ',
        )
        + "</table:table-row>"
    )
    return ods(
        "<table:table-row>" + ods_cell("text") + "</table:table-row>" + row * 1000
    )


SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
SHARED_STRINGS_RELATION = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)


def xlsx(sheet_xml=None, shared_strings=None):
    """An XLSX file from openpyxl, its first sheet's XML replaced, or a table
    of shared texts added (openpyxl writes none)."""
    book = openpyxl.Workbook()
    book.active["A1"] = "text"
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml" and sheet_xml:
                data = sheet_xml
            elif member.filename == "[Content_Types].xml" and shared_strings:
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/>'
                    b"</Types>" % SHARED_STRINGS_TYPE.encode(),
                )
            elif member.filename == "xl/_rels/workbook.xml.rels" and shared_strings:
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdTexts" Type="%s" Target="sharedStrings.xml"'
                    b"/></Relationships>" % SHARED_STRINGS_RELATION.encode(),
                )
            target.writestr(member.filename, data)
        if shared_strings:
            target.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"%s<sheetData>%s</sheetData></worksheet>"
)


def xlsx_many_rows(count=780_000):
    """Under a megabyte of XLSX holding ``count`` rows (90 MB of XML unpacked)."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>'
    return xlsx(SHEET % (b"", row * count))


def xlsx_long_cell(length=90_000_000):
    """About 90 KB of XLSX whose second row holds one text of ``length``."""
    rows = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>%s</t></is></c></row>'
        % (b"x" * length)
    )
    return xlsx(SHEET % (b"", rows))


def xlsx_wide_dimension():
    """A sheet that claims to span every column and row Excel has."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in range(1, 2001)
    )
    return xlsx(SHEET % (b'<dimension ref="A1:XFD1048576"/>', rows))


def xlsx_shared_strings(count=700_000):
    """Millions of short shared texts, each a new string once read."""
    strings = b"".join(b"<si><t>%x</t></si>" % n for n in range(count))
    return xlsx(
        shared_strings=(
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<si><t>text</t></si>" + strings + b"</sst>"
        )
    )


HOSTILE = {
    "ODS, one cell of 2,000,000,000 spaces": ("ods", ods_spaces_bomb),
    "ODS, a data row repeated 1,000,000 times": ("ods", ods_repeated_rows),
    "ODS, 1,000 rows of 16,384 repeated columns": ("ods", ods_repeated_columns),
    "XLSX, 780,000 rows": ("xlsx", xlsx_many_rows),
    "XLSX, one cell of 90,000,000 characters": ("xlsx", xlsx_long_cell),
    "XLSX, dimension A1:XFD1048576": ("xlsx", xlsx_wide_dimension),
    "XLSX, 700,000 shared strings": ("xlsx", xlsx_shared_strings),
}

# The peak resident memory of this process since it started (VmHWM): unlike
# getrusage's ru_maxrss, it does not carry over the parent's peak at exec.
MEASURE = """
import json, sys, django
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
django.setup()
from reviews.spreadsheets.formats import FORMATS, ImportRefused
from reviews.spreadsheets.workbook import read_workbook
path, extension, whole = sys.argv[1:]
data = open(path, "rb").read()
before = peak()
try:
    if whole == "workbook":
        read_workbook(data)
    else:
        [format_class] = [f for f in FORMATS if f().get_extension() == extension]
        format_class().create_dataset(data)
    outcome = "read"
except ImportRefused as refused:
    outcome = " ".join(refused.messages)
print(json.dumps({"before": before, "peak": peak(), "outcome": outcome}))
"""


def peak_memory(data, extension, folder, whole="sheet"):
    """
    Reading ``data`` as an upload of one sheet (or a whole ``workbook``) in a
    fresh process: the peak resident memory in MB before and after, and what
    the editor is told.
    """
    path = Path(folder) / f"upload.{extension}"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), extension, whole],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "reviewsite.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)
