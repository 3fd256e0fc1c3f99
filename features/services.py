"""Writes that span several models: the body, workflow moves, revisions, share links.

Admin views, public views and commands all call these; none of them changes a feature's
status or version in any other way.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from films.models import Film
from newsmuse.models import Image
from people.models import Person

from . import revisions
from .body import parse_body
from .models import Feature, OldSlug, Participant, Revision, Series, ShareLink, StatusChange

Status = Feature.Status
SHARE_LINK_SALT = "features.share-link"
SHARE_LINK_DAYS = 7


@transaction.atomic
def write_body(*, feature: Feature, source: str) -> None:
    """Replace the body of a saved feature from editor text; speakers must be participants.

    Raises ValidationError (and changes nothing) when the text names someone else.
    """
    speakers = [p.as_speaker() for p in feature.participants.select_related("person")]
    feature.body = parse_body(source, speakers)
    feature.save(update_fields=["body", "updated_at"])


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


def can_publish(user: AbstractBaseUser) -> bool:
    return user.has_perm("features.publish_feature")


def can_edit(user: AbstractBaseUser, feature: Feature) -> bool:
    """Editors edit every piece; contributors only their own drafts."""
    if not user.has_perm("features.change_feature"):
        return False
    if can_publish(user):
        return True
    return feature.created_by_id == user.pk and feature.status == Status.DRAFT


def allowed_moves(user: AbstractBaseUser, feature: Feature) -> list[Move]:
    return [
        move
        for move in MOVES.values()
        if feature.status in move.sources
        and (can_publish(user) if move.needs_publish_permission else can_edit(user, feature))
    ]


def publish_problems(
    *, headline: str, dek: str, hero_image: Image | None, guest_count: int, body: list
) -> list[str]:
    """Everything that keeps a piece from going public, all at once."""
    problems = []
    if not headline.strip():
        problems.append("Write a headline.")
    if not dek.strip():
        problems.append("Write a dek (the standfirst under the headline).")
    if hero_image is None:
        problems.append("Choose a hero image.")
    elif not hero_image.alt_text.strip():
        problems.append(f"Give the hero image “{hero_image}” alt text in the image library.")
    if guest_count < 1:
        problems.append("Add at least one guest under Participants.")
    if not body:
        problems.append("Write the body.")
    return problems


def feature_publish_problems(feature: Feature) -> list[str]:
    return publish_problems(
        headline=feature.headline,
        dek=feature.dek,
        hero_image=feature.hero_image,
        guest_count=feature.participants.filter(role=Participant.Role.GUEST).count(),
        body=feature.body,
    )


@transaction.atomic
def move_feature(
    *, feature: Feature, move: str, user: AbstractBaseUser, publish_at: datetime | None = None
) -> Feature:
    """Move a feature through the workflow, recording who and when.

    Raises PermissionDenied if the user may not make this move, and ValidationError (listing
    every problem) if the piece is not ready for it. Nothing changes in either case.
    """
    feature = Feature.objects.select_for_update().get(pk=feature.pk)
    step = MOVES[move]
    if step not in allowed_moves(user, feature):
        raise PermissionDenied(f"You may not {step.label.lower()} “{feature}”.")
    now = timezone.now()
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
    StatusChange.objects.create(
        feature=feature, from_status=feature.status, to_status=step.target, user=user, at=now
    )
    feature.status = step.target
    feature.save(update_fields=["status", "published_at", "updated_at"])
    record_revision(feature=feature, user=user, note=step.label)
    return feature


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
def restore_revision(*, revision: Revision, user: AbstractBaseUser) -> Feature:
    """Bring an earlier revision's content back as a draft; later revisions stay in history.

    People, films, series and images deleted since are left out. The slug stays as it is,
    so links to the piece keep working.
    """
    feature = Feature.objects.select_for_update().get(pk=revision.feature_id)
    if not can_edit(user, feature):
        raise PermissionDenied("You may not change this feature.")
    content = revision.content
    feature.headline = content["headline"]
    feature.dek = content["dek"]
    feature.series = _existing(Series, content["series"])
    feature.hero_image = _existing(Image, content["hero_image"])
    people = Person.objects.in_bulk([p["person"] for p in content["participants"]])
    wanted = {p["person"]: p for p in content["participants"] if p["person"] in people}
    # Update rows in place, so forms that colleagues have open still name real rows.
    feature.participants.exclude(person_id__in=wanted).delete()
    existing = {p.person_id: p for p in feature.participants.all()}
    for person_id, values in wanted.items():
        participant = existing.get(person_id) or Participant(
            feature=feature, person=people[person_id]
        )
        participant.role, participant.label = values["role"], values["label"]
        participant.order = values["order"]
        participant.save()
    feature.films.set(Film.objects.filter(pk__in=[f["id"] for f in content["films"]]))
    feature.tags.set(content["tags"])
    feature.body = [b for b in content["body"] if b.get("speaker") in (None, *people)]
    if feature.status != Status.DRAFT:
        StatusChange.objects.create(
            feature=feature, from_status=feature.status, to_status=Status.DRAFT, user=user
        )
    feature.status = Status.DRAFT
    feature.save()
    record_revision(feature=feature, user=user, note=f"Restored version {revision.version}")
    return feature


def _existing(model, ref):
    return model.objects.filter(pk=ref["id"]).first() if ref else None


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
