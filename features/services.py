"""Writes that span several models: saving a feature, workflow moves, revisions, share links,
editors' autosaved form copies, reviewers' comments.

Admin views, public views and commands all call these; none of them writes a feature, its
participants, films, tags, body, status or version in any other way. ``user=None`` means the
system itself (a management command run on the server), which may do anything.
"""

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from newsmuse.db import take_turns
from newsmuse.tags import tag_problems

from . import body, content, revisions, search
from .block_ids import assign_ids
from .content import FeatureContent
from .models import (
    Autosave,
    Comment,
    Feature,
    OldSlug,
    Participant,
    Revision,
    ShareLink,
    StatusChange,
)

Status = Feature.Status
SHARE_LINK_SALT = "features.share-link"
SHARE_LINK_DAYS = 7
LABEL_MAX_LENGTH = Participant._meta.get_field("label").max_length


# Saving a feature ---------------------------------------------------------------------------


class FeatureConflict(Exception):
    """Someone saved the feature after the version a change was made against.

    ``base`` is the content that version had (None if unknown), ``theirs`` the content as
    saved now, both as dumps (features.content); ``revision`` is the newest revision.
    """

    def __init__(self, *, feature: Feature, base: dict | None, theirs: dict, revision):
        super().__init__(f"“{feature}” was saved by someone else in the meantime.")
        self.feature, self.base, self.theirs, self.revision = feature, base, theirs, revision


@dataclass(frozen=True)
class FeatureSave:
    """A checked save, ready to be written by commit_feature_save in the same transaction."""

    feature: Feature
    content: FeatureContent
    user: AbstractBaseUser | None
    old_slug: str | None


@transaction.atomic
def save_feature(
    *,
    user: AbstractBaseUser | None,
    content: FeatureContent,
    feature: Feature | None = None,
    expected_version: int | None = None,
    note: str = "",
) -> Feature:
    """Validate and save a whole feature (fields, participants, films, tags and body) and
    keep a revision of it. ``feature`` is None (or unsaved) to create a draft.

    ``expected_version`` is the version the change was made against; when someone has saved
    content since, FeatureConflict is raised. Raises PermissionDenied when the user may not
    make the change and ValidationError, keyed by part name (features.content.PARTS), listing
    every problem. Nothing is written in any of these cases.
    """
    checked = check_feature_save(
        user=user, content=content, feature=feature, expected_version=expected_version
    )
    return commit_feature_save(checked, note=note)


def check_feature_save(
    *,
    user: AbstractBaseUser | None,
    content: FeatureContent,
    feature: Feature | None = None,
    expected_version: int | None = None,
) -> FeatureSave:
    """Everything save_feature checks, without writing. A saved ``feature`` is locked until
    the transaction ends and reloaded in place from its row, so it shows the version and
    status the check saw; call commit_feature_save in the same transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError("check_feature_save must run in a transaction.")
    feature = feature if feature is not None else Feature()
    is_new = feature.pk is None
    if is_new:
        if not _may(user, "features.add_feature"):
            raise PermissionDenied("You may not add features.")
    else:
        feature.refresh_from_db(from_queryset=Feature.objects.select_for_update())
        if not (user is None or can_edit(user, feature)):
            raise PermissionDenied(f"You may not change “{feature}”.")
        if expected_version is not None and expected_version != feature.version:
            _refuse_if_changed(feature, expected_version)
    if is_new or content.slug != feature.slug:
        # Two saves claiming one slug check it in turn, so the second is told it is taken.
        take_turns("features.slug")
    _validate(feature, content, user)
    return FeatureSave(
        feature=feature, content=content, user=user, old_slug=None if is_new else feature.slug
    )


def commit_feature_save(checked: FeatureSave, *, note: str = "") -> Feature:
    """Write a save that check_feature_save accepted; blocks without an id get one."""
    feature, new = checked.feature, checked.content
    is_new = feature.pk is None
    if is_new:
        feature.created_by = checked.user
        feature.status = Status.DRAFT
    _write_content(feature, new)
    if checked.old_slug:
        remember_old_slug(feature=feature, old_slug=checked.old_slug)
    record_revision(feature=feature, user=checked.user, note=note or ("Created" if is_new else ""))
    return feature


def _write_content(feature: Feature, new: FeatureContent) -> None:
    previous_blocks = [] if feature.pk is None else body.blocks_of(feature.body)
    for name in content.FIELD_PARTS:
        setattr(feature, name, getattr(new, name))
    feature.body = body.stored(assign_ids(new.body, previous_blocks))
    feature.save()
    _write_participants(feature, new.participants)
    feature.films.set(new.films)
    feature.tags.set(new.tags)
    search.reindex([feature.pk])


def _may(user: AbstractBaseUser | None, permission: str) -> bool:
    return user is None or user.has_perm(permission)


def _refuse_if_changed(feature: Feature, expected_version: int) -> None:
    """Refuse a save against an old version, unless only the status moved since."""
    theirs = revisions.snapshot(feature)
    loaded = Revision.objects.filter(feature=feature, version=expected_version).first()
    base = loaded.content if loaded else None
    if base is not None and not content.changed_parts(base, theirs):
        return
    newest = Revision.objects.filter(feature=feature).select_related("user").first()
    raise FeatureConflict(feature=feature, base=base, theirs=theirs, revision=newest)


def _write_participants(feature: Feature, casts: list[content.Cast]) -> None:
    """Update rows in place by person, so forms colleagues have open still name real rows."""
    wanted = {cast.person.pk: (order, cast) for order, cast in enumerate(casts)}
    feature.participants.exclude(person_id__in=wanted).delete()
    existing = {p.person_id: p for p in feature.participants.all()}
    for person_id, (order, cast) in wanted.items():
        participant = existing.get(person_id) or Participant(feature=feature, person=cast.person)
        values = (cast.role, cast.label, order)
        if participant.pk is None or (participant.role, participant.label, participant.order) != (
            values
        ):
            participant.role, participant.label, participant.order = values
            participant.save()


def _validate(feature: Feature, new: FeatureContent, user: AbstractBaseUser | None) -> None:
    """Every rule a feature's content must follow, all problems at once, keyed by part."""
    errors: dict[str, list] = {}
    candidate = copy.copy(feature)
    for name in content.FIELD_PARTS:
        setattr(candidate, name, getattr(new, name))
    try:
        candidate.full_clean(exclude=["body", "created_by"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    errors.setdefault("published_at", []).extend(_publication_time_problems(feature, new, user))
    errors.setdefault("participants", []).extend(_participant_problems(new.participants))
    errors.setdefault("tags", []).extend(tag_problems(new.tags, holder="A feature"))
    try:
        body.check_blocks(new.body, new.speakers())
    except ValidationError as error:
        errors.setdefault("body", []).extend(error.messages)
    if feature.status in Feature.PUBLIC_STATUSES and (missing := missing_for_publication(new)):
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            "This feature is public, so it must stay complete: see the parts marked below."
        )
        for part, message in missing:
            errors.setdefault(part, []).append(message)
    errors = {name: messages for name, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)


def _publication_time_problems(feature, new: FeatureContent, user) -> list[str]:
    if new.published_at == feature.published_at:
        return []
    if feature.status in Feature.PUBLIC_STATUSES:
        return [
            "The publication time of a published or scheduled piece changes only through "
            "Schedule or Unpublish."
        ]
    if not _may(user, "features.publish_feature"):
        return ["Only editors set the publication time."]
    return []


def _participant_problems(casts: list[content.Cast]) -> list[str]:
    problems = []
    seen = set()
    for cast in casts:
        if cast.person.pk in seen:
            problems.append(f"{cast.person.name} is listed twice; list each person once.")
        seen.add(cast.person.pk)
        if cast.role not in Participant.Role.values:
            problems.append(f"{cast.person.name}: choose Interviewer or Guest as the role.")
        if len(cast.label) > LABEL_MAX_LENGTH:
            problems.append(
                f"{cast.person.name}: the label is longer than {LABEL_MAX_LENGTH} characters."
            )
    return problems


# Workflow -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: frozenset
    target: str
    needs_publish_permission: bool


MOVES = {
    move.name: move
    for move in [
        Move("submit", "Submit for review", frozenset({Status.DRAFT}), Status.REVIEW, False),
        Move(
            "publish",
            "Publish now",
            frozenset({Status.DRAFT, Status.REVIEW, Status.SCHEDULED, Status.UNPUBLISHED}),
            Status.PUBLISHED,
            True,
        ),
        Move(
            "schedule",
            "Schedule",
            frozenset({Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED, Status.SCHEDULED}),
            Status.SCHEDULED,
            True,
        ),
        Move(
            "unpublish",
            "Unpublish",
            frozenset({Status.PUBLISHED, Status.SCHEDULED}),
            Status.UNPUBLISHED,
            True,
        ),
        Move(
            "return_to_draft",
            "Return to draft",
            frozenset({Status.REVIEW, Status.SCHEDULED, Status.UNPUBLISHED}),
            Status.DRAFT,
            True,
        ),
    ]
}


def can_publish(user: AbstractBaseUser | None) -> bool:
    return _may(user, "features.publish_feature")


def can_edit(user: AbstractBaseUser | None, feature: Feature) -> bool:
    """Editors edit every piece; contributors only their own drafts."""
    if not _may(user, "features.change_feature"):
        return False
    if can_publish(user):
        return True
    return feature.created_by_id == user.pk and feature.status == Status.DRAFT


def allowed_moves(user: AbstractBaseUser | None, feature: Feature) -> list[Move]:
    return [
        move
        for move in MOVES.values()
        if feature.status in move.sources
        and (can_publish(user) if move.needs_publish_permission else can_edit(user, feature))
    ]


def missing_for_publication(new: FeatureContent) -> list[tuple[str, str]]:
    """Everything that keeps a piece from going public, all at once, as (part, message)
    pairs: the part (features.content.PARTS) is where the editor fixes it."""
    missing = []
    if not new.headline.strip():
        missing.append(("headline", "Write a headline."))
    if not new.dek.strip():
        missing.append(("dek", "Write a dek (the standfirst under the headline)."))
    if new.hero_image is None:
        missing.append(("hero_image", "Choose a hero image."))
    elif not new.hero_image.alt_text.strip():
        missing.append(
            (
                "hero_image",
                f"Give the hero image “{new.hero_image}” alt text in the image library.",
            )
        )
    if new.guest_count < 1:
        missing.append(("participants", "Add at least one guest under Participants."))
    if not new.body:
        missing.append(("body", "Write the body."))
    return missing


def publish_problems(new: FeatureContent) -> list[str]:
    """Everything that keeps a piece from going public, as messages."""
    return [message for _, message in missing_for_publication(new)]


def feature_missing(feature: Feature) -> list[tuple[str, str]]:
    """missing_for_publication for a saved feature (FeatureContent.of costs its queries)."""
    return missing_for_publication(FeatureContent.of(feature))


def feature_publish_problems(feature: Feature) -> list[str]:
    return [message for _, message in feature_missing(feature)]


@transaction.atomic
def move_feature(
    *,
    feature: Feature,
    move: str,
    user: AbstractBaseUser | None,
    publish_at: datetime | None = None,
) -> Feature:
    """Move a feature through the workflow, recording who and when.

    Raises PermissionDenied if the user may not make this move, and ValidationError (listing
    every problem) if the piece is not ready for it. Nothing changes in either case. A piece
    published now keeps a publication time that has already come (e.g. an imported archive).
    """
    feature = Feature.objects.select_for_update().get(pk=feature.pk)
    step = MOVES[move]
    if step not in allowed_moves(user, feature):
        raise PermissionDenied(f"You may not {step.label.lower()} “{feature}”.")
    now = timezone.now().replace(microsecond=0)  # as precise as the forms that show it
    if step.target in Feature.PUBLIC_STATUSES:
        problems = feature_publish_problems(feature)
        if step.target == Status.SCHEDULED and (publish_at is None or publish_at <= now):
            problems.append("Choose a publication time in the future.")
        if problems:
            raise ValidationError(problems)
    if step.target == Status.SCHEDULED:
        feature.published_at = publish_at
    elif step.target == Status.PUBLISHED and not (
        feature.published_at and feature.published_at <= now
    ):
        feature.published_at = now
    _set_status(feature, step.target, user, at=now)
    feature.save(update_fields=["status", "published_at", "updated_at"])
    record_revision(feature=feature, user=user, note=step.label)
    return feature


def _set_status(feature: Feature, status: str, user: AbstractBaseUser | None, *, at=None) -> None:
    """Change the status on the instance and record the move (the caller saves)."""
    StatusChange.objects.create(
        feature=feature,
        from_status=feature.status,
        to_status=status,
        user=user,
        at=at or timezone.now(),
    )
    feature.status = status


# Revisions ------------------------------------------------------------------------------


@transaction.atomic
def record_revision(*, feature: Feature, user: AbstractBaseUser | None, note: str = "") -> Revision:
    """Bump the feature's version and keep a snapshot of all its content under it."""
    Feature.objects.filter(pk=feature.pk).update(version=F("version") + 1)
    feature.version = Feature.objects.values_list("version", flat=True).get(pk=feature.pk)
    return Revision.objects.create(
        feature=feature,
        version=feature.version,
        status=feature.status,
        content=revisions.snapshot(feature),
        user=user,
        note=note,
    )


@transaction.atomic
def restore_revision(*, revision: Revision, user: AbstractBaseUser | None) -> Feature:
    """Bring an earlier revision's content back as a draft; later revisions stay in history.

    People, films, series and images deleted since are left out, with the blocks spoken by
    people who are gone. The slug and publication time stay as they are, so links keep
    working. Raises PermissionDenied or ValidationError (and changes nothing) like save_feature.
    """
    feature = Feature.objects.select_for_update().get(pk=revision.feature_id)
    if not (user is None or can_edit(user, feature)):
        raise PermissionDenied("You may not change this feature.")
    current = FeatureContent.of(feature)
    restored = content.load(revision.content)
    for part in content.PARTS:
        if not part.restored:
            setattr(restored, part.name, getattr(current, part.name))
    present = {cast.person.pk for cast in restored.participants}
    restored.body = [b for b in restored.body if b.get("speaker") in (None, *present)]
    if feature.status != Status.DRAFT:
        _set_status(feature, Status.DRAFT, user)
        feature.save(update_fields=["status", "updated_at"])
    return save_feature(
        user=user, content=restored, feature=feature, note=f"Restored version {revision.version}"
    )


# Loading exported features (features.transfer) -----------------------------------------


@dataclass(frozen=True)
class FeatureRecord:
    """A feature as an export keeps it: its content and what the workflow and history made
    of it. The revisions and status changes are unsaved rows without a feature."""

    content: FeatureContent
    status: str
    created_by: AbstractBaseUser | None
    version: int
    created_at: datetime
    updated_at: datetime
    old_slugs: list[str]
    revisions: list[Revision]
    status_changes: list[StatusChange]


@transaction.atomic
def load_feature(record: FeatureRecord, *, feature: Feature | None = None) -> Feature:
    """Write an exported feature after the checks save_feature makes (ValidationError, and
    nothing written, when they fail).

    A new feature is written as it was exported: content, status, version, times and
    history. An existing one keeps its own history: the exported content is saved over it as
    a new revision, and a different exported status is recorded as a move by the system.
    """
    if feature is None:
        feature = Feature(created_by=record.created_by)
        check_feature_save(user=None, content=record.content, feature=feature)
        _check_status(record.status, record.content)
        feature.status = record.status
        _write_content(feature, record.content)
        Feature.objects.filter(pk=feature.pk).update(
            version=record.version, created_at=record.created_at, updated_at=record.updated_at
        )
        feature.refresh_from_db()
        old_slugs = [OldSlug(feature=feature, slug=slug) for slug in record.old_slugs]
        for old_slug in old_slugs:
            old_slug.full_clean()
        if len({revision.version for revision in record.revisions}) < len(record.revisions):
            raise ValidationError({"revisions": ["Two revisions have the same version."]})
        OldSlug.objects.bulk_create(old_slugs)
        for row in (*record.revisions, *record.status_changes):
            row.feature = feature
        Revision.objects.bulk_create(record.revisions)
        StatusChange.objects.bulk_create(record.status_changes)
        return feature
    if content.changed_parts(revisions.snapshot(feature), content.dump(record.content)):
        save_feature(user=None, content=record.content, feature=feature, note="Imported")
    if record.status != feature.status:
        _check_status(record.status, FeatureContent.of(feature))
        _set_status(feature, record.status, None)
        feature.save(update_fields=["status", "updated_at"])
        record_revision(feature=feature, user=None, note="Imported")
    return feature


def _check_status(status: str, new: FeatureContent) -> None:
    if status not in Status.values:
        raise ValidationError({"status": [f"“{status}” is not a status."]})
    if status in Feature.PUBLIC_STATUSES:
        problems = publish_problems(new)
        if new.published_at is None:
            problems.append("Published and scheduled features need a publication time.")
        if problems:
            raise ValidationError({NON_FIELD_ERRORS: problems})


# Stable URLs ----------------------------------------------------------------------------


def remember_old_slug(*, feature: Feature, old_slug: str) -> None:
    """Keep the URL of a piece that has been public working after its slug changes."""
    if old_slug == feature.slug or feature.published_at is None:
        return
    OldSlug.objects.filter(slug=feature.slug).delete()
    OldSlug.objects.update_or_create(slug=old_slug, defaults={"feature": feature})


# Share links ----------------------------------------------------------------------------


def create_share_link(
    *, feature: Feature, user: AbstractBaseUser, days: int = SHARE_LINK_DAYS
) -> ShareLink:
    now = timezone.now()
    return ShareLink.objects.create(
        feature=feature, created_by=user, created_at=now, expires_at=now + timedelta(days=days)
    )


def share_link_token(link: ShareLink) -> str:
    return signing.dumps(link.pk, salt=SHARE_LINK_SALT)


def active_share_link(token: str) -> ShareLink | None:
    """The link a token names, if the signature holds and it is neither expired nor revoked."""
    try:
        pk = signing.loads(token, salt=SHARE_LINK_SALT)
    except signing.BadSignature:
        return None
    link = ShareLink.objects.filter(pk=pk).select_related("feature").first()
    return link if link and link.is_active else None


def revoke_share_link(*, link: ShareLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


# Autosaved form copies ----------------------------------------------------------------------

# An autosave is a copy of one form: a few hundred fields, the body the longest of them.
AUTOSAVE_MAX_FIELDS = 2000
AUTOSAVE_MAX_CHARS = 1_000_000


class StaleAutosave(Exception):
    """A copy of a form older than its editor's own last save of the piece."""


def autosave_problems(fields) -> list[str]:
    """What makes ``fields`` (the form's fields as keep-edits.js sends them: name to text,
    to a checkbox's state, or to a select's chosen [value, text] pairs) unfit to keep."""
    if not isinstance(fields, dict):
        return ["The autosave must be the form's fields, by name."]
    if len(fields) > AUTOSAVE_MAX_FIELDS:
        return [f"The form has more than {AUTOSAVE_MAX_FIELDS} fields."]
    chars = 0
    for name, value in fields.items():
        texts = [name]
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list) and all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(t, str) for t in pair)
            for pair in value
        ):
            texts.extend(text for pair in value for text in pair)
        elif not isinstance(value, bool):
            return [f"The field “{name[:100]}” holds something a form field cannot."]
        if any("\x00" in text for text in texts):
            return [f"The field “{name[:100]}” holds a NUL character, which cannot be kept."]
        if not all(_is_unicode(text) for text in texts):
            return [f"The field “{name[:100]}” holds half a character, which cannot be kept."]
        chars += sum(map(len, texts))
    if chars > AUTOSAVE_MAX_CHARS:
        return [f"The form holds more than {AUTOSAVE_MAX_CHARS:,} characters."]
    return []


def _is_unicode(text: str) -> bool:
    """Whether ``text`` is whole Unicode: a lone surrogate (half of a pasted emoji, say)
    is not, and PostgreSQL refuses to store it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def keep_autosave(
    *, user: AbstractBaseUser, feature: Feature | None, base_version: int, fields: dict
) -> Autosave:
    """Keep ``user``'s latest copy of the form of ``feature`` (None: a piece not saved yet),
    in place of the one before. Nothing else is written: readers, the page cache, the
    feature's version and its history are untouched."""
    if problems := autosave_problems(fields):
        raise ValidationError(problems)
    if feature is not None and base_version < feature.version:
        latest = feature.revisions.only("user").first()
        if latest is not None and user is not None and latest.user_id == user.pk:
            # The editor has saved the piece since this copy's form was opened: a copy
            # that arrives after its own save is stale, and would be offered back.
            raise StaleAutosave(
                "You have saved this piece since this form was opened; reload it to go on."
            )
    autosave, _ = Autosave.objects.update_or_create(
        user=user, feature=feature, defaults={"base_version": base_version, "fields": fields}
    )
    return autosave


def drop_autosave(*, user: AbstractBaseUser, feature: Feature | None) -> None:
    """Forget ``user``'s copy of the form of ``feature``: saved, or discarded by the editor."""
    Autosave.objects.filter(user=user, feature=feature).delete()


# Reviewers' comments ------------------------------------------------------------------------

COMMENT_MAX_LENGTH = 5000
QUOTE_LENGTH = 80


@dataclass(frozen=True)
class CommentTarget:
    """What a comment can be about: a content part, or one block of the body."""

    key: str  # a part's name, or "block:<id>"
    label: str
    quote: str = ""


def comment_targets(feature: Feature) -> list[CommentTarget]:
    """The parts of ``feature`` and the blocks of its body, as saved, in form order."""
    targets = [CommentTarget(part.name, part.label) for part in content.PARTS]
    names = dict(feature.participants.values_list("person_id", "person__name"))
    kinds = {"question": "Question", "answer": "Answer", "quote": "Pull quote", "text": "Text"}
    for number, block in enumerate(body.blocks_of(feature.body), start=1):
        speaker = names.get(block.get("speaker"))
        who = f" by {speaker}" if speaker else ""
        quote = " ".join(block["text"].split())[:QUOTE_LENGTH]
        label = f"{kinds.get(block['type'], 'Block')} {number}{who}: “{quote}”"
        targets.append(CommentTarget(f"block:{block['id']}", label, quote))
    return targets


def can_comment(user: AbstractBaseUser | None) -> bool:
    """Anyone who may see features in the admin may comment on them (reviewers)."""
    return _may(user, "features.view_feature")


def can_resolve(user: AbstractBaseUser | None, comment: Comment) -> bool:
    """Those who may edit the piece resolve comments on it, and authors their own."""
    return (user is not None and comment.author_id == user.pk) or can_edit(user, comment.feature)


def add_comment(
    *, user: AbstractBaseUser | None, feature: Feature, target: str, text: str
) -> Comment:
    """Comment on one part or block of ``feature``; ValidationError when the target is not
    one of ``comment_targets(feature)`` or the text is empty, too long or not whole text."""
    if not can_comment(user):
        raise PermissionDenied("You may not comment on features.")
    targets = {t.key: t for t in comment_targets(feature)}
    problems = []
    if target not in targets:
        problems.append("Choose what the comment is about: that part or answer is not there.")
    text = text.strip()
    if not text:
        problems.append("Write the comment.")
    elif len(text) > COMMENT_MAX_LENGTH:
        problems.append(f"Keep the comment under {COMMENT_MAX_LENGTH:,} characters.")
    elif "\x00" in text or not _is_unicode(text):
        problems.append("The comment holds characters that cannot be kept.")
    if problems:
        raise ValidationError(problems)
    return Comment.objects.create(
        feature=feature, target=target, quote=targets[target].quote, text=text, author=user
    )


def resolve_comment(*, user: AbstractBaseUser | None, comment: Comment) -> Comment:
    """Mark ``comment`` dealt with; resolving it twice changes nothing."""
    if not can_resolve(user, comment):
        raise PermissionDenied("Only those who may edit the piece resolve its comments.")
    if comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by = timezone.now(), user
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment
