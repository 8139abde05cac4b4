"""
The snapshot's publishing pages in the admin: preview, compare and publish,
the publications with republish, copy and cancel, and unpublish.

Editors prepare the working copy, preview it in each language and compare
it with what the public sees; only Publishers (``publishing.publish_snapshot``)
publish, schedule, republish, cancel and unpublish. Each of those is a page
that says what will change on the public site, then one POST; a POST from
anyone else answers 403, whatever the page showed.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from modeltranslation.fields import TranslationField

from reviews.content import CONTENT
from reviews.editorial.admin.history import marked_words, shown
from reviews.groups import PUBLISH
from reviews.languages import public_languages, source_language, target_languages
from reviews.public.views import render_snapshot
from reviews.publishing import completeness, workflow
from reviews.publishing.content import serialise, stored_fields, wired_objects
from reviews.publishing.models import Publication
from reviews.translations import status as translation_status
from reviews.translations.parity import marked
from reviews.translations.status import TRANSLATED

# Comparing the working copy with a publication ------------------------------


@dataclass
class LanguageChanges:
    """What changed in one language (``code`` empty: fields in no language)."""

    code: str
    name: str
    changes: list = field(default_factory=list)


def object_label(obj, language):
    with translation.override(language or settings.LANGUAGE_CODE):
        return f"{obj._meta.verbose_name.capitalize()} “{obj}”"


def labelled_objects(value):
    """
    A serialised snapshot's objects by label, wired to one another: a row is
    then named from the value itself (a count by its group), never from the
    database, where that group may have been deleted since.
    """
    return {
        model._meta.label: list(objects.values())
        for model, objects in wired_objects(value).items()
    }


def compare(old_value, new_value):
    """
    Per language, every field that differs between two serialised snapshots
    (``None`` for no publication yet), with the changed words marked; rows
    added and removed are listed under every language.
    """
    old = labelled_objects(old_value) if old_value else {}
    new = labelled_objects(new_value)
    languages = {
        code: LanguageChanges(code, str(name)) for code, name in settings.LANGUAGES
    }
    every = LanguageChanges("", _("Every language"))
    for kind in CONTENT:
        before = {obj.pk: obj for obj in old.get(kind.label, [])}
        after = {obj.pk: obj for obj in new.get(kind.label, [])}
        for pk in before.keys() - after.keys():
            every.changes.append(
                {"object": object_label(before[pk], ""), "removed": True}
            )
        for pk, obj in after.items():
            previous = before.get(pk)
            if previous is None:
                if old_value:
                    every.changes.append(
                        {"object": object_label(obj, ""), "added": True}
                    )
                continue
            for model_field in stored_fields(kind.model):
                if not model_field.editable or model_field.primary_key:
                    continue
                was = getattr(previous, model_field.attname)
                now = getattr(obj, model_field.attname)
                if (was or None) == (now or None):
                    continue
                code = (
                    model_field.language
                    if isinstance(model_field, TranslationField)
                    else ""
                )
                old_marked, new_marked = marked_words(
                    str(shown(model_field, was)), str(shown(model_field, now))
                )
                label = (
                    model_field.translated_field.verbose_name
                    if code
                    else model_field.verbose_name
                )
                (languages.get(code) or every).changes.append(
                    {
                        "object": object_label(obj, code),
                        "label": label,
                        "old_marked": old_marked,
                        "new_marked": new_marked,
                    }
                )
    return [every, *languages.values()]


# Links to the fields a publication still needs ------------------------------


def field_url(obj, field_name):
    """The address of a field on its object's admin page, or "" without one."""
    opts = obj._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""
    return f"{url}#id_{field_name}"


def gap_links(gaps):
    """Each gap with the address of its field on its object's admin page."""
    return [{"gap": gap, "url": field_url(gap.obj, gap.field_name)} for gap in gaps]


def translation_review(snapshot):
    """
    The texts of the public languages a publication may not show yet
    (missing, stale), and those whose figures, links or emphasis differ
    from their source, with the differing tokens marked in both.
    """
    shown = [code for code in public_languages() if code in target_languages()]
    texts = translation_status.texts(snapshot, shown)
    names = dict(settings.LANGUAGES)
    untranslated = [
        {
            "text": text,
            "language": names[text.language],
            "url": field_url(text.obj, text.column),
        }
        for text in texts
        if text.state != TRANSLATED
    ]
    differing = [
        {
            "text": text,
            "language": names[text.language],
            "url": field_url(text.obj, text.column),
            "what": ", ".join(str(difference) for difference in text.parity),
            "source": marked(text.source, source_language(), text.parity, "source"),
            "translation": marked(
                text.translation, text.language, text.parity, "translation"
            ),
        }
        for text in texts
        if text.parity
    ]
    return untranslated, differing


# The pages ------------------------------------------------------------------


def may_publish(user):
    return user.has_perm(PUBLISH)


def snapshot_or_404(admin, request, object_id):
    if not admin.has_view_or_change_permission(request):
        raise PermissionDenied
    snapshot = admin.get_object(request, object_id)
    if snapshot is None:
        raise Http404
    return snapshot


def page(admin, request, snapshot, template, title, status=200, **context):
    return TemplateResponse(
        request,
        f"admin/reviews/snapshot/{template}",
        {
            **admin.admin_site.each_context(request),
            "opts": admin.opts,
            "original": snapshot,
            "object_id": snapshot.pk,
            "title": title,
            "may_publish": may_publish(request.user),
            **context,
        },
        status=status,
    )


def preview_view(admin):
    """The working copy exactly as the public page will show it, with a banner."""

    def view(request, object_id, language):
        snapshot = snapshot_or_404(admin, request, object_id)
        if language not in dict(settings.LANGUAGES):
            raise Http404
        working_copy = (
            type(snapshot).objects.with_content().filter(pk=snapshot.pk).get()
        )
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = render_snapshot(request, working_copy)
            response["Content-Language"] = language
        return response

    return view


def parse_go_live(text):
    """A go-live time typed in the site's time zone, or None for now."""
    if not text.strip():
        return None
    moment = parse_datetime(text.strip())
    if moment is None:
        raise ValueError(text)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def what_the_public_will_see(snapshot):
    """The sentences the confirmation states besides the compare."""
    notes = []
    home = Publication.objects.home()
    if home is None or home.snapshot_id == snapshot.pk:
        notes.append(_("This snapshot is the home page of the site in every language."))
    elif home.snapshot.number < snapshot.number:
        notes.append(
            _("This snapshot becomes the home page, in place of #%(number)s.")
            % {"number": home.snapshot.number}
        )
    else:
        notes.append(
            _("The home page keeps showing #%(number)s, a later issue.")
            % {"number": home.snapshot.number}
        )
    if not snapshot.licence_name:
        notes.append(
            _(
                "The open data has no licence: the page and every download tell "
                "readers to ask the publisher before reusing it."
            )
        )
    meeting = getattr(snapshot, "meeting", None)
    if meeting is not None and not meeting.organisations.exists():
        notes.append(
            _(
                "The meeting lists no organisers: what the page tells search "
                "engines names none, as organiser or as the data's creator."
            )
        )
    if scheduled := list(Publication.objects.filter(snapshot=snapshot).scheduled()):
        notes.append(
            _("Already scheduled: %(versions)s.")
            % {
                "versions": ", ".join(
                    _("version %(number)s at %(time)s")
                    % {
                        "number": publication.number,
                        "time": timezone.localtime(publication.goes_live_at).strftime(
                            "%Y-%m-%d %H:%M"
                        ),
                    }
                    for publication in scheduled
                )
            }
        )
    return notes


def digest(serialised):
    """What the publisher compared, in short: the working copy's digest."""
    text = json.dumps(serialised, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def publish_view(admin):
    """
    GET: the compare with the current publication, what is missing, what the
    public will see; POST (publishers only): publish now or at a time.
    """

    def view(request, object_id):
        snapshot = snapshot_or_404(admin, request, object_id)
        if request.method == "POST" and not may_publish(request.user):
            raise PermissionDenied
        current = Publication.objects.current_of(snapshot.slug) or (
            Publication.objects.live().filter(snapshot=snapshot).newest_first().first()
        )
        error, status = "", 200
        go_live_text = request.POST.get("goes_live_at", "")
        parity_note = request.POST.get("parity_note", "")
        working_copy = serialise(snapshot)
        compared = digest(working_copy)
        if request.method == "POST" and request.POST.get("compared") != compared:
            # Someone saved a change after this page was opened (or the form
            # names no compare): publishing it would publish what no one saw.
            error = _(
                "The working copy changed since you opened this page: compare "
                "again below, then publish."
            )
            status = 409
        elif request.method == "POST":
            try:
                goes_live_at = parse_go_live(go_live_text)
                publication = workflow.publish(
                    snapshot, request.user, goes_live_at, parity_note
                )
            except ValueError:
                error, status = (
                    _("Give the go-live time as YYYY-MM-DD HH:MM, or leave it empty."),
                    400,
                )
            except workflow.Incomplete:
                error = _("Publishing was refused: fill in what is missing.")
                status = 409
            except workflow.DifferencesNotAccepted as refusal:
                error, status = str(refusal), 409
            except workflow.Refused as refusal:
                error, status = str(refusal), 409
            else:
                if publication.is_scheduled:
                    message = _(
                        "Version %(number)s is scheduled: it goes live at %(time)s."
                    ) % {
                        "number": publication.number,
                        "time": timezone.localtime(publication.goes_live_at).strftime(
                            "%Y-%m-%d %H:%M"
                        ),
                    }
                else:
                    message = _("Published: version %(number)s is on the site.") % {
                        "number": publication.number
                    }
                messages.success(request, message)
                return redirect("admin:reviews_snapshot_publications", snapshot.pk)
        gaps = completeness.gaps(snapshot)
        untranslated, differing = translation_review(snapshot)
        comparison = compare(current.content if current else None, working_copy)
        return page(
            admin,
            request,
            snapshot,
            "publish.html",
            _("Publish %(snapshot)s") % {"snapshot": snapshot},
            status=status,
            current=current,
            comparison=comparison,
            has_changes=any(group.changes for group in comparison),
            gaps=gap_links(gaps),
            untranslated=untranslated,
            differing=differing,
            parity_note=parity_note,
            notes=what_the_public_will_see(snapshot),
            error=error,
            go_live_text=go_live_text,
            compared=compared,
            now=timezone.localtime(),
            languages=settings.LANGUAGES,
        )

    return view


def publications_view(admin):
    """The snapshot's publications, newest first, with what a publisher may do."""

    def view(request, object_id):
        snapshot = snapshot_or_404(admin, request, object_id)
        # Ordered here: the admin's snapshot comes with its publications
        # prefetched unordered, and a queryset made from that prefetch keeps
        # its (lack of) order.
        publications = list(
            snapshot.publications.defer("content")
            .select_related("republished_from")
            .order_by("-number")
        )
        current = Publication.objects.live().filter(snapshot=snapshot).newest_first()
        current = current.first()
        withdrawal = getattr(snapshot, "withdrawal", None)
        on_site = current is not None and Publication.objects.current_of(current.slug)
        return page(
            admin,
            request,
            snapshot,
            "publications.html",
            _("Publications"),
            publications=publications,
            current=current if on_site else None,
            withdrawal=withdrawal,
            now=timezone.now(),
            may_copy=may_copy(request.user),
            languages=settings.LANGUAGES,
        )

    return view


def may_copy(user):
    """Copying into the working copy writes, adds and deletes every kind of content."""
    return all(
        user.has_perm(
            f"{kind.model._meta.app_label}.{action}_{kind.model._meta.model_name}"
        )
        for kind in CONTENT
        for action in ("add", "change", "delete")
    )


ACTIONS = {
    "republish": {
        "title": _("Republish version %(number)s"),
        "publisher_only": True,
    },
    "copy": {
        "title": _("Copy version %(number)s into the working copy"),
        "publisher_only": False,
    },
    "cancel": {
        "title": _("Cancel the scheduled version %(number)s"),
        "publisher_only": True,
    },
}


def publication_action_view(admin, action):
    """A confirmation page for one publication's action, then its POST."""

    def view(request, object_id, number):
        snapshot = snapshot_or_404(admin, request, object_id)
        publication = get_object_or_404(snapshot.publications, number=number)
        allowed = (
            may_publish(request.user)
            if ACTIONS[action]["publisher_only"]
            else may_copy(request.user)
        )
        if request.method == "POST":
            if not allowed:
                raise PermissionDenied
            try:
                message = perform(action, publication, request.user)
            except workflow.Refused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, message)
            return redirect("admin:reviews_snapshot_publications", snapshot.pk)
        if action == "copy":
            comparison = compare(serialise(snapshot), publication.content)
        else:
            current = Publication.objects.current_of(publication.slug)
            shown = current.content if current else None
            comparison = compare(shown, publication.content)
        return page(
            admin,
            request,
            snapshot,
            "publication_action.html",
            ACTIONS[action]["title"] % {"number": publication.number},
            publication=publication,
            action=action,
            allowed=allowed,
            comparison=comparison,
            has_changes=any(group.changes for group in comparison),
        )

    return view


def perform(action, publication, user):
    if action == "republish":
        made = workflow.republish(publication, user)
        return _("Version %(old)s is on the site again, as version %(new)s.") % {
            "old": publication.number,
            "new": made.number,
        }
    if action == "cancel":
        workflow.cancel(publication)
        return _("The scheduled version %(number)s was cancelled.") % {
            "number": publication.number
        }
    written, deleted = workflow.copy_into_working_copy(publication, user)
    return _(
        "The working copy holds version %(number)s again (%(written)s rows "
        "written, %(deleted)s deleted). Nothing public changed: publish it when ready."
    ) % {"number": publication.number, "written": written, "deleted": deleted}


def unpublish_view(admin):
    def view(request, object_id):
        snapshot = snapshot_or_404(admin, request, object_id)
        allowed = may_publish(request.user)
        if request.method == "POST":
            if not allowed:
                raise PermissionDenied
            workflow.unpublish(snapshot, request.user)
            messages.success(
                request,
                _(
                    "The snapshot is off the site: its addresses answer 410 Gone. "
                    "Its publications are kept; republish one to bring it back."
                ),
            )
            return redirect("admin:reviews_snapshot_publications", snapshot.pk)
        return page(
            admin,
            request,
            snapshot,
            "unpublish.html",
            _("Unpublish %(snapshot)s") % {"snapshot": snapshot},
            allowed=allowed,
            scheduled=list(Publication.objects.filter(snapshot=snapshot).scheduled()),
        )

    return view


def public_state(snapshot, now=None):
    """How the snapshot stands on the site, in a few words for lists."""
    now = now or timezone.now()
    publications = list(snapshot.publications.all())
    live = [p for p in publications if p.goes_live_at <= now]
    withdrawal = getattr(snapshot, "withdrawal", None)
    if withdrawal and not [p for p in live if p.goes_live_at > withdrawal.withdrawn_at]:
        return _("Unpublished")
    if not live:
        scheduled = [p for p in publications if p.goes_live_at > now]
        return _("Scheduled") if scheduled else _("Draft, never published")
    newest = max(live, key=lambda p: (p.goes_live_at, p.number))
    return _("Published, version %(number)s") % {"number": newest.number}
