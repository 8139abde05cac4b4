"""One rule for spreadsheet cells, the same in the admin and the public downloads."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reviews.models import StakeholderGroup
from reviews.spreadsheets import cells

from .conftest import examples, publish
from .spreadsheets import FORMAT_INDEX

pytestmark = pytest.mark.django_db

# Text an editor might type: formula-like starts and apostrophes often, at the
# start and after what a spreadsheet program may split a CSV line on.
starts = st.sampled_from(["", "=", "+", "-", "@", "'", "''", "=HYPERLINK(", "\t"])
names = st.builds(
    lambda start, rest, separator, after: (
        (start + rest + separator + after).strip() or "x"
    ),
    starts,
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20).map(
        lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)
    ),
    st.sampled_from(["", *cells.SEPARATORS]),
    starts.map(lambda start: start + "WEBSERVICE(x)" if start else start),
)


def would_run(text):
    """Whether a spreadsheet splitting ``text`` on any separator runs a part."""
    return any(
        part.startswith(cells.FORMULA_STARTS)
        for separator in cells.SEPARATORS
        for part in text.split(separator)
    )


def admin_export(client, file_format):
    response = client.post(
        reverse("admin:reviews_stakeholdergroup_export"),
        {
            "format": FORMAT_INDEX[file_format],
            "resource": "0",
            "stakeholdergroupresource_slug": "on",
            "stakeholdergroupresource_name_en": "on",
        },
    )
    assert response.status_code == 200
    return response.content


def public_download(client, slug, file_format):
    response = client.get(f"/en/snapshots/{slug}/data/stakeholders.{file_format}")
    assert response.status_code == 200
    return response.content


def cells_of(content, file_format):
    if file_format == "csv":
        return [
            cell
            for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))
            for cell in row
        ]
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell.value for row in book.worksheets[0].iter_rows() for cell in row]


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=names)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_one_escape_rule_for_the_admin_and_the_public(
    seed, editor_client, file_format, name
):
    """A group's name is written the same, and read back the same, everywhere."""
    group = StakeholderGroup.objects.get(slug="academia")
    group.name_en = name
    group.save()
    publish(seed)
    expected = cells.written(name)
    if isinstance(expected, str) and would_run(expected):
        pytest.fail(f"{expected!r} would run as a formula")
    for content in (
        admin_export(editor_client, file_format),
        public_download(editor_client, seed.slug, file_format),
    ):
        written = cells_of(content, file_format)
        assert expected in written
        assert cells.text(expected) == name


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+34 600", "'+34 600"),
        ("- a list item", "'- a list item"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("'quoted'", "''quoted'"),
        ("Plain", "Plain"),
        ("Civil society;=WEBSERVICE(x)", "Civil society;'=WEBSERVICE(x)"),
        ("a,+1\t-2", "a,'+1\t'-2"),
        ("a\t\tb", "a\t'\tb"),
        ("rock;'n' roll", "rock;''n' roll"),
        ("Tom, -5 and @x", "Tom, -5 and @x"),
    ],
)
def test_formula_like_text_gets_one_apostrophe(text, cell):
    """What a spreadsheet would run is written as text, and reads back unchanged."""
    assert cells.written(text) == cell
    assert cells.text(cell) == text
