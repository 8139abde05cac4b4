"""
What a translator may do in the admin: change the texts of the languages
they translate (``reviews.translations.rights``), and nothing else.

A translator holds only *view* on the content, so Django's admin would show
them every page read-only. On a kind of content with translated fields they
are given the change form instead, with every column but their languages'
read-only: English texts, numbers, dates, positions, relations, and in the
inlines the same. They still may not add or delete objects or rows (their
missing permissions keep Django's own refusals), edit a changelist's
columns, restore or recover a version (``restores.Plan.allowed``) or import.

A browser never sends a read-only field, nor a row it offers no way to add
or delete: a POST that changes one is forged, and refused as a whole (403,
nothing written) rather than silently trimmed, so that a tool sending it
learns it was refused.
"""

from django.core.exceptions import PermissionDenied

from reviews.languages import translated_fields
from reviews.translations.rights import writable_columns


def editable_columns(model):
    """The fields an editor changes through a form, in the model's order."""
    originals = set(translated_fields(model))
    return [
        field
        for field in model._meta.fields
        if field.editable and not field.primary_key and field.name not in originals
    ]


def may(user, action, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")


def changes_other_columns(form, data, writable, parent_link=None):
    """
    Whether ``data`` (a POST) changes a column of ``form``'s object that is
    not ``writable``: read-only on the page, so not sent by a browser, or
    shown read-only in a view-only inline and sent back unchanged.
    """
    for field in editable_columns(form._meta.model):
        if field.name in writable or field is parent_link:
            continue
        name = form.add_prefix(field.name)
        if name not in data:
            continue
        form_field = form.fields.get(field.name) or field.formfield()
        if form_field is None:
            continue
        posted = form_field.widget.value_from_datadict(data, {}, name)
        if form_field.has_changed(field.value_from_object(form.instance), posted):
            return True
    return False


def refuse_forged_rows(request, formset):
    """Refuse a formset posted with other columns changed, or rows added or deleted."""
    user, model = request.user, formset.model
    writable = writable_columns(user, model)
    if writable is None:
        return
    data = request.POST
    if formset.total_form_count() > formset.initial_form_count() and not may(
        user, "add", model
    ):
        raise PermissionDenied
    parent_link = getattr(formset, "fk", None)
    for form in formset.initial_forms:
        if form.add_prefix("DELETE") in data and not may(user, "delete", model):
            raise PermissionDenied
        if changes_other_columns(form, data, writable, parent_link):
            raise PermissionDenied


class TranslatorLimitsMixin:
    """
    The change form, read-only but for the translator's languages, on every
    kind of content with translated fields: mix in before the admin's or
    inline's own class.
    """

    def translator_columns(self, request):
        """The columns the user may change here; None: every one (an editor)."""
        return writable_columns(request.user, self.model)

    def translates_here(self, request):
        return bool(self.translator_columns(request))

    def has_change_permission(self, request, obj=None):
        if super().has_change_permission(request, obj):
            return True
        return self.translates_here(request) and self.has_view_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        writable = self.translator_columns(request)
        if writable is None:
            return readonly
        return readonly + tuple(
            field.name
            for field in editable_columns(self.model)
            if field.name not in writable and field.name not in readonly
        )

    def get_fieldsets(self, request, obj=None):
        # Without declared fields, the read-only ones come after the form's:
        # a translator sees them in the model's order instead, the English
        # of a text before its translation.
        fieldsets = super().get_fieldsets(request, obj)
        if self.translator_columns(request) is None or self.fieldsets or self.fields:
            return fieldsets
        order = [field.name for field in self.model._meta.fields]
        return [
            (
                name,
                {
                    **options,
                    "fields": sorted(
                        options["fields"],
                        key=lambda name: (
                            order.index(name) if name in order else len(order)
                        ),
                    ),
                },
            )
            for name, options in fieldsets
        ]

    def get_prepopulated_fields(self, request, obj=None):
        # A slug filled in from the English title: neither is a translator's.
        if self.translator_columns(request) is not None:
            return {}
        return super().get_prepopulated_fields(request, obj)


class TranslatorPageLimitsMixin(TranslatorLimitsMixin):
    """A content page's part of the limits: its POSTs and its changelist."""

    def save_form(self, request, form, change):
        # Called for every valid form, changed or not, before anything is
        # saved; the view's transaction undoes nothing, then.
        writable = self.translator_columns(request)
        if writable is not None and changes_other_columns(form, request.POST, writable):
            raise PermissionDenied
        return super().save_form(request, form, change)

    def save_formset(self, request, form, formset, change):
        refuse_forged_rows(request, formset)
        super().save_formset(request, form, formset, change)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if self.translator_columns(request) is not None:
            changelist.list_editable = ()
        return changelist

    def changelist_view(self, request, extra_context=None):
        # The list's editable columns are never a translator's.
        if (
            request.method == "POST"
            and "_save" in request.POST
            and self.translator_columns(request) is not None
        ):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)
