"""
An object's history in the admin: what each version changed, old and new, in
every language, and any two versions compared field by field.

django-reversion keeps the versions and gives the restore (its revision
view) and the recovery of deleted objects (its recover list); this adds what
an editor needs to decide what to restore.
"""

from contextlib import nullcontext

import reversion
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version
from reversion.utils import mute_signals

from reviews.editorial.admin import restores
from reviews.markup import marked_words
from reviews.spreadsheets.imports import UndoFailed


def shown(field, value):
    """A stored value as an editor reads it."""
    if value is None or value == "":
        return "—"
    if field.is_relation:
        target = field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return localize(value)


def rows(model, older, newer, *, changed_only):
    """(label, old, new, changed) for every field two versions store."""
    names = [name for name in newer if name != model._meta.pk.attname]
    for name in names:
        field = next(f for f in model._meta.concrete_fields if f.attname == name)
        old, new = older.get(name), newer.get(name)
        changed = (old or None) != (new or None)
        if changed or not changed_only:
            old_shown, new_shown = shown(field, old), shown(field, new)
            old_marked, new_marked = (
                marked_words(str(old_shown), str(new_shown))
                if changed
                else (old_shown, new_shown)
            )
            yield {
                "label": field.verbose_name,
                "old": old_shown,
                "new": new_shown,
                "old_marked": old_marked,
                "new_marked": new_marked,
                "changed": changed,
            }


class HistoryMixin:
    """The history page with changes, and a page comparing two versions."""

    object_history_template = "admin/reviews/object_history.html"

    def versions_of(self, object_id):
        return (
            Version.objects.get_for_object_reference(self.model, unquote(object_id))
            .select_related("revision", "revision__user")
            .order_by("-revision__date_created", "-pk")
        )

    def history_view(self, request, object_id, extra_context=None):
        versions = list(self.versions_of(object_id))
        history = [
            {
                "version": version,
                "changes": list(
                    rows(
                        self.model,
                        older.field_dict,
                        version.field_dict,
                        changed_only=True,
                    )
                )
                if older
                else None,
                "restore_url": reverse(
                    f"{self.admin_site.name}:{self.opts.app_label}_"
                    f"{self.opts.model_name}_revision",
                    args=(quote(version.object_id), version.pk),
                ),
            }
            # The oldest version has none before it (and no version, no row).
            for version, older in zip(versions, [*versions[1:], None], strict=False)
        ]
        # A parent's revision carries all of its parts along: a part's
        # version identical to the one before it is no change of that part.
        history = [entry for entry in history if entry["changes"] != []]
        extra_context = {
            **(extra_context or {}),
            "history": history,
            "compare_url": reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_"
                f"{self.opts.model_name}_compare",
                args=(object_id,),
            ),
        }
        return super().history_view(request, object_id, extra_context)

    def compare_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        versions = self.versions_of(object_id)
        try:
            older = versions.get(pk=int(request.GET["older"]))
            newer = versions.get(pk=int(request.GET["newer"]))
        except (KeyError, ValueError, Version.DoesNotExist):
            raise Http404(gettext("Choose two versions of this item.")) from None
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object_id": object_id,
            "title": _("Compare versions"),
            "older": older,
            "newer": newer,
            "rows": list(
                rows(self.model, older.field_dict, newer.field_dict, changed_only=False)
            ),
        }
        return TemplateResponse(request, "admin/reviews/compare.html", context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]


class _ShownOnly(Exception):
    """Leaves a restore's transaction once its page is rendered: nothing kept."""

    def __init__(self, response):
        self.response = response


class ScopedRestoreMixin:
    """
    django-reversion's restore and recover pages, writing only what they name
    (``restores``): mix in before ``VersionAdmin``.
    """

    revision_form_template = "admin/reviews/revision_form.html"
    recover_form_template = "admin/reviews/recover_form.html"

    def plan_for(self, request, version, recovering):
        if version.content_type.model_class() is not self.model:
            # A version of another kind, through this kind's address.
            raise PermissionDenied
        if recovering:
            return restores.recover_plan(version), [], []
        offered = restores.parts_of(self.model)
        ticked = [name for name in request.GET.getlist("parts") if name in offered]
        return restores.restore_plan(version, ticked), offered, ticked

    def _reversion_revisionform_view(
        self, request, version, template_name, extra_context=None
    ):
        # Replaces django-reversion's, which reverts the whole revision.
        recovering = bool((extra_context or {}).get("recover"))
        plan, offered, ticked = self.plan_for(request, version, recovering)
        if not plan.allowed(request.user):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **(extra_context or {}),
            "preview": [
                {
                    **entry,
                    "changes": [
                        {
                            "label": f.verbose_name,
                            "old": shown(f, old),
                            "new": shown(f, new),
                        }
                        for f, old, new in entry["changes"]
                    ],
                }
                for entry in plan.preview()
            ],
            "parts": [
                {
                    "name": name,
                    "label": opts.get_field(
                        name
                    ).related_model._meta.verbose_name_plural,
                    "ticked": name in ticked,
                }
                for name in offered
            ],
            "version_date": version.revision.date_created,
        }
        summary = plan.summary()
        muted = (
            mute_signals(pre_save, post_save, pre_delete, post_delete)
            if request.method == "GET"
            else nullcontext()
        )
        try:
            with transaction.atomic(using=version.db), muted:
                plan.carry_out()
                with self.create_revision(request):
                    response = self.changeform_view(
                        request,
                        quote(version.object_id),
                        request.get_full_path(),
                        context,
                    )
                    if request.method == "POST" and response.status_code == 302:
                        comment = gettext(
                            "Restored “%(object)s” as saved on %(date)s: %(summary)s"
                        ) % {
                            "object": version.object_repr,
                            "date": localize(
                                template_localtime(version.revision.date_created)
                            ),
                            "summary": summary,
                        }
                        reversion.set_comment(comment)
                        messages.success(request, comment)
                    else:
                        if response.status_code == 200:
                            response.template_name = template_name
                            response.render()
                        raise _ShownOnly(response)
        except UndoFailed as failure:
            messages.error(
                request,
                gettext(
                    "This version cannot be restored, because these rows clash "
                    "with others: %(rows)s. Nothing was changed."
                )
                % {"rows": failure},
            )
            return redirect(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist"
            )
        except _ShownOnly as shown_only:
            return shown_only.response
        return response
