from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from . import body
from .models import Feature, Participant

BODY_HELP = (
    "One block per paragraph, with a blank line between blocks. Start a paragraph with a "
    "participant's name and a colon to attribute it (“Maya Ortiz: …”): interviewers ask "
    "questions, guests answer. Lines right under it belong to the same answer. Start a "
    "paragraph with “>” for a pull quote. Start it with “\\” to keep a leading “Word:” as "
    "plain text."
)


class FeatureAdminForm(forms.ModelForm):
    """The feature form; the body is written as text and checked with the participants.

    Speakers must be participants, and the participants are edited in the inline on the
    same page, so the body is parsed by ParticipantInlineFormSet once it knows them. This
    form only hands the text over (as ``instance.pending_body_source``).
    """

    body_source = forms.CharField(
        label="Body",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "vLargeTextField"}),
        help_text=BODY_HELP,
        max_length=body.MAX_SOURCE_LENGTH,
    )

    class Meta:
        model = Feature
        fields = [
            "series",
            "headline",
            "slug",
            "dek",
            "hero_image",
            "films",
            "tags",
            "status",
            "published_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["body_source"].initial = self.instance.body_source()

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        unusable = [tag for tag in tags if not slugify(tag, allow_unicode=True)]
        if unusable:
            raise ValidationError(
                "Tags need at least one letter or digit: %(tags)s.",
                code="tag_without_letters",
                params={"tags": ", ".join(f"“{tag}”" for tag in unusable)},
            )
        return tags

    def clean(self):
        cleaned_data = super().clean()
        if "body_source" in cleaned_data:
            self.instance.pending_body_source = cleaned_data["body_source"]
        return cleaned_data


class ParticipantInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        source = getattr(self.instance, "pending_body_source", None)
        kept = [form for form in self.forms if not self._should_delete_form(form)]
        if source is None or any(form.errors for form in kept):
            return
        speakers = [
            Participant(
                person=form.cleaned_data["person"], role=form.cleaned_data["role"]
            ).as_speaker()
            for form in kept
            if form.cleaned_data.get("person")
        ]
        try:
            self.instance.body = body.parse_body(source, speakers)
        except ValidationError as error:
            raise ValidationError(
                [ValidationError("The body could not be saved:", code="body"), *error.error_list]
            ) from error
