"""
An object's history in the admin: what each version changed, old and new, in
every language, and any two versions compared field by field.

django-reversion keeps the versions and gives the restore (its revision
view) and the recovery of deleted objects (its recover list); this adds what
an editor needs to decide what to restore.
"""

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version


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
            yield {
                "label": field.verbose_name,
                "old": shown(field, old),
                "new": shown(field, new),
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
