from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from . import images, uploads
from .models import Image
from .storage import StorageWriteError
from .tags import tag_problems


def https_links(db_field, **kwargs):
    """A ModelForm ``formfield_callback``: links typed without a scheme become https://
    (Django 6's default)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class AddByNameDetailsForm(forms.ModelForm):
    """The details of a record asked while it is added by name (newsmuse.admin.AddByNameMixin),
    for the ``user`` adding it: a subclass leaves out what they may not add."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


class ImageUploadField(forms.FileField):
    """An image upload, accepted only if it decodes as one of images.ACCEPTED_FORMATS.

    The file is renamed to carry the extension of what it really is.
    """

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            info = images.inspect_upload(
                upload,
                max_bytes=settings.IMAGE_MAX_UPLOAD_BYTES,
                max_pixels=settings.IMAGE_MAX_PIXELS,
            )
        except images.ImageRejected as error:
            raise ValidationError(str(error), code=error.code) from error
        upload.name = f"{PurePath(upload.name).stem}.{info.extension}"
        return upload


class ImageForm(forms.ModelForm):
    """The one way images enter the library: the admin and the commands both use it.

    When an ``uploader`` is set (the admin sets the user saving), a refused save keeps an
    accepted file for their next try (see newsmuse.uploads): the form carries a signed
    token for it in ``kept_file`` and says so at the file field.
    """

    uploader = None

    file = ImageUploadField(
        label="Image file",
        help_text=f"A {images.ACCEPTED_NAMES} file, checked when you save.",
    )
    kept_file = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Image
        fields = [
            "title",
            "file",
            "alt_text",
            "is_decorative",
            "caption",
            "credit",
            "focal_x",
            "focal_y",
            "tags",
        ]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_upload = None
        if self.is_bound and self.uploader is not None:
            self._bring_back_kept_upload()

    def _bring_back_kept_upload(self) -> None:
        """Use the file kept from the last try, unless a new one was chosen."""
        key = self.add_prefix("file")
        if self.files.get(key):
            return
        token = self.data.get(self.add_prefix("kept_file")) or ""
        self.kept_upload = uploads.claim(token, user=self.uploader)
        if self.kept_upload is not None:
            self.files = self.files.copy()
            self.files[key] = self.kept_upload.open()
            self._say_file_is_kept()

    def full_clean(self):
        super().full_clean()
        if self._errors and self.uploader is not None and self.kept_upload is None:
            self._keep_upload()

    def _keep_upload(self) -> None:
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return  # none chosen, refused, or the image's current file
        try:
            self.kept_upload = uploads.keep(upload, user=self.uploader)
        except StorageWriteError:
            return  # the file field already says to choose the file again
        self.data = self.data.copy()
        self.data[self.add_prefix("kept_file")] = self.kept_upload.token
        self._say_file_is_kept()

    def _say_file_is_kept(self) -> None:
        """At the file field, in place of its help (the bound field keeps its own copy)."""
        note = (
            f"“{self.kept_upload.filename}” from your last try is kept: save again to use it, "
            "or choose another file."
        )
        self.fields["file"].help_text = self["file"].help_text = note

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if problems := tag_problems(tags, holder="An image"):
            raise ValidationError(problems, code="tags")
        return tags

    # Set by the admin when the file could not be stored on the first try (a full disk).
    storage_problem = ""

    def clean(self):
        cleaned_data = super().clean()
        if self.storage_problem:
            self.add_error("file", ValidationError(self.storage_problem, code="storage"))
        if not cleaned_data.get("is_decorative") and not cleaned_data.get("alt_text", "").strip():
            self.add_error(
                "alt_text",
                ValidationError(
                    "Write alt text describing the image, or tick “Decorative” if it adds "
                    "nothing to the text.",
                    code="alt_text_required",
                ),
            )
        return cleaned_data
