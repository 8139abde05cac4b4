"""What every content admin shares: spreadsheets and history."""

from reversion.admin import VersionAdmin

from .spreadsheets import SpreadsheetMixin


class ContentAdmin(SpreadsheetMixin, VersionAdmin):
    """
    A kind of content's admin: its changelist imports and exports
    spreadsheets, and every change is kept as a version (django-reversion)
    that editors can compare, restore or recover once deleted.
    """
