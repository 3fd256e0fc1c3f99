from django import forms

from newsmuse.forms import https_links

from .models import WatchOption


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
