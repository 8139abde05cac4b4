"""What every content admin and inline shares: its form, spreadsheets, history."""

from django.db import models
from reversion.admin import VersionAdmin

from .forms import ContentForm
from .spreadsheets import SpreadsheetMixin


def with_opened_with(fieldsets):
    """The fieldsets with the form's hidden "opened with" field in the first."""
    (name, options), *rest = fieldsets
    fields = [*options["fields"], "opened_with"]
    return [(name, {**options, "fields": fields}), *rest]


class ContentFormMixin:
    """Pages and inlines of content use ContentForm (tidy text, stale saves)."""

    form = ContentForm
    # Django 6 makes https the default scheme for typed-in addresses; do it now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fieldsets(self, request, obj=None):
        return with_opened_with(super().get_fieldsets(request, obj))


class ContentInline(ContentFormMixin):
    """An inline of content: mix in before the inline's own class."""


class ContentAdmin(ContentFormMixin, SpreadsheetMixin, VersionAdmin):
    """
    A kind of content's admin: its changelist imports and exports
    spreadsheets, and every change is kept as a version (django-reversion)
    that editors can compare, restore or recover once deleted.
    """

    def get_object(self, request, object_id, from_field=None):
        # A save locks the row until it commits, so that two editors saving
        # at once are checked one after the other (see ContentForm).
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        return obj
