"""Reading a text's translation state as the status page does."""

from reviews.models import Conclusion
from reviews.translations.status import texts


def state(snapshot, obj, field, language="es"):
    """The state (translated, missing, stale) of one field of ``obj``."""
    [text] = [
        text
        for text in texts(snapshot, [language])
        if text.obj.pk == obj.pk and type(text.obj) is type(obj) and text.field == field
    ]
    return text.state


def first_conclusion(snapshot):
    return Conclusion.objects.filter(snapshot=snapshot).order_by("order").first()
