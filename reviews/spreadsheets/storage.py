"""Where an upload waits between its preview and its confirmation."""

import contextlib

from django.utils.translation import gettext_lazy as _
from import_export.tmp_storages import CacheStorage
from redis.exceptions import RedisError


class StorageUnavailable(OSError):
    """The shared storage cannot be reached right now (Redis down or hung)."""

    #: What the editor is told, with a 503.
    message = _(
        "The file cannot be stored or read for its confirmation right now, so "
        "nothing was imported. Try again in a few minutes."
    )


@contextlib.contextmanager
def reachable():
    try:
        yield
    except RedisError as error:
        raise StorageUnavailable(str(error)) from error


class UploadCacheStorage(CacheStorage):
    """
    import-export's storage for the upload between preview and confirmation,
    in the cache all app servers share. An upload never confirmed expires
    after an hour rather than a day. Redis unreachable is StorageUnavailable,
    which the import pages answer with a 503 and a message.
    """

    CACHE_LIFETIME = 60 * 60

    def save(self, data):
        with reachable():
            super().save(data)

    def read(self):
        with reachable():
            return super().read()

    def remove(self):
        with reachable():
            super().remove()
