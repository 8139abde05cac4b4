"""
A snapshot's activity: every change to it and to its content, newest first.

Each object keeps its own history (``history``); the snapshot's page also
needs one view of everything that happened to what it holds, whoever made
the change and wherever (its page, a part's own page, an import): who, when,
which object, and each field's old and new value, language by language.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from reviews.content import CONTENT
from reviews.editorial.admin.forms import deletion_of
from reviews.editorial.admin.history import rows

#: Changes listed on one page of the activity.
PER_PAGE = 50


def content_versions(snapshot):
    """Every version of the snapshot and of the content it holds now or held."""
    held = Q()
    for kind in CONTENT:
        content_type = ContentType.objects.get_for_model(kind.model)
        pks = [
            str(pk) for pk in kind.of_snapshot(snapshot).values_list("pk", flat=True)
        ]
        held |= Q(content_type=content_type, object_id__in=pks)
    # Deleted parts: their last versions were saved with the snapshot's.
    with_snapshot = Version.objects.get_for_object(snapshot).values("revision")
    deleted = Q(revision__in=with_snapshot) & ~held
    return Version.objects.filter(held | deleted).select_related(
        "revision__user", "content_type"
    )


def activity(snapshot):
    """The changes, newest first: dicts of who, when, what and how."""
    entries, last_seen = [], {}
    versions = content_versions(snapshot).order_by("revision__date_created", "pk")
    for version in versions:
        key = (version.content_type_id, version.object_id)
        model = version.content_type.model_class()
        older = last_seen.get(key)
        last_seen[key] = version
        changes = (
            list(rows(model, older.field_dict, version.field_dict, changed_only=True))
            if older
            else None
        )
        if changes == []:
            continue
        entries.append(
            {
                "when": version.revision.date_created,
                "who": version.revision.user,
                "kind": model._meta.verbose_name,
                "object": version.object_repr,
                "comment": version.revision.get_comment(),
                "changes": changes,
            }
        )
    for version in last_seen.values():
        model = version.content_type.model_class()
        if model._base_manager.filter(pk=version.object_id).exists():
            continue
        _repr, who, when = deletion_of(model, version.object_id)
        if when is not None:
            entries.append(
                {
                    "when": when,
                    "who": who,
                    "kind": model._meta.verbose_name,
                    "object": version.object_repr,
                    "deleted": True,
                }
            )
    return sorted(entries, key=lambda entry: entry["when"], reverse=True)


def activity_view(admin):
    def view(request, object_id):
        if not admin.has_view_or_change_permission(request):
            raise PermissionDenied
        snapshot = admin.get_object(request, object_id)
        if snapshot is None:
            raise Http404
        page = Paginator(activity(snapshot), PER_PAGE).get_page(request.GET.get("page"))
        context = {
            **admin.admin_site.each_context(request),
            "opts": admin.opts,
            "original": snapshot,
            "object_id": snapshot.pk,
            "title": _("Activity"),
            "page": page,
        }
        return TemplateResponse(
            request, "admin/reviews/snapshot/activity.html", context
        )

    return view
