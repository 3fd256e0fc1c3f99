from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from newsmuse.forms import AddByNameDetailsForm, https_links

from .models import Person


class PersonForm(forms.ModelForm):
    """A person. Adding someone who is already here points at them by name, instead of
    Django's “Person with this Slug already exists” on a field the editor never opened."""

    class Meta:
        model = Person
        formfield_callback = https_links
        fields = ["name", "description", "portrait", "bio", "slug", "website"]

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        existing = (
            Person.objects.exclude(pk=self.instance.pk).filter(slug=slug).first() if slug else None
        )
        if existing is not None:
            url = reverse("admin:people_person_change", args=[existing.pk])
            self.add_error(
                "name",
                ValidationError(
                    format_html(
                        '{} is already here: <a href="{}">open {}</a>. If this is someone '
                        "else with the same name, give them another slug under Advanced.",
                        existing,
                        url,
                        existing,
                    ),
                    code="person_exists",
                ),
            )
            self.add_error(
                "slug",
                ValidationError(f"{existing} has this slug already.", code="unique"),
            )
        return cleaned_data


class PersonDetailsForm(AddByNameDetailsForm):
    """What is asked beside a participant's field when a person is added by name there."""

    class Meta:
        model = Person
        fields = ["bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}
