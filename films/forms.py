from django import forms

from newsmuse.forms import https_links

from .models import Film, WatchOption


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


class FilmDetailsForm(forms.ModelForm):
    """What is asked beside the films field when a film is added by name there: the link
    becomes the film's first watch option, its provider named after the site."""

    watch_url = forms.URLField(
        label="Where to watch (link)", required=False, assume_scheme="https", max_length=500
    )

    class Meta:
        model = Film
        fields = ["year", "synopsis"]
        widgets = {"synopsis": forms.Textarea(attrs={"rows": 3})}
