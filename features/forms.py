from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import QueryDict
from taggit.models import Tag
from taggit.utils import edit_string_for_tags

from . import body, content, revisions, services
from .content import Cast, FeatureContent
from .models import Feature

BODY_HELP = (
    "One block per paragraph, with a blank line between blocks. Start a paragraph with a "
    "participant's name and a colon to attribute it (“Maya Ortiz: …”): interviewers ask "
    "questions, guests answer. Lines right under it belong to the same answer. Start a "
    "paragraph with “>” for a pull quote. Start it with “\\” to keep a leading “Word:” as "
    "plain text."
)

# Content parts shown under another name in this form; participants have their own formset.
FORM_FIELDS = {"body": "body_source"}


class FeatureAdminForm(forms.ModelForm):
    """The whole feature, its participants included, checked by the one save path.

    Participants are edited in the inline on the same page; ParticipantInlineFormSet puts
    itself on the instance so that ``clean()`` can check the feature as one piece with
    services.check_feature_save and keep the result for FeatureAdmin.save_model to commit.
    The body is written as text and parsed here, so its errors appear under it.

    Lost updates are refused: ``loaded_version`` is the version the editor opened. If someone
    saved content since, every part they changed and this editor did not is brought into the
    form; parts both changed are named, and the form keeps this editor's version of them.
    """

    editor = None  # the user saving: FeatureAdmin.get_form sets it per request

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
        fields = ["series", "headline", "slug", "dek", "hero_image", "films", "tags"]
        fields += ["published_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked_save = None
        if self.instance.pk:
            self.fields["body_source"].initial = self.instance.body_source()
            self.fields["loaded_version"].initial = self.instance.version

    def validate_unique(self):
        """Uniqueness and constraints are checked with everything else in clean()."""

    def clean(self):
        cleaned_data = super().clean()
        casts = self._casts()
        if self.errors or casts is None:
            return cleaned_data
        if self.instance.pk and cleaned_data.get("loaded_version") is None:
            raise ValidationError(
                "This form is out of date: reload the page, then make your changes again.",
                code="no_version",
            )
        proposed = self._proposed(cleaned_data, casts)
        if proposed is None:
            return cleaned_data
        try:
            self.checked_save = services.check_feature_save(
                user=self.editor,
                content=proposed,
                feature=self.instance,
                expected_version=cleaned_data.get("loaded_version"),
            )
        except services.FeatureConflict as conflict:
            raise ValidationError(self._bring_in_their_changes(conflict, proposed)) from None
        except ValidationError as error:
            self._show_content_errors(error)
        return cleaned_data

    def _casts(self) -> list[Cast] | None:
        """The participants in page order, or None while their rows have errors."""
        formset = getattr(self.instance, "participant_formset", None)
        if formset is None:
            return FeatureContent.of(self.instance).participants if self.instance.pk else []
        if not formset.is_valid():
            return None
        deleted = set(formset.deleted_forms)
        rows = [
            (form.cleaned_data.get("order") or 0, number, form.cleaned_data)
            for number, form in enumerate(formset.forms)
            if form not in deleted and form.cleaned_data.get("person")
        ]
        return [
            Cast(row["person"], row["role"], row.get("label", ""))
            for _, _, row in sorted(rows, key=lambda item: item[:2])
        ]

    def _proposed(self, cleaned_data, casts) -> FeatureContent | None:
        """The content this save asks for; parts not in this form keep their saved value."""
        proposed = FeatureContent.of(self.instance) if self.instance.pk else FeatureContent()
        for name in [*content.FIELD_PARTS, "films", "tags"]:
            if name in self.fields:
                setattr(proposed, name, cleaned_data.get(name))
        proposed.films = list(proposed.films)
        proposed.participants = casts
        try:
            proposed.set_body_text(cleaned_data["body_source"])
        except ValidationError as error:
            self.add_error("body_source", error)
            return None
        return proposed

    def _show_content_errors(self, error: ValidationError) -> None:
        """Put the service's messages at the fields they are about."""
        for name, errors in error.error_dict.items():
            field = FORM_FIELDS.get(name, name)
            if field in self.fields:
                self.add_error(field, errors)
            elif name == NON_FIELD_ERRORS:
                self.add_error(None, errors)
            else:
                label = content.PARTS_BY_NAME[name].label
                self.add_error(None, [f"{label}: {message}" for e in errors for message in e])

    def _bring_in_their_changes(self, conflict, mine: FeatureContent) -> list[ValidationError]:
        """Rewrite the form after a refused save and return the messages that explain it."""
        theirs, dump = FeatureContent.of(conflict.feature), content.dump(mine)
        if conflict.base is None:
            merge = content.Merge(theirs=[], both=content.changed_parts(conflict.theirs, dump))
        else:
            merge = content.merge(base=conflict.base, theirs=conflict.theirs, mine=dump)
        data = self.data.copy()
        data[self.add_prefix("loaded_version")] = str(conflict.feature.version)
        for part in merge.theirs:
            if part.name != "participants":
                shown = self._data_for(part.name, getattr(theirs, part.name), theirs, mine)
                for key, values in shown.lists():
                    data.setlist(key, values)
        participants = theirs if "participants" in {p.name for p in merge.theirs} else mine
        formset = getattr(self.instance, "participant_formset", None)
        if formset is not None:
            formset.rebind(data, participants.participants)
        self.data = data
        return _conflict_messages(conflict, merge)

    def _data_for(self, name: str, value, theirs, mine) -> QueryDict:
        """The POST data that shows ``value`` in the field for part ``name``."""
        data = QueryDict(mutable=True)
        field_name = FORM_FIELDS.get(name, name)
        if field_name not in self.fields:
            return data
        if name == "body":
            names = {c.person.pk: c.person.name for c in mine.participants + theirs.participants}
            value = body.format_body(value, names)
        elif name == "tags":
            value = edit_string_for_tags([Tag(name=tag) for tag in value])
        field = self.fields[field_name]
        key, prepared = self.add_prefix(field_name), field.prepare_value(value)
        widget = field.widget
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget = widget.widget
        if isinstance(widget, forms.MultiWidget):
            for suffix, subwidget, part in zip(
                widget.widgets_names, widget.widgets, widget.decompress(prepared), strict=True
            ):
                data[key + suffix] = subwidget.format_value(part) or ""
        else:
            formatted = widget.format_value(prepared)
            data.setlist(key, formatted if isinstance(formatted, list) else [formatted or ""])
        return data


def _conflict_messages(conflict, merge: content.Merge) -> list[ValidationError]:
    newest = conflict.revision
    who = newest.user if newest and newest.user else "Someone"
    when = f" at {newest.created_at:%H:%M on %d %b}" if newest else ""
    messages = [
        ValidationError(
            "%(who)s saved this feature%(when)s, after you opened it. Nothing of yours is "
            "saved yet: your input is still in the form below.",
            code="lost_update",
            params={"who": who, "when": when},
        )
    ]
    if conflict.base is not None:
        messages += [
            ValidationError(line, code="lost_update_change")
            for line in revisions.summary(conflict.base, conflict.theirs)
        ]
    if merge.theirs:
        messages.append(
            ValidationError(
                "Their changes to %(parts)s, which you had not touched, are now in the form.",
                code="lost_update_merged",
                params={"parts": _labels(merge.theirs)},
            )
        )
    if merge.both:
        messages.append(
            ValidationError(
                "You both changed %(parts)s: the form shows your version, and saving again "
                "keeps it.",
                code="lost_update_both",
                params={"parts": _labels(merge.both)},
            )
        )
    return messages


def _labels(parts) -> str:
    return ", ".join(part.label for part in parts)


class ParticipantInlineFormSet(forms.BaseInlineFormSet):
    """The participants inline. It is never saved itself: FeatureAdminForm reads it and the
    feature is saved as a whole by services.commit_feature_save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.participant_formset = self

    def rebind(self, data: QueryDict, casts: list[Cast]) -> None:
        """Show ``casts`` instead of what was posted (after a refused save), naming the rows
        as they are saved now. Replaces the participant keys of ``data`` in place."""
        for key in [key for key in data if key.startswith(f"{self.prefix}-")]:
            del data[key]
        rows = {p.person_id: p.pk for p in self.get_queryset()}
        ordered = sorted(casts, key=lambda cast: cast.person.pk not in rows)
        data[f"{self.prefix}-TOTAL_FORMS"] = str(len(ordered))
        data[f"{self.prefix}-INITIAL_FORMS"] = str(sum(c.person.pk in rows for c in casts))
        data[f"{self.prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{self.prefix}-MAX_NUM_FORMS"] = "1000"
        page_order = {cast.person.pk: order for order, cast in enumerate(casts)}
        for number, cast in enumerate(ordered):
            prefix = self.add_prefix(number)
            data[f"{prefix}-person"] = str(cast.person.pk)
            data[f"{prefix}-role"] = cast.role
            data[f"{prefix}-label"] = cast.label
            data[f"{prefix}-order"] = str(page_order[cast.person.pk])
            if cast.person.pk in rows:
                data[f"{prefix}-id"] = str(rows[cast.person.pk])
                data[f"{prefix}-feature"] = str(self.instance.pk)
        self.data = data
        # Forget the forms built from the posted data; they are rebuilt from the new data.
        for cached in ("forms", "management_form"):
            self.__dict__.pop(cached, None)
        self._errors = self._non_form_errors = None
