from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from . import body, revisions, services
from .models import Feature, Participant, Revision

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

    It also refuses lost updates: ``loaded_version`` is the version the editor opened, and
    if someone saved in between, the save is refused with what they changed. The editor's
    input stays in the form; saving again then deliberately replaces the other changes.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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
            "published_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["body_source"].initial = self.instance.body_source()
            self.fields["loaded_version"].initial = self.instance.version

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
        if self.instance.pk:
            self._refuse_lost_update(cleaned_data.get("loaded_version"))
        return cleaned_data

    def _refuse_lost_update(self, loaded_version):
        if loaded_version is None:
            raise ValidationError(
                "This form is out of date: reload the page, then make your changes again.",
                code="no_version",
            )
        # Locks the row until the save commits, so two saves cannot both pass this check.
        current = Feature.objects.select_for_update().get(pk=self.instance.pk)
        if loaded_version == current.version:
            return
        newest = Revision.objects.filter(feature=current).select_related("user").first()
        loaded = Revision.objects.filter(feature=current, version=loaded_version).first()
        who = newest.user if newest and newest.user else "Someone"
        when = f" at {newest.created_at:%H:%M on %d %b}" if newest else ""
        changes = revisions.summary(loaded.content, newest.content) if loaded and newest else []
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = current.version
        brought_in, both = self._bring_in_their_changes(loaded, current) if loaded else ([], [])
        messages = [
            ValidationError(
                "%(who)s saved this feature%(when)s, after you opened it. Nothing of yours is "
                "saved yet: your input is still in the form below.",
                code="lost_update",
                params={"who": who, "when": when},
            ),
            *[ValidationError(line, code="lost_update_change") for line in changes],
        ]
        if brought_in:
            messages.append(
                ValidationError(
                    "Their changes to %(fields)s, which you had not touched, are now in the form.",
                    code="lost_update_merged",
                    params={"fields": ", ".join(brought_in)},
                )
            )
        if both:
            messages.append(
                ValidationError(
                    "You both changed %(fields)s: the form shows your version, and saving "
                    "again keeps it.",
                    code="lost_update_both",
                    params={"fields": ", ".join(both)},
                )
            )
        raise ValidationError(messages)

    def _bring_in_their_changes(self, loaded, current):
        """Put the colleague's changes into the fields this editor left as loaded.

        Returns the labels of the fields brought in and of those both people changed.
        """
        opened = loaded.content
        names = {p["person"]: p["name"] for p in opened["participants"]}
        their_tags = sorted(current.tags.names())
        # field: (value as loaded, as this editor sent it, as now saved, form data for now)
        fields = {
            "headline": (opened["headline"], None, current.headline, current.headline),
            "dek": (opened["dek"], None, current.dek, current.dek),
            "slug": (opened["slug"], None, current.slug, current.slug),
            "series": (_ref_id(opened["series"]), "pk", current.series_id, current.series_id),
            "hero_image": (
                _ref_id(opened["hero_image"]),
                "pk",
                current.hero_image_id,
                current.hero_image_id,
            ),
            "tags": (opened["tags"], "tags", their_tags, ", ".join(f'"{t}"' for t in their_tags)),
            "body_source": (
                body.format_body(opened["body"], names),
                None,
                current.body_source(),
                current.body_source(),
            ),
        }
        brought_in, both = [], []
        for name, (as_loaded, kind, now, data_value) in fields.items():
            mine = self.cleaned_data.get(name)
            if kind == "pk":
                mine = mine.pk if mine else None
            elif kind == "tags":
                mine = sorted(mine or [])
            if now == as_loaded:
                continue
            label = str(self.fields[name].label or name)
            if mine == as_loaded:
                self.data[self.add_prefix(name)] = "" if data_value is None else data_value
                brought_in.append(label)
            elif mine != now:
                both.append(label)
        return brought_in, both


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
        if self.instance.status in Feature.PUBLIC_STATUSES:
            self._keep_public_piece_publishable(kept)

    def _keep_public_piece_publishable(self, kept_forms):
        problems = services.publish_problems(
            headline=self.instance.headline,
            dek=self.instance.dek,
            hero_image=self.instance.hero_image,
            guest_count=sum(
                bool(form.cleaned_data.get("person"))
                and form.cleaned_data.get("role") == Participant.Role.GUEST
                for form in kept_forms
            ),
            body=self.instance.body,
        )
        if problems:
            raise ValidationError(
                [
                    ValidationError(
                        "This feature is public, so it must stay complete:", code="public"
                    ),
                    *[ValidationError(problem, code="incomplete") for problem in problems],
                ]
            )


def _ref_id(ref):
    return ref["id"] if ref else None
