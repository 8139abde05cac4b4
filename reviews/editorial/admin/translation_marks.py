"""
Each translation's state next to its field on a content page.

A target language's field whose translation is missing or stale carries a
short mark ("Missing", "Stale") that its control names as its description
(``aria-describedby``), so a screen reader reads it with the field. A stale
one also shows what the English changed since the translation was made,
word by word: what the translator must carry over, and offers "Still
correct" (``still_correct``) to whoever may write that language. The
states of every form of the page, its inlines' rows included, are read in
one query.
"""

from django.forms import Widget
from django.template.loader import render_to_string

from reviews.editorial.admin.history import marked_words
from reviews.editorial.admin.languages import refused_forms
from reviews.editorial.admin.still_correct import may_confirm, offer
from reviews.translations.status import STALE, TRANSLATED, texts_of_objects


class MarkedWidget(Widget):
    """A field's own widget, followed by its translation's mark."""

    def __init__(self, widget, text, confirmable):
        self.widget = widget
        self.text = text
        self.confirmable = confirmable
        super().__init__(widget.attrs)

    @property
    def is_hidden(self):
        return self.widget.is_hidden

    @property
    def media(self):
        return self.widget.media

    def id_for_label(self, id_):
        return self.widget.id_for_label(id_)

    def value_from_datadict(self, data, files, name):
        return self.widget.value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return self.widget.value_omitted_from_data(data, files, name)

    def use_required_attribute(self, initial):
        return self.widget.use_required_attribute(initial)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        mark_id = f"{attrs.get('id', name)}_translation"
        described = attrs.get("aria-describedby", "")
        attrs["aria-describedby"] = f"{described} {mark_id}".strip()
        field = self.widget.render(name, value, attrs, renderer)
        return render_to_string(
            "admin/reviews/includes/translation_mark.html",
            {
                "field": field,
                "mark_id": mark_id,
                "text": self.text,
                "change": marked_words(self.text.source_then or "", self.text.source)
                if self.text.state == STALE
                else None,
                "confirm": self.confirmable and offer(self.text),
                "form_id": f"{mark_id}_confirm",
            },
        )


def mark_translations(request, adminform, inline_admin_formsets):
    """
    Mark each missing or stale translation of the page's forms; the "Still
    correct" forms to place outside the page's own form, which they cannot
    sit in.
    """
    forms = [
        form
        for _name, form, _anchor in refused_forms(adminform, inline_admin_formsets)
        if form.instance.pk is not None
    ]
    texts = {
        (id(text.obj), text.column): text
        for text in texts_of_objects([form.instance for form in forms])
        if text.state != TRANSLATED
    }
    confirms = []
    for form in forms:
        for column, field in form.fields.items():
            text = texts.get((id(form.instance), column))
            if text is None:
                continue
            confirmable = text.state == STALE and may_confirm(request.user, text)
            field.widget = MarkedWidget(field.widget, text, confirmable)
            if confirmable:
                confirms.append(
                    {
                        **offer(text),
                        "id": f"{form[column].auto_id}_translation_confirm",
                        "next": request.get_full_path(),
                    }
                )
    return confirms
