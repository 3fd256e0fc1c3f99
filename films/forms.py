from django import forms
from django.core.exceptions import ValidationError

from newsmuse.forms import AddByNameDetailsForm, https_links

from .models import Film, WatchOption
from .providers import provider_for


class WatchOptionForm(forms.ModelForm):
    class Meta:
        model = WatchOption
        formfield_callback = https_links
        fields = [
            "film",
            "provider",
            "kind",
            "url",
            "region",
            "available_from",
            "available_until",
            "order",
        ]

    def clean_region(self):
        """Upper-case before the uniqueness checks, so “us” and “US” are the same region."""
        return self.cleaned_data["region"].upper()


class FilmDetailsForm(AddByNameDetailsForm):
    """What is asked beside the films field when a film is added by name there: the link
    becomes the film's first watch option, its provider named after the site. It is only
    asked of those who may add watch options."""

    watch_url = forms.URLField(
        label="Where to watch (link)", required=False, assume_scheme="https", max_length=500
    )

    class Meta:
        model = Film
        fields = ["year", "synopsis"]
        widgets = {"synopsis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.user.has_perm("films.add_watchoption"):
            del self.fields["watch_url"]

    def clean_watch_url(self):
        """Checked as the watch option it becomes, before anything is stored."""
        url = self.cleaned_data["watch_url"]
        if url:
            try:
                self.watch_option(film=None, url=url).full_clean(exclude=["film"])
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return url

    @staticmethod
    def watch_option(*, film, url) -> WatchOption:
        return WatchOption(film=film, provider=provider_for(url)[:100], url=url)
