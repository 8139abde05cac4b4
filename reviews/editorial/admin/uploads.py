"""
Uploads kept between their preview and their confirmation.

Both the changelists' imports and the snapshot workbook's show a preview
first, then import the same file when the editor confirms. The file waits in
import-export's configured temporary storage (``IMPORT_EXPORT_TMP_STORAGE_CLASS``,
so a deployment can point it at storage every app server shares); the
confirm form carries only a random key into the editor's own session, which
holds the storage's name. No name or path from a form is ever opened or
removed, another editor's preview cannot be confirmed, a key works once,
and previews never confirmed are removed after
``SPREADSHEET_PREVIEW_SECONDS``.
"""

import contextlib
import dataclasses
import json
import secrets
import time

from django.conf import settings

from reviews.spreadsheets.storage import StorageUnavailable

#: Previews one editor may have waiting at once; the oldest go first.
KEPT_PER_SESSION = 10


@dataclasses.dataclass
class Upload:
    data: bytes
    file_name: str
    #: The rows the preview showed as new or changed (``changes_as_json``).
    preview: dict
    #: What else the page kept with it (a format's index, a resource's).
    extra: dict


class StoredUpload:
    session_key = "reviews_stored_uploads"

    def __init__(self, request, storage_class, purpose):
        self.session = request.session
        self.storage_class = storage_class
        self.purpose = purpose

    def storage(self, name=None):
        return self.storage_class(name=name, read_mode="rb")

    def keep(self, data, *, file_name, preview, **extra):
        """
        Store ``data`` and what the preview showed; returns the key to
        confirm. Raises StorageUnavailable when the storage cannot be reached.
        """
        self.prune()
        names = []
        for content in (data, json.dumps(preview).encode()):
            storage = self.storage()
            storage.save(content)
            names.append(storage.name)
        key = secrets.token_urlsafe(24)
        uploads = self.session.get(self.session_key, {})
        uploads[key] = {
            "names": names,
            "purpose": self.purpose,
            "file_name": file_name,
            "kept_at": time.time(),
            "extra": extra,
        }
        self.session[self.session_key] = uploads
        return key

    def take(self, key):
        """
        The Upload for ``key``, once; None when unknown, foreign or expired.
        Raises StorageUnavailable, keeping the key, when the storage cannot
        be reached: the editor may confirm again once it is back.
        """
        uploads = self.session.get(self.session_key, {})
        entry = uploads.pop(key, None)
        self.session[self.session_key] = uploads
        if entry is None:
            return None
        if entry["purpose"] != self.purpose or self.expired(entry):
            self.remove(entry)
            return None
        try:
            data, preview = (self.storage(name).read() for name in entry["names"])
        except StorageUnavailable:
            self.session[self.session_key] = {**uploads, key: entry}
            raise
        except OSError:
            data = None
        self.remove(entry)
        if not data:
            return None
        try:
            return Upload(data, entry["file_name"], json.loads(preview), entry["extra"])
        except (ValueError, TypeError):
            return None

    def prune(self):
        """Forget this session's expired previews, and the oldest beyond a few."""
        uploads = self.session.get(self.session_key, {})
        by_age = sorted(uploads, key=lambda key: uploads[key]["kept_at"])
        stale = [key for key in by_age if self.expired(uploads[key])]
        stale += [key for key in by_age if key not in stale][
            : max(len(by_age) - len(stale) - KEPT_PER_SESSION + 1, 0)
        ]
        for key in stale:
            self.remove(uploads.pop(key))
        self.session[self.session_key] = uploads

    @staticmethod
    def expired(entry):
        return time.time() - entry["kept_at"] > settings.SPREADSHEET_PREVIEW_SECONDS

    def remove(self, entry):
        for name in entry["names"]:
            with contextlib.suppress(OSError):
                self.storage(name).remove()
