"""
The snapshot workbook in the admin: export it, import it in two steps, and
undo the last import (its page offers the button).

An import is previewed first (a dry run showing each new and changed row),
then kept by ``StoredUpload`` until the editor confirms. A confirmed import
is one revision of the whole snapshot (django-reversion), saved right after
a revision of the snapshot as it was before, so that the import can be
undone in one step.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from reviews import content
from reviews.editorial.admin.uploads import StoredUpload
from reviews.spreadsheets.formats import XLSX, ImportRefused
from reviews.spreadsheets.forms import ImportConfirmForm, UndoForm, WorkbookImportForm
from reviews.spreadsheets.imports import (
    UndoFailed,
    confirmed_import,
    undo,
    undoable_revision,
)
from reviews.spreadsheets.storage import StorageUnavailable
from reviews.spreadsheets.workbook import (
    export_workbook,
    import_workbook,
    read_workbook,
)
from reviews.translations.rights import languages_translated_by


def snapshot_or_404(admin, request, object_id, permitted):
    if not permitted:
        raise PermissionDenied
    snapshot = admin.get_object(request, object_id)
    if snapshot is None:
        raise Http404
    return snapshot


def may_export(admin, request):
    """Editors export; translators too, to fill in the texts of their languages."""
    return admin.has_export_permission(request) or bool(
        languages_translated_by(request.user)
    )


def may_import(admin, request, language=None):
    """
    Editors import; translators too (of ``language``, when given), whose
    files may then change the texts of their languages only
    (``reviews.spreadsheets.imports.permission_problem``).
    """
    if admin.has_import_permission(request) and admin.has_change_permission(request):
        return True
    translated = languages_translated_by(request.user)
    return language in translated if language else bool(translated)


def export_workbook_view(admin):
    def view(request, object_id):
        snapshot = snapshot_or_404(
            admin, request, object_id, may_export(admin, request)
        )
        response = HttpResponse(
            export_workbook(snapshot), content_type=XLSX.CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{snapshot.slug}.xlsx"'
        return response

    return view


def may_undo(user):
    """Undoing rewrites and deletes any kind of the snapshot's content."""
    return all(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for opts in (kind.model._meta for kind in content.CONTENT)
        for action in ("add", "change", "delete")
    )


class WorkbookImportView(View):
    """
    Upload, preview (a dry run), then confirm; all or nothing. Other files
    of a snapshot (XLIFF) share these steps through ``form_class``,
    ``purpose``, ``read`` and ``run``.
    """

    admin = None
    template_name = "admin/reviews/snapshot/workbook_import.html"
    form_class = WorkbookImportForm
    title = _("Import workbook")
    #: Names the confirmed import's revision "Workbook import of …".
    workbook = True

    def dispatch(self, request, object_id, **kwargs):
        self.snapshot = snapshot_or_404(
            self.admin, request, object_id, self.permitted(request, **kwargs)
        )
        self.uploads = StoredUpload(
            request, self.admin.get_tmp_storage_class(), purpose=self.purpose()
        )
        return super().dispatch(request, object_id, **kwargs)

    def permitted(self, request):
        return may_import(self.admin, request)

    def purpose(self):
        return f"workbook:{self.snapshot.pk}"

    def read(self, data):
        """The uploaded file's content, as ``run`` takes it."""
        return read_workbook(data)

    def run(self, parsed, *, dry_run):
        return import_workbook(
            parsed, dry_run=dry_run, snapshot=self.snapshot, user=self.request.user
        )

    def render(self, status=200, **context):
        user = self.request.user
        revision = undoable_revision(self.snapshot) if may_undo(user) else None
        context = {
            **self.admin.admin_site.each_context(self.request),
            "opts": self.admin.opts,
            "original": self.snapshot,
            "title": self.title,
            "form": self.form_class(),
            "undoable": revision,
            "undo_form": revision and UndoForm(initial={"revision": revision.pk}),
            **context,
        }
        return TemplateResponse(
            self.request, self.template_name, context, status=status
        )

    def get(self, request, object_id, **kwargs):
        return self.render()

    def post(self, request, object_id, **kwargs):
        if "undo" in request.POST:
            return self.undo()
        if "confirm" in request.POST:
            return self.confirm()
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(400, form=form)
        try:
            outcome = self.run(form.parsed, dry_run=True)
        except ImportRefused as refusal:
            form.add_error(form.file_field, refusal.messages)
            return self.render(400, form=form)
        if not outcome.ok:
            return self.render(400, form=form, outcome=outcome)
        try:
            key = self.uploads.keep(
                form.content,
                file_name=form.cleaned_data[form.file_field].name,
                preview=outcome.changes_as_json(),
            )
        except StorageUnavailable:
            return self.render(
                503, form=form, outcome=outcome, refusal=[StorageUnavailable.message]
            )
        confirm_form = ImportConfirmForm(initial={"upload": key})
        return self.render(form=form, outcome=outcome, confirm_form=confirm_form)

    def confirm(self):
        confirm_form = ImportConfirmForm(self.request.POST)
        try:
            upload = confirm_form.is_valid() and self.uploads.take(
                confirm_form.cleaned_data["upload"]
            )
        except StorageUnavailable:
            return self.render(503, refusal=[StorageUnavailable.message])
        if not upload:
            return self.render(
                400, refusal=[gettext("The preview has expired; upload again.")]
            )
        user = self.request.user
        try:
            parsed = self.read(upload.data)
            outcome = confirmed_import(
                lambda: self.run(parsed, dry_run=False),
                user=user,
                file_name=upload.file_name,
                preview=upload.preview,
                workbook=self.workbook,
                before=[self.snapshot],
            )
        except ImportRefused as refusal:
            return self.render(400, refusal=refusal.messages)
        if not outcome.ok:
            return self.render(400, outcome=outcome)
        messages.success(self.request, self.imported_message(outcome))
        return HttpResponseRedirect(self.request.path)

    def imported_message(self, outcome):
        return gettext(
            "The workbook has been imported: %(updated)s updated, %(new)s new. "
            "You can undo it from this page."
        ) % {"updated": outcome.updated, "new": outcome.new}

    def undo(self):
        """Undo the snapshot's last change (an import), if still possible."""
        if not may_undo(self.request.user):
            raise PermissionDenied
        form = UndoForm(self.request.POST)
        revision = undoable_revision(self.snapshot)
        if not form.is_valid() or revision is None:
            return self.render(
                400,
                refusal=[
                    gettext(
                        "This import can no longer be undone: the snapshot has "
                        "changed since. Nothing was changed."
                    )
                ],
            )
        if form.cleaned_data["revision"] != revision.pk:
            return self.render(
                400,
                refusal=[
                    gettext(
                        "The snapshot has changed since this page was shown; "
                        "check the last change below before undoing it."
                    )
                ],
            )
        try:
            undo(self.snapshot, revision, self.request.user)
        except UndoFailed as failure:
            return self.render(
                400,
                refusal=[
                    gettext(
                        "This change could not be undone, because these rows "
                        "clash with others: %(rows)s. Nothing was changed."
                    )
                    % {"rows": failure}
                ],
            )
        messages.success(
            self.request,
            gettext("Undone: %(change)s.") % {"change": revision.get_comment()},
        )
        return HttpResponseRedirect(self.request.path)
