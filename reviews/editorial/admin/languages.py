"""
The languages of a content page: one switch for the whole page, and every
error in plain sight.

Each translated field is labelled with its language ("Overview (Spanish)")
and marked with it (``lang``), so that the page's one language switch
(``reviews/admin.js``) shows the chosen language in every field and
inline at once, and so that an error names its field and language. The
banner at the top of a refused form lists every error, each linked to its
field; the switch counts the errors each language holds, since those of the
language not shown are out of sight.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.utils.html import escape
from django.utils.text import capfirst, format_lazy

from reviews.languages import public_languages

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def language_label(db_field):
    """A translated column's label: "Overview (Spanish)"."""
    return format_lazy(
        "{} ({})",
        capfirst(db_field.translated_field.verbose_name),
        LANGUAGE_NAMES[db_field.language],
    )


def column_labels(model):
    """The label of each translated column, read-only ones included."""
    return {
        field.name: language_label(field)
        for field in model._meta.fields
        if field_language(field)
    }


class TranslatedFieldsMixin:
    """Label and mark each translated field with its language."""

    # A field shown read-only (a translator's English) takes its label from
    # the form's Meta, not from its form field. Whichever of the two the
    # admin has: a page's form, or an inline's formset.
    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault("labels", column_labels(self.model))
        return super().get_form(request, obj, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("labels", column_labels(self.model))
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None:
            return None
        # Django's admin shows help texts as HTML; ours are plain text that
        # may show markup to type, such as "<https://…>".
        if field.help_text:
            field.help_text = escape(field.help_text)
        language = field_language(db_field)
        if language:
            field.label = language_label(db_field)
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs["lang"] = language
        return field


def field_language(db_field):
    """The language of a translated field's column, or None."""
    if hasattr(db_field, "translated_field"):
        return db_field.language
    return None


def form_field_language(form, name):
    try:
        return field_language(form._meta.model._meta.get_field(name))
    except FieldDoesNotExist:
        return None


def refused_forms(adminform, inline_admin_formsets):
    """
    Every form of the page as (its name on the page, form, anchor of the
    form), the page's own first.
    """
    yield "", adminform.form, adminform.form.prefix or "content-main"
    for inline in inline_admin_formsets:
        formset = inline.formset
        for index, form in enumerate(formset.forms):
            name = format_lazy(
                "{} {}", capfirst(formset.model._meta.verbose_name), index + 1
            )
            yield name, form, f"{formset.prefix}-{index}"


def error_summary(adminform, inline_admin_formsets):
    """Each error of the page, named by form, field and language, with its link."""
    errors = []
    for inline in inline_admin_formsets:
        for message in inline.formset.non_form_errors():
            errors.append(
                {
                    "name": capfirst(inline.formset.model._meta.verbose_name_plural),
                    "message": message,
                    "target": f"{inline.formset.prefix}-group",
                    "language": "",
                }
            )
    for form_name, form, anchor in refused_forms(adminform, inline_admin_formsets):
        for name, messages in form.errors.items():
            if name == NON_FIELD_ERRORS or name not in form.fields:
                names, target, language = [form_name], anchor, ""
            else:
                field = form[name]
                names = [form_name, capfirst(field.label)]
                target = field.id_for_label or field.auto_id
                language = form_field_language(form, name) or ""
            name = " – ".join(str(part) for part in names if part)
            errors.extend(
                {
                    "name": name,
                    "message": message,
                    "target": target,
                    "language": language,
                }
                for message in messages
            )
    return errors


def page_languages(adminform, inline_admin_formsets, errors):
    """
    The switch's choices: each language, with how many errors it holds and
    whether readers get it.
    """
    translated = any(
        form_field_language(form, name)
        for _name, form, _anchor in refused_forms(adminform, inline_admin_formsets)
        for name in form.fields
    ) or any(
        form_field_language(inline.formset.form, name)
        for inline in inline_admin_formsets
        for name in inline.formset.form.base_fields
    )
    if not translated:
        return []
    public = public_languages()
    return [
        {
            "code": code,
            "name": name,
            "errors": sum(error["language"] == code for error in errors),
            # The page opens on a public language, not on one being added,
            # whose fields are still empty.
            "public": code in public,
        }
        for code, name in settings.LANGUAGES
    ]
