"""Generated malformed rows and files never crash the importer or half-write."""

import tablib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reviews.spreadsheets.formats import FORMATS, ImportRefused
from reviews.spreadsheets.resources import ConclusionResource, StakeholderCountResource

from .conftest import examples
from .spreadsheets import csv_bytes, xlsx_bytes

SLUG = "regional-review-latin-america-caribbean-2021"
PROPERTY = settings(
    max_examples=examples(300),
    deadline=None,
    # The database fixture is shared by the examples on purpose, and building
    # a file inside the strategy is slow by nature, not by accident.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

cells = st.one_of(
    st.none(),
    st.sampled_from([SLUG, "governments", "academia", "others", "", " ", "=1+1"]),
    st.text(max_size=30),
    st.integers(10_001, 100_000).map(lambda length: "x" * length),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates().map(str),
)
RESOURCES = [StakeholderCountResource, ConclusionResource]


@st.composite
def sheets(draw):
    """A header row that is usually right, and rows of arbitrary cells."""
    resource = draw(st.sampled_from(RESOURCES))
    headers = resource().get_export_headers()
    headers = draw(
        st.one_of(
            st.just(headers),
            st.permutations(headers),
            st.lists(
                st.sampled_from([*headers, "text", "count", " order ", "x", None]),
                max_size=6,
            ),
        )
    )
    rows = draw(
        st.lists(
            st.lists(cells, min_size=len(headers), max_size=len(headers)), max_size=6
        )
    )
    return resource, headers, rows


@PROPERTY
@given(sheet=sheets())
def test_generated_rows_never_crash_nor_half_write(seed, content_dump, sheet):
    """Whatever the cells, import either succeeds or changes nothing."""
    resource, headers, rows = sheet
    before = content_dump()
    result = resource().import_data(tablib.Dataset(*rows, headers=headers))
    if result.has_errors() or result.has_validation_errors():
        assert content_dump() == before


@st.composite
def files(draw):
    """Valid-looking CSV or XLSX bytes with random damage, or random bytes."""
    resource, headers, rows = draw(sheets())
    # Characters a worksheet cannot hold would fail here, in building the file.
    text_rows = [
        [ILLEGAL_CHARACTERS_RE.sub("", str(cell)) for cell in row] for row in rows
    ]
    content = draw(
        st.sampled_from([csv_bytes, xlsx_bytes]).map(
            lambda build: build(headers, text_rows)
        )
    )
    damage = draw(st.sampled_from(["none", "truncate", "flip", "random"]))
    if damage == "truncate":
        content = content[: draw(st.integers(0, len(content)))]
    elif damage == "flip" and content:
        at = draw(st.integers(0, len(content) - 1))
        content = content[:at] + bytes([content[at] ^ 0xFF]) + content[at + 1 :]
    elif damage == "random":
        content = draw(st.binary(max_size=2000))
    return resource, content, draw(st.sampled_from(FORMATS))


@PROPERTY
@given(upload=files())
def test_generated_files_never_crash_nor_half_write(seed, content_dump, upload):
    """Damaged files are refused with a message or imported all or nothing."""
    resource, content, file_format = upload
    before = content_dump()
    try:
        dataset = file_format().create_dataset(content)
    except ImportRefused as refusal:
        assert refusal.messages
        return
    result = resource().import_data(dataset)
    if result.has_errors() or result.has_validation_errors():
        assert content_dump() == before
