"""Media storage that leaves nothing half-written behind when a write fails."""

import errno

from django.core.files.storage import FileSystemStorage


class StorageWriteError(Exception):
    """A file could not be stored; the message tells an editor what happened."""


REASONS = {
    errno.ENOSPC: "no space is left on the server's disk",
    errno.EDQUOT: "the server's disk quota is used up",
    errno.EROFS: "the media storage is read-only",
    errno.EACCES: "the server may not write to the media storage",
}


class MediaStorage(FileSystemStorage):
    """Django's file system storage, except that a failed write (a full disk, a read-only
    folder) removes the partial file it created and raises StorageWriteError."""

    def _save(self, name, content):
        existed = self.exists(name)
        try:
            return super()._save(name, content)
        except OSError as error:
            if not existed and self.exists(name):
                self.delete(name)
            reason = REASONS.get(error.errno, error.strerror or str(error))
            raise StorageWriteError(f"The file could not be stored: {reason}.") from error
