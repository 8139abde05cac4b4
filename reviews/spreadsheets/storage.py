"""Where an upload waits between its preview and its confirmation."""

from import_export.tmp_storages import CacheStorage


class UploadCacheStorage(CacheStorage):
    """
    import-export's storage for the upload between preview and confirmation,
    in the cache all app servers share. An upload never confirmed expires
    after an hour rather than a day.
    """

    CACHE_LIFETIME = 60 * 60
