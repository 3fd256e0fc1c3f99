import re

from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.http import QueryDict
from django.utils.text import Truncator
from taggit.forms import TagWidget
from taggit.models import Tag
from taggit.utils import edit_string_for_tags

from . import body, content, revisions, services
from .content import Cast, FeatureContent
from .models import Feature, Participant
from .transcripts import FORMATS, FRONT_MATTER_SUFFIX, MAX_FILE_BYTES, Upload, too_large

BODY_HELP = (
    "One block per paragraph, with a blank line between blocks. Start a paragraph with a "
    "participant's name and a colon to attribute it (“Maya Ortiz: …”): interviewers ask "
    "questions, guests answer. Lines right under it belong to the same answer. Start a "
    "paragraph with “>” for a pull quote. Start it with “\\” to keep a leading “Word:” as "
    "plain text. *Asterisks* make emphasis (a film's title); [words](https://…) make a link."
)

# Content parts shown under another name in this form; participants have their own formset.
FORM_FIELDS = {"body": "body_source"}
PARTICIPANTS_TABLE = "participants-group"  # the id Django gives the participants inline

PUBLICATION_TIME_HELP = (
    "When the piece goes live. Setting it does not publish the piece: it stays as it is "
    "until someone uses Schedule or Publish now at the top of the page."
)


def part_anchor(part: str) -> str:
    """The id of the element on the change form where a content part is edited."""
    if part == "participants":
        return PARTICIPANTS_TABLE
    return f"id_{FORM_FIELDS.get(part, part)}"


class FeatureAdminForm(forms.ModelForm):
    """The whole feature, its participants included, checked by the one save path.

    Participants are edited in the inline on the same page; ParticipantInlineFormSet puts
    itself on the instance so that ``clean()`` can check the feature as one piece with
    services.check_feature_save and keep the result for FeatureAdmin.save_model to commit.
    The body is written as text and parsed here, so its errors appear under it.

    Lost updates are refused: ``loaded_version`` is the version the editor opened. If someone
    saved content since, whatever they changed and this editor did not is brought into the
    form (lists member by member, see features.merging); what both changed in the same place
    is named, and the form keeps this editor's version of it.
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
        widgets = {
            # Headlines run long: the whole of it stays in view, wrapped over lines.
            "headline": forms.Textarea(attrs={"rows": 2, "class": "headline-input"}),
            "dek": forms.Textarea(attrs={"rows": 3, "class": "dek-input"}),
            "tags": TagWidget(attrs={"class": "vLargeTextField"}),
        }
        help_texts = {"published_at": PUBLICATION_TIME_HELP}

    def __init__(self, *args, **kwargs):
        if self.editor is None:
            raise ImproperlyConfigured("FeatureAdminForm needs the user saving as its editor.")
        super().__init__(*args, **kwargs)
        self.checked_save = None
        if self.instance.pk:
            self.fields["body_source"].initial = self.instance.body_source()
            self.fields["loaded_version"].initial = self.instance.version

    def clean_headline(self):
        """One line, whatever the textarea let the editor type."""
        return " ".join(self.cleaned_data["headline"].split())

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

    def _omitted(self, name: str) -> bool:
        """Whether the page did not send this field at all, e.g. because it was read-only
        when the editor opened it (a colleague has unpublished the piece since)."""
        widget = self.fields[name].widget
        return widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))

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
        for part in content.PARTS:  # participants and the body are read below
            if part.name in self.fields and not self._omitted(part.name):
                setattr(proposed, part.name, cleaned_data.get(part.name))
        proposed.films = list(proposed.films)
        proposed.participants = casts
        try:
            proposed.set_body_text(cleaned_data["body_source"])
        except ValidationError as error:
            self.add_error("body_source", error)
            return None
        return proposed

    def _show_content_errors(self, error: ValidationError) -> None:
        """Put the service's messages at the fields they are about, and those about the
        participants at their table."""
        formset = getattr(self.instance, "participant_formset", None)
        for name, errors in error.error_dict.items():
            field = FORM_FIELDS.get(name, name)
            if field in self.fields:
                self.add_error(field, errors)
            elif name == NON_FIELD_ERRORS:
                self.add_error(None, errors)
            elif name == "participants" and formset is not None:
                formset.show_errors([message for e in errors for message in e])
                self.add_error(
                    None,
                    ValidationError(
                        "Check the participants: the table says what is wrong.",
                        code="participants",
                    ),
                )
            else:
                label = content.PARTS_BY_NAME[name].label
                self.add_error(None, [f"{label}: {message}" for e in errors for message in e])

    def _bring_in_their_changes(self, conflict, mine: FeatureContent) -> list[ValidationError]:
        """Rewrite the form with the merge of both saves and return the messages that
        explain it. Parts both changed in the same place keep this editor's version."""
        mine_dump = content.dump(mine)
        if conflict.base is None:  # what the editor opened is unknown: name every difference
            both = content.changed_parts(conflict.theirs, mine_dump)
            result = content.Merge(content=mine_dump, taken=[], both=both)
        else:
            result = content.merge(base=conflict.base, theirs=conflict.theirs, mine=mine_dump)
        merged = content.load(result.content)
        names = {
            entry["person"]: entry["name"]
            for dump in (conflict.base or {}, conflict.theirs, mine_dump)
            for entry in dump.get("participants", [])
        }
        data = self.data.copy()
        data[self.add_prefix("loaded_version")] = str(conflict.feature.version)
        for part in content.changed_parts(mine_dump, result.content):
            if part.name != "participants":
                shown = self._data_for(part.name, getattr(merged, part.name), names)
                for key, values in shown.lists():
                    data.setlist(key, values)
        formset = getattr(self.instance, "participant_formset", None)
        if formset is not None:
            data = formset.rebind(data, merged.participants)
        self.data = data
        return _conflict_messages(conflict, result)

    def _data_for(self, name: str, value, names: dict[int, str]) -> QueryDict:
        """The POST data that shows ``value`` in the field for part ``name``."""
        data = QueryDict(mutable=True)
        field_name = FORM_FIELDS.get(name, name)
        if field_name not in self.fields:
            return data
        if name == "body":
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


def _conflict_messages(conflict, result: content.Merge) -> list[ValidationError]:
    newest = conflict.revision
    user = newest.user if newest else None
    who = (user.get_full_name() or user.get_username()) if user else "Someone"
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
    if result.taken:
        messages.append(
            ValidationError(
                "Their changes to %(parts)s are now in the form, together with yours.",
                code="lost_update_merged",
                params={"parts": _labels(result.taken)},
            )
        )
    messages += [
        ValidationError(
            "You both changed %(part)s: the form shows your version, and saving again keeps "
            "it.%(theirs)s",
            code="lost_update_both",
            params={"part": part.label, "theirs": _their_version(part, conflict.theirs)},
        )
        for part in result.both
    ]
    messages.append(ValidationError("Check the form, then save again.", code="lost_update_next"))
    return messages


def _their_version(part: content.Part, theirs: dict) -> str:
    if part.name == "body":
        return " Their version is under Revisions."
    return f" Theirs: {Truncator(part.describe(part.value_in(theirs))).chars(200)}"


def _labels(parts) -> str:
    return ", ".join(part.label for part in parts)


class ParticipantForm(forms.ModelForm):
    """A row of the participants table. The role has no default: a row left as it came
    would make an interviewer a guest, and the piece would silently lose its byline."""

    class Meta:
        model = Participant
        fields = ["person", "role", "label", "order"]
        error_messages = {"role": {"required": "Choose Interviewer or Guest."}}


class ParticipantInlineFormSet(forms.BaseInlineFormSet):
    """The participants inline. It is never saved itself: FeatureAdminForm reads it and the
    feature is saved as a whole by services.commit_feature_save, which matches participants
    by person. So a posted row whose participant a colleague has removed in the meantime is
    simply a new row, not an error the editor cannot fix."""

    def __init__(self, data=None, files=None, instance=None, **kwargs):
        prefix = kwargs.get("prefix") or self.get_default_prefix()
        if data is not None and instance is not None and instance.pk:
            data = _stale_rows_as_new(data, prefix, _participant_rows(instance))
        super().__init__(data, files, instance, **kwargs)
        self._arguments = {"files": files, "instance": instance, **kwargs}
        self.instance.participant_formset = self

    def show_errors(self, messages: list[str]) -> None:
        """Show messages about the participants as a whole above their table."""
        self.non_form_errors().extend(messages)

    def rebind(self, data: QueryDict, casts: list[Cast]) -> QueryDict:
        """Show ``casts`` instead of what was posted (after a refused save), naming the rows
        as they are saved now; returns ``data`` with its participant rows replaced."""
        current = _participant_rows(self.instance)
        rows = [
            {
                "person": [str(cast.person.pk)],
                "role": [cast.role],
                "label": [cast.label],
                "order": [str(order)],
                **_row_id(current.get(cast.person.pk), self.instance),
            }
            for order, cast in enumerate(casts)
        ]
        rows.sort(key=lambda row: "id" not in row)  # rows saved now come first
        data = _with_rows(data, self.prefix, rows, initial=sum("id" in row for row in rows))
        arguments = {**self._arguments, "data": data}
        if arguments.get("queryset") is not None:
            arguments["queryset"] = arguments["queryset"].all()  # read the rows again
        self.__dict__.clear()  # a formset bound to the new data, built from scratch
        self.__init__(**arguments)
        return data


def _participant_rows(feature: Feature) -> dict[int, int]:
    """person id → participant row id, as saved now."""
    return dict(Participant.objects.filter(feature=feature).values_list("person_id", "pk"))


def _row_id(row_id: int | None, feature: Feature) -> dict[str, list[str]]:
    return {"id": [str(row_id)], "feature": [str(feature.pk)]} if row_id else {}


ROW_KEY = re.compile(r"^(?P<prefix>.+)-(?P<number>\d{1,4})-(?P<field>\w+)$")


def _stale_rows_as_new(data: QueryDict, prefix: str, current: dict[int, int]) -> QueryDict:
    """Posted rows that name a participant row no longer saved, moved among the new rows."""
    try:
        initial = int(data.get(f"{prefix}-INITIAL_FORMS", ""))
    except ValueError:
        return data  # the management form reports it
    rows = _posted_rows(data, prefix)
    saved_ids = {str(row_id) for row_id in current.values()}
    fresh = [row for row in rows[:initial] if row.get("id", [""])[0] in saved_ids]
    if len(fresh) == min(initial, len(rows)):
        return data
    stale = [
        {field: values for field, values in row.items() if field not in ("id", "feature")}
        for row in rows[:initial]
        if row.get("id", [""])[0] not in saved_ids
    ]
    return _with_rows(data, prefix, fresh + stale + rows[initial:], initial=len(fresh))


def _posted_rows(data: QueryDict, prefix: str) -> list[dict[str, list[str]]]:
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", "")), 1000)
    except ValueError:
        return []
    rows = [{} for _ in range(max(total, 0))]
    for key in data:
        match = ROW_KEY.match(key)
        if match and match["prefix"] == prefix and int(match["number"]) < len(rows):
            rows[int(match["number"])][match["field"]] = data.getlist(key)
    return rows


def _with_rows(data: QueryDict, prefix: str, rows: list[dict], *, initial: int) -> QueryDict:
    """A copy of ``data`` whose formset ``prefix`` holds exactly ``rows``."""
    data = data.copy()
    for key in [key for key in data if key.startswith(f"{prefix}-")]:
        del data[key]
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    data[f"{prefix}-INITIAL_FORMS"] = str(initial)
    data[f"{prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    for number, row in enumerate(rows):
        for field, values in row.items():
            data.setlist(f"{prefix}-{number}-{field}", values)
    return data


class ImportFeatureForm(forms.Form):
    """The admin's import page: an interview file and, for a transcript, its front matter,
    with the options of import_feature that this user may use.

    Only the size is checked here, before a file is read; features.importing checks the
    rest when the import runs, with the command's messages.
    """

    interview = forms.FileField(
        label="Interview file",
        help_text="A Markdown file (.md) that starts with its front matter between +++ "
        "lines, or a WebVTT (.vtt) or SRT (.srt) transcript.",
        widget=forms.FileInput(attrs={"accept": ",".join(FORMATS)}),
    )
    front_matter = forms.FileField(
        label="Front matter",
        required=False,
        help_text=f"For a transcript only: the {FRONT_MATTER_SUFFIX} file with its headline, "
        "participants and the rest. Leave it empty for a Markdown file.",
        widget=forms.FileInput(attrs={"accept": FRONT_MATTER_SUFFIX}),
    )
    create_missing = forms.BooleanField(
        label="Create missing people and films",
        required=False,
        help_text="People and films the file names that do not exist yet are created from "
        "their names. Otherwise they are listed as problems.",
    )
    publish = forms.BooleanField(
        label="Publish",
        required=False,
        help_text="Publish it now, or schedule it when its publication time is still to "
        "come. Otherwise a new feature is a draft.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not (user.has_perm("people.add_person") or user.has_perm("films.add_film")):
            del self.fields["create_missing"]
        if not services.can_publish(user):
            del self.fields["publish"]

    def clean_interview(self) -> Upload:
        return _upload(self.cleaned_data["interview"])

    def clean_front_matter(self) -> Upload | None:
        file = self.cleaned_data["front_matter"]
        return _upload(file) if file else None


def _upload(file) -> Upload:
    """An uploaded file's name and bytes; one over the size limit is refused unread."""
    if file.size > MAX_FILE_BYTES:
        [problem] = too_large(file.name, file.size).problems
        raise ValidationError(problem.message, code="too_large")
    return Upload(name=file.name, data=file.read())
