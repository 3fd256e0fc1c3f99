"""Uploads kept between a refused save and the next try, so an editor never chooses a file
twice.

A kept file is stored through the media storage under ``kept-uploads/<random>/``: a name
nobody can guess (192 random bits), never linked from any page and never served by
newsmuse itself. The form carries only a token signed with the site's key that names the
file and the user who uploaded it, valid for a day: nobody else can claim the file, and no
token can point at any other stored file. The file goes when the save succeeds, and
``manage.py clear_kept_uploads`` (run daily) removes what was abandoned.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify

FOLDER = "kept-uploads"
SALT = "newsmuse.kept-upload"
MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class KeptUpload:
    token: str  # what the form carries
    stored_name: str
    filename: str  # as the editor's file was called

    def open(self) -> File:
        """The file, as an upload named like the editor's own."""
        file = default_storage.open(self.stored_name)
        file.name = self.filename
        return file

    def delete(self) -> None:
        forget(self.stored_name)


def keep(upload: File, *, user: AbstractBaseUser) -> KeptUpload:
    """Store an accepted upload for ``user``'s next try."""
    path = PurePath(upload.name)
    filename = f"{slugify(path.stem)[:80] or 'image'}{path.suffix.lower()[:6]}"
    upload.seek(0)
    stored_name = default_storage.save(f"{FOLDER}/{secrets.token_urlsafe(24)}/{filename}", upload)
    token = signing.dumps({"name": stored_name, "user": user.pk}, salt=SALT)
    return KeptUpload(token=token, stored_name=stored_name, filename=filename)


def claim(token: str, *, user: AbstractBaseUser) -> KeptUpload | None:
    """The upload a form's token names, if it is ``user``'s, not expired and still stored."""
    try:
        kept = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(kept, dict) or kept.get("user") != user.pk:
        return None
    stored_name = kept.get("name")
    if not isinstance(stored_name, str) or not stored_name.startswith(f"{FOLDER}/"):
        return None
    if not default_storage.exists(stored_name):
        return None
    return KeptUpload(token=token, stored_name=stored_name, filename=PurePath(stored_name).name)


def abandoned(*, now=None) -> list[str]:
    """Stored names of kept uploads older than MAX_AGE, which no token can claim any more."""
    cutoff = (now or timezone.now()) - MAX_AGE
    names = []
    try:
        folders, _ = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return []
    for folder in folders:
        for filename in default_storage.listdir(f"{FOLDER}/{folder}")[1]:
            name = f"{FOLDER}/{folder}/{filename}"
            if default_storage.get_modified_time(name) < cutoff:
                names.append(name)
    return names


def forget(stored_name: str) -> None:
    """Delete a kept upload and its folder (a no-op for storages without folders)."""
    default_storage.delete(stored_name)
    default_storage.delete(str(PurePath(stored_name).parent))
