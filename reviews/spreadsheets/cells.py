"""
Spreadsheet cells, one rule each, for every file the site reads or writes:
the editors' imports and exports and the public downloads alike.

- **Text** that a spreadsheet program would run as a formula is written with
  a leading apostrophe, the spreadsheet convention for "this is literal
  text"; text that already starts with one gets one more, so that reading
  always strips exactly one and a round trip gives back the same text. The
  same holds after every comma, semicolon and tab: a spreadsheet program
  splits a CSV file on whichever its locale uses (Spanish-locale Excel on
  ";"), quotes or not, so ``Civil society;=WEBSERVICE(…)`` would otherwise
  start a cell with "=". (Text typed in an imported file with an apostrophe
  right after one of them, ``a,'b``, loses that apostrophe.)
- **Whole numbers** (counts, positions, years) are integers, never decimals.
- **Dates** are written as date cells (ISO ``YYYY-MM-DD`` in a CSV) and read
  from either.
"""

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reviews.markup import tidy

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LITERAL_MARK = "'"
#: What spreadsheet programs separate CSV columns with, most common first
#: (Spanish-locale programs: semicolons).
SEPARATORS = (",", ";", "\t")
# Where a spreadsheet program may start a cell: the start of the text and
# right after each separator.
SEPARATOR_CLASS = "[" + re.escape("".join(SEPARATORS)) + "]"
CELL_START = rf"(?:^|(?<={SEPARATOR_CLASS}))"
MARKED_CLASS = "[" + re.escape("".join((*FORMULA_STARTS, LITERAL_MARK))) + "]"
NEEDS_MARK = re.compile(rf"{CELL_START}(?={MARKED_CLASS})")
ADDED_MARK = re.compile(rf"{CELL_START}{LITERAL_MARK}")
# Far beyond any count, and keeps int() of a pasted cell cheap.
LARGEST_NUMBER = 10**12


def shorten(value, limit=40):
    """A cell's value, cut short enough to quote in a message."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def written(value, *, text_file=False):
    """
    A value as it goes into a cell: text escaped and without the control
    characters a worksheet cannot hold, numbers and dates as such. In a text
    file (CSV), a yes or no is ``TRUE`` or ``FALSE``, as spreadsheets write
    them, and which R, pandas and the Table Schema all read as one.
    """
    if isinstance(value, bool) and text_file:
        return "TRUE" if value else "FALSE"
    if not isinstance(value, str):
        return value
    return NEEDS_MARK.sub(LITERAL_MARK, ILLEGAL_CHARACTERS_RE.sub("", value))


def text(value):
    """The tidy text of a cell, without the escape ``written`` added."""
    value = tidy(ADDED_MARK.sub("", "" if value is None else str(value)))
    limit = settings.SPREADSHEET_MAX_CELL_CHARS
    if len(value) > limit:
        raise ValueError(
            _("This cell has %(length)s characters; the limit is %(limit)s.")
            % {"length": len(value), "limit": limit}
        )
    return value


def is_blank(value):
    """Whether a cell holds nothing: no value, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def whole_number(value):
    """An integer from a number or text cell; None when the cell is empty."""
    if is_blank(value):
        return None
    try:
        number = None if isinstance(value, bool) else Decimal(str(value).strip())
    except ArithmeticError:
        number = None
    if (
        number is None
        or not number.is_finite()
        or number != number.to_integral_value()
        or abs(number) >= LARGEST_NUMBER
    ):
        raise ValueError(
            _("“%(value)s” is not a whole number.") % {"value": shorten(value)}
        )
    return int(number)


def day(value):
    """A date from a date cell or ``YYYY-MM-DD`` text; None when empty."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        # A spreadsheet's date cell arrives as a datetime at midnight.
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value).strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.")
            % {"value": shorten(value)}
        ) from None
