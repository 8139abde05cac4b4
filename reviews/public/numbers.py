"""Numbers as the public pages and their pictures show them."""

from django.utils.formats import number_format


def number(value):
    """A count with the active language's digit grouping: 1,234 / 1 234."""
    return number_format(value, force_grouping=True)
