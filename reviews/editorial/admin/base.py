"""What every content admin and inline shares: its form, spreadsheets, history."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet, BaseModelFormSet, _get_foreign_key
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from reversion.admin import VersionAdmin

from reviews.editorial.admin.forms import ContentForm, GoneRowForm, GoneRowsFormSet
from reviews.editorial.admin.history import HistoryMixin, ScopedRestoreMixin
from reviews.editorial.admin.languages import (
    TranslatedFieldsMixin,
    error_summary,
    page_languages,
)
from reviews.editorial.admin.positions import POSITION, PositionInput, PositionsFormSet
from reviews.editorial.admin.spreadsheets import SpreadsheetMixin
from reviews.editorial.admin.still_correct import StillCorrectMixin
from reviews.editorial.admin.translation_filter import NeedsTranslationFilter
from reviews.editorial.admin.translation_marks import mark_translations
from reviews.editorial.admin.translator_limits import (
    TranslatorLimitsMixin,
    TranslatorPageLimitsMixin,
)
from reviews.languages import translated_fields


def with_opened_with(fieldsets):
    """The fieldsets with the form's hidden "opened with" field in the first."""
    (name, options), *rest = fieldsets
    fields = [*options["fields"], "opened_with"]
    return [(name, {**options, "fields": fields}), *rest]


class TolerantAutocompleteSelect(AutocompleteSelect):
    """
    An autocomplete that shows a form refused with a malformed choice (" ")
    again, instead of failing on it as Django's own does (a 500).
    """

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field
        key = target.model._meta.get_field(target.field_name)
        return super().optgroups(name, [v for v in value if is_key(key, v)], attr)


def is_key(field, value):
    """Whether ``value`` can be a key of ``field``, as a database stores it."""
    try:
        key = field.to_python(value)
    except ValidationError:
        return False
    return not isinstance(key, int) or -LARGEST_KEY <= key < LARGEST_KEY


# Databases store keys in 64 bits; SQLite's driver fails on a larger number.
LARGEST_KEY = 2**63


class KeyChoiceField(forms.ModelChoiceField):
    """A choice of related item that refuses a key no database can hold."""

    def to_python(self, value):
        opts = self.queryset.model._meta
        key = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        if value not in self.empty_values and not is_key(key, value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ContentFormMixin(TranslatedFieldsMixin):
    """
    Pages and inlines of content use ContentForm (tidy text, stale saves),
    their translated fields labelled with their language.
    """

    form = ContentForm
    # Django 6 makes https the default scheme for typed-in addresses; do it now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", KeyChoiceField)
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                TolerantAutocompleteSelect(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return with_opened_with(super().get_fieldsets(request, obj))


class ContentInlineFormSet(GoneRowsFormSet, PositionsFormSet, BaseInlineFormSet):
    pass


class ContentListFormSet(GoneRowsFormSet, PositionsFormSet, BaseModelFormSet):
    pass


class ContentInline(TranslatorLimitsMixin, ContentFormMixin):
    """An inline of content: mix in before the inline's own class."""

    formset = ContentInlineFormSet

    class Media:
        js = ("reviews/positions.js",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == POSITION:
            kwargs.setdefault("widget", PositionInput)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    #: Beyond this many rows the parts are edited on their own paginated list:
    #: a page of thousands of inline rows is too big to load or to save.
    most_rows = 50

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset

    def parent_link(self):
        return _get_foreign_key(self.parent_model, self.model, fk_name=self.fk_name)

    def rows_of(self, request, parent):
        return self.get_queryset(request).filter(**{self.parent_link().name: parent})


class NamedCellsForm:
    """
    A changelist row's editable cells, each named after its column and row:
    Django gives them no label, so a screen reader would announce none.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label} – {self.instance}"


#: The parameter naming the page to go back to once a page is saved.
RETURN_TO = "next"


class ContentAdmin(
    TranslatorPageLimitsMixin,
    StillCorrectMixin,
    ContentFormMixin,
    HistoryMixin,
    ScopedRestoreMixin,
    SpreadsheetMixin,
    VersionAdmin,
):
    """
    A kind of content's admin: its changelist imports and exports
    spreadsheets, and every change is kept as a version (django-reversion)
    that editors can compare, restore or recover once deleted. A translated
    kind's changelist filters by the texts that need translating, and its
    page marks them (``translation_marks``).
    """

    change_form_template = "admin/reviews/change_form.html"

    class Media:
        js = ("reviews/admin.js",)

    def get_list_filter(self, request):
        filters = tuple(super().get_list_filter(request))
        if translated_fields(self.model):
            return (*filters, NeedsTranslationFilter)
        return filters

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **{"form": GoneRowForm, **kwargs})
        return type(form.__name__, (NamedCellsForm, form), {})

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(
            request, **{"formset": ContentListFormSet, **kwargs}
        )
        formset.request = request
        return formset

    def save_model(self, request, obj, form, change):
        # A list's editable column saves row by row, without the formset's
        # own save: its first row makes room for the positions of all.
        rows = getattr(form, "formset_of_rows", None)
        if rows is not None:
            rows.make_room()
        # An unchanged item is saved only if its parts change (save_related):
        # a save that changes nothing records no version.
        if not change or form.has_changed() or rows is not None:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        parts_changed = any(
            formset.new_objects or formset.changed_objects or formset.deleted_objects
            for formset in formsets
        )
        if change and not form.has_changed() and parts_changed:
            # The revision then holds the item with its parts, as it does
            # when the item itself changes.
            super().save_model(request, form.instance, form, change)

    def long_inlines(self, request, obj):
        """The inlines of ``obj`` with more rows than a page should hold."""
        if obj is None:
            return []
        return [
            (inline, count)
            for inline in super().get_inline_instances(request, obj)
            if (count := inline.rows_of(request, obj).count()) > inline.most_rows
        ]

    def get_inline_instances(self, request, obj=None):
        long = {type(inline) for inline, _count in self.long_inlines(request, obj)}
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if type(inline) not in long
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        long_lists = [
            {
                "name": inline.model._meta.verbose_name_plural,
                "count": count,
                "url": reverse(
                    f"admin:{inline.opts.app_label}_{inline.opts.model_name}_changelist"
                )
                + f"?{inline.parent_link().name}={obj.pk}",
            }
            for inline, count in self.long_inlines(request, obj)
        ]
        extra_context = {**(extra_context or {}), "long_lists": long_lists}
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        inlines = context.get("inline_admin_formsets", [])
        errors = error_summary(context["adminform"], inlines)
        context.update(
            error_summary=errors,
            page_languages=page_languages(context["adminform"], inlines, errors),
            translation_confirms=mark_translations(
                request, context["adminform"], inlines
            ),
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def return_to(self, request):
        """
        The page this one was opened from (a part's page opened from its
        parent's), to go back to once saved: a path of this site only. The
        form posts to its own address, so the parameter stays with it.
        """
        url = request.GET.get(RETURN_TO, "")
        safe = url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return url if safe and url.startswith("/") else ""

    def response_post_save_change(self, request, obj):
        url = self.return_to(request)
        if url:
            return HttpResponseRedirect(url)
        return super().response_post_save_change(request, obj)

    def get_object(self, request, object_id, from_field=None):
        # An empty ?_to_field= names no field: Django would look up the
        # field "" and fail (a 500); it means the primary key.
        obj = super().get_object(request, object_id, from_field or None)
        # A save locks the row until it commits, so that two editors saving
        # at once are checked one after the other (see ContentForm).
        saving = (
            request.method == "POST" and transaction.get_connection().in_atomic_block
        )
        if obj is not None and saving:
            obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        return obj
