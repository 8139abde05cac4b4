"""
"Still correct": a stale translation confirmed without being edited.

The English of a text changed in a way that leaves its translation right (a
typo fixed, a comma): a translator, or an editor, says so with one POST to
the object's ``…/translations/confirm/`` address, from the field's mark on
its page or from the snapshot's translation status. The form names the
English it was shown (``seen``): if the English changed again since, the
confirmation would vouch for a text nobody read, and is refused.
"""

import hashlib

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from reviews.editorial.admin.languages import LANGUAGE_NAMES
from reviews.translations.rights import writable_columns
from reviews.translations.status import STALE, confirm, texts_of_objects


def seen(source):
    """A short fingerprint of the English a confirmation was offered for."""
    return hashlib.sha256(source.encode()).hexdigest()[:32]


def confirm_url(obj):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_confirm_translation",
        args=[obj.pk],
    )


def may_confirm(user, text):
    """Whether ``user`` may write the text's language on its object."""
    writable = writable_columns(user, type(text.obj))
    return writable is None or text.column in writable


def offer(text):
    """What a "Still correct" form posts for ``text``."""
    return {
        "url": confirm_url(text.obj),
        "field": text.field,
        "language": text.language,
        "seen": seen(text.source),
    }


def safe_next(request):
    url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe and url.startswith("/") else ""


def refused(request, admin, obj, message, status):
    context = {
        **admin.admin_site.each_context(request),
        "opts": admin.opts,
        "original": obj,
        "title": gettext("The translation was not confirmed"),
        "message": message,
        "back": safe_next(request),
    }
    return TemplateResponse(
        request, "admin/reviews/translation_refused.html", context, status=status
    )


class StillCorrectMixin:
    """The ``…/translations/confirm/`` address of a content admin."""

    def confirm_translation_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(gettext("There is no such item."))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        field, language = request.POST.get("field"), request.POST.get("language")
        found = [
            text
            for text in texts_of_objects([obj])
            if text.field == field and text.language == language
        ]
        if not found:
            return refused(
                request, self, obj, gettext("This item has no such translation."), 400
            )
        text = found[0]
        if not may_confirm(request.user, text):
            raise PermissionDenied
        if request.POST.get("seen") != seen(text.source):
            return refused(
                request,
                self,
                obj,
                gettext(
                    "The source text changed again since this page was opened: "
                    "read it again before confirming its translation."
                ),
                409,
            )
        if text.state != STALE:
            return refused(
                request,
                self,
                obj,
                gettext("Only a stale translation can be confirmed as still correct."),
                409,
            )
        confirm(obj, field, language, request.user)
        messages.success(
            request,
            gettext("“%(field)s” in %(language)s is marked still correct.")
            % {
                "field": self.model._meta.get_field(field).verbose_name,
                "language": LANGUAGE_NAMES[language],
            },
        )
        return HttpResponseRedirect(
            safe_next(request)
            or reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[obj.pk],
            )
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/translations/confirm/",
                self.admin_site.admin_view(require_POST(self.confirm_translation_view)),
                name=f"{self.opts.app_label}_{self.opts.model_name}_confirm_translation",
            ),
            *super().get_urls(),
        ]
