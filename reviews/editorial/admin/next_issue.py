"""
"Start the next snapshot" in the admin, as Wagtail's "copy page": a page
asking which publication to start from and the new snapshot's slug, saying
what will be copied, then one POST that starts the issue
(``reviews.publishing.next_issue``) and opens it for editing.

It adds a row of every kind of content a snapshot owns, so it needs the add
permission on each of them (Editors and Publishers hold it; Translators do
not). Nothing it makes is public until a publisher publishes it.
"""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from reviews.content import CONTENT, snapshot_model
from reviews.editorial.admin.base import KeyChoiceField
from reviews.editorial.admin.publishing import page, snapshot_or_404
from reviews.publishing.models import Publication
from reviews.publishing.next_issue import next_free_number, start_next_issue

SLUG_LENGTH = snapshot_model()._meta.get_field("slug").max_length


def owned_kinds():
    """The kinds of content each snapshot has rows of its own of: all but shared."""
    return [kind for kind in CONTENT if not kind.shared]


def may_start_next_issue(user):
    """Starting an issue adds a row of every kind a snapshot owns."""
    return all(
        user.has_perm(f"{kind.model._meta.app_label}.add_{kind.model._meta.model_name}")
        for kind in owned_kinds()
    )


def slug_taken(slug):
    """
    Whether a snapshot has ``slug``, or had it when published: an old
    address still leads readers to the snapshot published there.
    """
    return (
        snapshot_model().objects.filter(slug=slug).exists()
        or Publication.objects.filter(slug=slug).exists()
    )


def suggested_slug(snapshot, number):
    """
    A free slug for issue ``number`` after ``snapshot``: its slug with the
    new number in place of its own at the end (or added), then -2, -3… if
    that one is taken.
    """
    stem = re.sub(rf"-{snapshot.number}$", "", snapshot.slug)
    candidate, again = f"-{number}", 1
    while True:
        slug = stem[: SLUG_LENGTH - len(candidate)] + candidate
        if not slug_taken(slug):
            return slug
        again += 1
        candidate = f"-{number}-{again}"


class PublicationChoiceField(KeyChoiceField):
    def label_from_instance(self, publication):
        moment = timezone.localtime(publication.goes_live_at).strftime("%Y-%m-%d")
        if publication.is_scheduled:
            label = gettext("Version %(number)s, scheduled for %(date)s")
        else:
            label = gettext("Version %(number)s, published %(date)s")
        return label % {"number": publication.number, "date": moment}


class NextIssueForm(forms.Form):
    publication = PublicationChoiceField(
        label=_("Start from"),
        queryset=Publication.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=_("The new snapshot holds this version's content."),
    )
    slug = forms.SlugField(
        label=_("Slug of the new snapshot"),
        max_length=SLUG_LENGTH,
        help_text=_(
            "Part of its permanent web address: lowercase letters, digits and "
            "hyphens, used by no other snapshot."
        ),
    )

    def __init__(self, *args, snapshot, **kwargs):
        super().__init__(*args, **kwargs)
        publications = snapshot.publications.defer("content").order_by("-number")
        field = self.fields["publication"]
        field.queryset = publications
        if len(publications) == 1:
            # Nothing to choose: the page names the one version instead.
            field.widget = forms.HiddenInput()

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug_taken(slug):
            raise slug_taken_error(slug)
        return slug


def slug_taken_error(slug):
    return ValidationError(
        _("The slug “%(slug)s” is used by another snapshot: choose another."),
        code="slug_taken",
        params={"slug": slug},
    )


def start(form, user):
    """The issue the valid ``form`` asks for, or None with the form's errors."""
    slug = form.cleaned_data["slug"]
    try:
        return start_next_issue(form.cleaned_data["publication"], user, slug)
    except IntegrityError:
        # Another editor took the slug, or the number, since the form was
        # checked; nothing was written (start_next_issue is one transaction).
        if slug_taken(slug):
            form.add_error("slug", slug_taken_error(slug))
        else:
            form.add_error(
                None,
                _(
                    "Another snapshot was started at the same moment: "
                    "submit the form again."
                ),
            )
        return None


def next_issue_view(admin):
    """GET: the form and what will happen; POST: start the issue, open it."""

    @require_http_methods(["GET", "POST"])
    def view(request, object_id):
        snapshot = snapshot_or_404(admin, request, object_id)
        if not may_start_next_issue(request.user):
            raise PermissionDenied
        latest = snapshot.publications.defer("content").order_by("-number").first()
        title = gettext("Start the next snapshot")
        if latest is None:
            status = 409 if request.method == "POST" else 200
            return page(admin, request, snapshot, "next_issue.html", title, status)
        number = next_free_number()
        form = NextIssueForm(
            request.POST if request.method == "POST" else None,
            snapshot=snapshot,
            initial={
                "publication": latest.pk,
                "slug": suggested_slug(snapshot, number),
            },
        )
        status = 200
        if request.method == "POST":
            started = start(form, request.user) if form.is_valid() else None
            if started is not None:
                messages.success(
                    request,
                    gettext(
                        "“%(snapshot)s” was started from %(publication)s. "
                        "Nothing of it is public until it is published."
                    )
                    % {
                        "snapshot": started,
                        "publication": form.cleaned_data["publication"],
                    },
                )
                return redirect("admin:reviews_snapshot_change", started.pk)
            status = 400
        return page(
            admin,
            request,
            snapshot,
            "next_issue.html",
            title,
            status,
            form=form,
            latest=latest,
            number=number,
            copied=[
                kind.model._meta.verbose_name_plural
                for kind in owned_kinds()
                if kind.model is not snapshot_model()
            ],
        )

    return view
