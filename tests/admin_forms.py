"""Admin change forms posted back as a browser submits them."""

import datetime

from django.forms import CheckboxInput
from django.urls import reverse


def field_values(form):
    """Each field of ``form`` with the value a browser would send for it."""
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, CheckboxInput):
            if value:
                yield bound.html_name, "on"
        elif isinstance(value, list | tuple):
            yield bound.html_name, [str(item) for item in value]
        elif isinstance(value, datetime.date):
            yield bound.html_name, value.isoformat()
        elif value is not None:
            yield bound.html_name, str(value)


def submitted(response):
    """
    The POST data of the admin change form in ``response`` as rendered: the
    main form and every inline with its management form, and the Save button.
    """
    context = response.context
    data = dict(field_values(context["adminform"].form))
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(field_values(formset.management_form))
        for form in formset.forms:
            data.update(field_values(form))
    data["_save"] = "Save"
    return data


def edit_conclusion(client, conclusion, text_en):
    """Post a conclusion's change form back with a new English text."""
    url = reverse("admin:reviews_conclusion_change", args=[conclusion.pk])
    return client.post(url, {**submitted(client.get(url)), "text_en": text_en})


def inline_rows(data, prefix):
    """The field names of each row of the inline (or list) ``prefix`` in ``data``."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    return [f"{prefix}-{index}-" for index in range(total)]


def submitted_list(response):
    """
    The POST data of a changelist's editable columns as rendered: every row
    of its formset, the management form, and the Save button.
    """
    formset = response.context["cl"].formset
    data = dict(field_values(formset.management_form))
    for form in formset.forms:
        data.update(field_values(form))
    data["_save"] = "Save"
    return data


#: A publisher's reason for the seed's translations, which differ from their
#: source in emphasis as the source documents do.
PARITY_NOTE = "Emphasis as in the source documents."


def publish_through_admin(
    client, snapshot, goes_live_at="", parity_note=PARITY_NOTE, checked=True
):
    """
    A publisher's POST of the confirmation page; the response. ``checked``:
    a translator first marked the texts an edit made stale still correct.
    """
    if checked:
        from .conftest import translations_checked

        translations_checked(snapshot)
    url = reverse("admin:reviews_snapshot_publish", args=[snapshot.pk])
    # As a browser does: the page first, then its form with what it compared.
    compared = client.get(url).context["compared"]
    return client.post(
        url,
        {
            "goes_live_at": goes_live_at,
            "parity_note": parity_note,
            "compared": compared,
        },
    )
