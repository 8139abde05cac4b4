"""
The snapshot workbook in the admin: export it, and import it in two steps.

An import is previewed first (a dry run); the file is then kept on the
server until the editor confirms, by ``StoredUpload``, in import-export's
configured temporary storage (``IMPORT_EXPORT_TMP_STORAGE_CLASS``), so that
a deployment can point it at storage every app server shares.
"""

import contextlib
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from ..formats import XLSX, ImportRefused
from ..forms import WorkbookConfirmForm, WorkbookImportForm
from ..workbook import export_workbook, import_workbook, read_workbook


class StoredUpload:
    """
    Uploads kept between their preview and their confirmation.

    The confirm form carries only a random key into the editor's own session,
    which holds the storage's name: no name or path from a form is ever
    opened, another editor's preview cannot be confirmed, and a key works
    once (it is forgotten, and the file removed, when it is taken).
    """

    session_key = "reviews_stored_uploads"

    def __init__(self, request, storage_class, purpose):
        self.session = request.session
        self.storage_class = storage_class
        self.purpose = purpose

    def keep(self, data):
        """Store ``data``; returns the key the confirm form carries."""
        storage = self.storage_class(read_mode="rb")
        storage.save(data)
        key = secrets.token_urlsafe(24)
        uploads = self.session.get(self.session_key, {})
        uploads[key] = {"name": storage.name, "purpose": self.purpose}
        self.session[self.session_key] = uploads
        return key

    def take(self, key):
        """The stored bytes for ``key``, once; None when unknown or expired."""
        uploads = self.session.get(self.session_key, {})
        entry = uploads.pop(key, None)
        self.session[self.session_key] = uploads
        if entry is None or entry["purpose"] != self.purpose:
            return None
        storage = self.storage_class(name=entry["name"], read_mode="rb")
        try:
            return storage.read() or None
        except OSError:
            return None
        finally:
            with contextlib.suppress(OSError):
                storage.remove()


def snapshot_or_404(admin, request, object_id, permitted):
    if not permitted:
        raise PermissionDenied
    snapshot = admin.get_object(request, object_id)
    if snapshot is None:
        raise Http404
    return snapshot


def export_workbook_view(admin):
    def view(request, object_id):
        snapshot = snapshot_or_404(
            admin, request, object_id, admin.has_export_permission(request)
        )
        response = HttpResponse(
            export_workbook(snapshot), content_type=XLSX.CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{snapshot.slug}.xlsx"'
        return response

    return view


class WorkbookImportView(View):
    """Upload, preview (a dry run), then confirm; all or nothing."""

    admin = None
    template_name = "admin/reviews/snapshot/workbook_import.html"

    def dispatch(self, request, object_id):
        self.snapshot = snapshot_or_404(
            self.admin,
            request,
            object_id,
            self.admin.has_import_permission(request)
            and self.admin.has_change_permission(request),
        )
        self.uploads = StoredUpload(
            request,
            self.admin.get_tmp_storage_class(),
            purpose=f"workbook:{self.snapshot.pk}",
        )
        return super().dispatch(request, object_id)

    def render(self, status=200, **context):
        context = {
            **self.admin.admin_site.each_context(self.request),
            "opts": self.admin.opts,
            "original": self.snapshot,
            "title": _("Import workbook"),
            "form": WorkbookImportForm(),
            **context,
        }
        return TemplateResponse(
            self.request, self.template_name, context, status=status
        )

    def get(self, request, object_id):
        return self.render()

    def post(self, request, object_id):
        if "confirm" in request.POST:
            return self.confirm()
        form = WorkbookImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(400, form=form)
        outcome = self.run(form.sheets, dry_run=True, form=form)
        if outcome is None or not outcome.ok:
            return self.render(400, form=form, outcome=outcome)
        confirm_form = WorkbookConfirmForm(
            initial={"upload": self.uploads.keep(form.content)}
        )
        return self.render(form=form, outcome=outcome, confirm_form=confirm_form)

    def run(self, sheets, *, dry_run, form):
        try:
            return import_workbook(sheets, dry_run=dry_run, snapshot=self.snapshot)
        except ImportRefused as refusal:
            form.add_error("workbook", refusal.messages)
            return None

    def confirm(self):
        confirm_form = WorkbookConfirmForm(self.request.POST)
        content = confirm_form.is_valid() and self.uploads.take(
            confirm_form.cleaned_data["upload"]
        )
        if not content:
            return self.render(
                400, refusal=[gettext("The preview has expired; upload again.")]
            )
        form = WorkbookImportForm()
        try:
            outcome = import_workbook(
                read_workbook(content), dry_run=False, snapshot=self.snapshot
            )
        except ImportRefused as refusal:
            return self.render(400, refusal=refusal.messages)
        if not outcome.ok:
            return self.render(400, form=form, outcome=outcome)
        messages.success(self.request, gettext("The workbook has been imported."))
        return HttpResponseRedirect(
            reverse("admin:reviews_snapshot_change", args=[self.snapshot.pk])
        )
