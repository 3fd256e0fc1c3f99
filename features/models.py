from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import (
    Count,
    Exists,
    Expression,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from newsmuse.db import json_rows
from newsmuse.paths import path_to

from . import body


class SeriesQuerySet(models.QuerySet):
    def with_public_count(self):
        """Series with at least one piece readers may see, each with ``count``, how many
        (one query)."""
        now = timezone.now()
        public = Q(features__status__in=Feature.PUBLIC_STATUSES, features__published_at__lte=now)
        return self.annotate(count=Count("features", filter=public)).filter(count__gt=0)


class Series(models.Model):
    """A named column, such as NEWS x MUSE, with its own page."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "series"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_to("features:series", self.slug)


def _shares(links, piece, guest=0, film=0, tag=0):
    """Link rows as (piece, shares_guest, shares_film, shares_tag), for ``_RankedLinks``."""
    return (
        links.annotate(
            piece=F(piece),
            shares_guest=Value(guest),
            shares_film=Value(film),
            shares_tag=Value(tag),
        )
        .values("piece", "shares_guest", "shares_film", "shares_tag")
        .order_by()
    )


class _RankedLinks(Expression):
    """The ids of the ``limit`` candidates that share the most with a piece, ranked by the
    database from ``links`` (``_shares`` rows of every link to what the piece has) in one
    pass: a shared guest first, then a shared film, then the most shared tags, then the
    newest. ``candidates`` gives each piece that may be chosen with its publication time.

    Ranking each candidate with subqueries of its own would look its links up again, once
    per candidate and kind of link; grouping the link rows reads each of them once.
    """

    output_field = models.IntegerField()

    def __init__(self, links, candidates, limit):
        super().__init__()
        # Rows are grouped, so no order of theirs is needed (and Django 6 would order a union
        # by its first part's default ordering, a column the union does not have).
        self.links, self.candidates = links.order_by(), candidates.order_by()
        self.limit = limit

    def as_sql(self, compiler, connection):
        links, links_params = self.links.query.get_compiler(connection=connection).as_sql()
        pieces, pieces_params = self.candidates.query.get_compiler(connection=connection).as_sql()
        sql = (
            f"(SELECT link.piece FROM ({links}) link"
            f" INNER JOIN ({pieces}) candidate ON candidate.pk = link.piece"
            " GROUP BY link.piece"
            " ORDER BY MAX(link.shares_guest) DESC, MAX(link.shares_film) DESC,"
            " SUM(link.shares_tag) DESC, MAX(candidate.published_at) DESC, link.piece DESC"
            f" LIMIT {int(self.limit)})"
        )
        return sql, (*links_params, *pieces_params)


class FeatureQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see at ``now`` (by default, now): published or scheduled, once
        the publication time has come.

        A scheduled piece needs no job to go live: it is public from its time on.
        """
        return self.filter(
            status__in=[Feature.Status.PUBLISHED, Feature.Status.SCHEDULED],
            published_at__lte=now or timezone.now(),
        )

    def clock(self, now):
        """``(last, next)``: the latest publication time at or before ``now`` among published
        and scheduled pieces, and the first after it. A scheduled piece goes public by the
        clock alone, so page caches key on these (one query)."""
        times = self.filter(status__in=Feature.PUBLIC_STATUSES).aggregate(
            last=Max("published_at", filter=Q(published_at__lte=now)),
            next=Min("published_at", filter=Q(published_at__gt=now)),
        )
        return times["last"], times["next"]

    def with_page_tags(self, content_type):
        """With the tags ``page_tags`` reads (``tag_rows``) in the same query;
        ``content_type`` is the id of Feature's content type."""
        return self.annotate(
            tag_rows=json_rows(
                TaggedItem.objects.filter(content_type=content_type, object_id=OuterRef("pk")),
                group_by="object_id",
                id="tag_id",
                name="tag__name",
                slug="tag__slug",
            )
        )

    def related_to(self, feature, content_type, limit=3):
        """Up to ``limit`` other pieces that share a guest, a film or a tag with ``feature``
        (a piece or its id; ``content_type`` is the id of Feature's content type): a shared
        guest first, then a shared film, then the most shared tags, newest first among
        equals. Cards with their guests' names (``guest_names``), in one query whose SQL is
        the same for every piece (see ``features.page``).

        The ranking reads only link rows, each once, through indexes that start with the
        guest, the film or the tag (for tags, migration features 0012): its cost follows
        how many pieces share something with this one (a tag most of the archive carries
        makes it read most of the archive's links), not the archive's size as such."""
        guest = Participant.Role.GUEST
        guests = Participant.objects.filter(feature=feature, role=guest).values("person_id")
        films = Feature.films.through.objects.filter(feature=feature).values("film_id")
        tags = TaggedItem.objects.filter(content_type=content_type, object_id=feature)
        guest_links = Participant.objects.filter(role=guest, person_id__in=guests)
        film_links = Feature.films.through.objects.filter(film_id__in=films)
        tag_links = TaggedItem.objects.filter(
            content_type=content_type, tag_id__in=tags.values("tag_id")
        )
        chosen = _RankedLinks(
            _shares(guest_links, "feature_id", guest=1).union(
                _shares(film_links, "feature_id", film=1),
                _shares(tag_links, "object_id", tag=1),
                all=True,
            ),
            candidates=self.exclude(pk=feature).values("pk", "published_at"),
            limit=limit,
        )
        shared_tags = tag_links.filter(object_id=OuterRef("pk")).values("object_id")
        return (
            self.filter(pk__in=chosen)
            .select_related("series", "hero_image")
            .only("headline", "slug", "published_at", "series__name", "series__slug", "hero_image")
            .with_people_names()
            .order_by(
                # The chosen few in the order they were chosen.
                Exists(guest_links.filter(feature=OuterRef("pk"))).desc(),
                Exists(film_links.filter(feature=OuterRef("pk"))).desc(),
                Subquery(shared_tags.annotate(count=Count("*")).values("count")).desc(
                    nulls_last=True
                ),
                "-published_at",
                "-id",
            )
        )

    def with_people_names(self):
        """With the names ``guest_names`` and ``interviewer_names`` read (``people_rows``)
        in the same query: a card names people but shows nothing else of theirs."""
        return self.annotate(
            people_rows=json_rows(
                Participant.objects.filter(feature=OuterRef("pk")),
                group_by="feature",
                name="person__name",
                role="role",
                order="order",
                id="id",
            )
        )

    def for_listing(self):
        """What a list of features shows: series, hero image and the people's names, in
        one query for any number of features. Bodies, the long texts a card never shows,
        stay in the database."""
        return self.select_related("series", "hero_image").defer("body").with_people_names()


class Feature(models.Model):
    """An interview feature: who talked with whom, about which films, and what they said."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, null=True, blank=True, related_name="features"
    )
    headline = models.CharField(max_length=250)
    slug = models.SlugField(max_length=250, unique=True)
    dek = models.TextField(
        "dek", max_length=600, blank=True, help_text="The standfirst under the headline."
    )
    hero_image = models.ForeignKey(
        "newsmuse.Image", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    films = models.ManyToManyField(
        "films.Film", blank=True, related_name="features", verbose_name="films discussed"
    )
    tags = TaggableManager(blank=True)
    body = models.JSONField(
        default=body.empty, editable=False, help_text="Blocks with stable ids; see features.body."
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="When the piece goes live. Readers never see it before this time.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Contributors may edit only the drafts they created.",
    )
    version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Goes up by one with every save."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeatureQuerySet.as_manager()

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.SCHEDULED)

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("publish_feature", "Can publish, schedule and unpublish features")]
        indexes = [
            # Lists walk this index newest first and stop after a page, at any archive size.
            # It is the only index on the publication time, so that SQLite takes it even
            # before ANALYZE has given it statistics (with a (status, published_at) index
            # beside it, it sorted every public feature for each list).
            models.Index(fields=["-published_at", "-id"], name="feature_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["published", "scheduled"]) | Q(published_at__isnull=False),
                name="feature_published_has_time",
                violation_error_message="Published and scheduled features need a publication time.",
            ),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return path_to("features:detail", self.slug)

    @property
    def is_public(self):
        """Whether readers can see it now (the same rule as FeatureQuerySet.published)."""
        return (
            self.status in self.PUBLIC_STATUSES
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def interviewers(self):
        return [p for p in self.participants.all() if p.role == Participant.Role.INTERVIEWER]

    @property
    def guests(self):
        return [p for p in self.participants.all() if p.role == Participant.Role.GUEST]

    @cached_property
    def page_tags(self):
        """The tags, by name, from the row ``FeatureQuerySet.with_page_tags()`` loaded (no
        query)."""
        tags = [PageTag(row["name"], row["slug"]) for row in self.tag_rows or []]
        return sorted(tags, key=lambda tag: (tag.name.casefold(), tag.slug))

    @property
    def guest_names(self):
        """The guests' names in page order, from ``FeatureQuerySet.with_people_names()``."""
        return self._names_of(Participant.Role.GUEST)

    @property
    def interviewer_names(self):
        """The interviewers' names in page order, as ``guest_names``."""
        return self._names_of(Participant.Role.INTERVIEWER)

    def _names_of(self, role):
        if not hasattr(self, "people_rows"):
            raise AttributeError(
                "The people's names come with the row: load it with with_people_names(), "
                "for_listing() or related_to()."
            )
        rows = sorted(self.people_rows or [], key=lambda row: (row["order"], row["id"]))
        return [row["name"] for row in rows if row["role"] == role]

    def blocks(self):
        """The body with each speaker's Participant attached, for templates."""
        by_person = {participant.person_id: participant for participant in self.participants.all()}
        return [
            BodyBlock(
                block["id"], block["type"], block["text"], by_person.get(block.get("speaker"))
            )
            for block in body.blocks_of(self.body)
        ]

    def body_source(self):
        """The body as the text editors write (see features.body). Costs one query."""
        names = dict(self.participants.values_list("person_id", "person__name"))
        return body.format_body(body.blocks_of(self.body), names)


@dataclass(frozen=True)
class PageTag:
    """A tag as a page links to it."""

    name: str
    slug: str

    def get_absolute_url(self):
        return path_to("features:tag", self.slug)


@dataclass(frozen=True)
class BodyBlock:
    """One block of a body as readers see it, on the page and in the editor's preview."""

    id: str
    type: str
    text: str
    speaker: "Participant | None"

    @property
    def paragraphs(self):
        return [line for line in self.text.split("\n") if line.strip()]

    @property
    def html(self) -> SafeString:
        """The block's markup: a question or an answer opens with its speaker's name, a
        quote is a figure with the speaker as caption, anything else is plain paragraphs.
        Built in Python rather than a template: a long interview has hundreds of them."""
        anchor = f' id="b-{escape(self.id)}"'
        paragraphs = [body.inline_html(paragraph) for paragraph in self.paragraphs]
        name = escape(self.speaker.person.name) if self.speaker else ""
        if self.type in ("question", "answer"):
            said = "Question from" if self.type == "question" else "Answer from"
            speaker = (
                f'<strong class="qa__speaker"><span class="visually-hidden">{said} </span>'
                f"{name or 'Unknown speaker'}:</strong> "
            )
            text = "".join(
                f"<p>{speaker if number == 0 else ''}{paragraph}</p>"
                for number, paragraph in enumerate(paragraphs)
            )
            return mark_safe(f'<div class="qa qa--{self.type}"{anchor}>{text}</div>')
        if self.type == "quote":
            quoted = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
            caption = f"<figcaption>{name}</figcaption>" if name else ""
            return mark_safe(
                f'<figure class="pullquote"{anchor}><blockquote>{quoted}</blockquote>'
                f"{caption}</figure>"
            )
        return mark_safe(
            "".join(
                f"<p{anchor if number == 0 else ''}>{paragraph}</p>"
                for number, paragraph in enumerate(paragraphs)
            )
        )


class Participant(models.Model):
    """A person in a feature: an interviewer (the byline) or a guest, in page order."""

    class Role(models.TextChoices):
        INTERVIEWER = "interviewer", "Interviewer"
        GUEST = "guest", "Guest"

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=12, choices=Role)
    label = models.CharField(
        max_length=100,
        blank=True,
        help_text="Shown with the name on this piece, e.g. “Astronaut” or “Director”.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["feature", "person"],
                name="participant_once_per_feature",
                violation_error_message="This person is already a participant of this feature.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["interviewer", "guest"]),
                name="participant_role_chosen",
                violation_error_message="Choose Interviewer or Guest as the role.",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class HistoryIsAppendOnly(Exception):
    """Raised on any attempt to change or delete a revision or a status change."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise HistoryIsAppendOnly("History cannot be changed.")

    def delete(self):
        raise HistoryIsAppendOnly("History cannot be deleted; delete the feature instead.")


class AppendOnly(models.Model):
    """A history row: written once, never changed or deleted. Deleting its feature removes it
    (the cascade deletes rows directly, without these methods)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistoryIsAppendOnly("History cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsAppendOnly("History cannot be deleted; delete the feature instead.")


class StatusChange(AppendOnly):
    """One move of a feature through the workflow: who moved it, when, from where to where."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=Feature.Status)
    to_status = models.CharField(max_length=12, choices=Feature.Status)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Revision(AppendOnly):
    """Everything a feature said at one save, so it can be compared and brought back."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Feature.Status)
    content = models.JSONField(help_text="A snapshot made by features.revisions.snapshot().")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "version"], name="revision_one_per_version")
        ]

    def __str__(self):
        return f"{self.feature} — version {self.version}"


class OldSlug(models.Model):
    """A slug a published feature used to have; its URL redirects to the current one."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=250, unique=True)

    def __str__(self):
        return self.slug


class ShareLink(models.Model):
    """A read-only preview of a feature for a reviewer without an account."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview link for {self.feature}"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class SearchEntry(models.Model):
    """What site search matches for one feature, or (with ``person``) for what one person
    said in it. The text is folded (newsmuse.text.fold), so that accents and case never
    matter, and kept by features.search whenever a feature or a name in it changes. Each
    database indexes these rows its own way: see features.search."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, related_name="+"
    )
    title = models.TextField(help_text="The headline and the people's names: ranked first.")
    summary = models.TextField(help_text="The dek, the films' titles and the tags.")
    body = models.TextField(help_text="The body, or what the person said.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feature"],
                condition=Q(person__isnull=True),
                name="searchentry_one_per_feature",
            ),
            models.UniqueConstraint(
                fields=["feature", "person"], name="searchentry_one_per_speaker"
            ),
        ]

    def __str__(self):
        return f"Search entry for {self.feature_id}"


class Autosave(models.Model):
    """An editor's unsaved changes to a feature form, sent by the form a moment after typing
    stops (``newsmuse/admin/keep-edits.js``), so that they outlive the browser. It is only a
    copy of the form: nothing readers see changes until the editor saves, and saving it
    goes through the same checks and merge as any other save (``base_version``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    feature = models.ForeignKey(
        Feature,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="autosaves",
        help_text="Empty for a piece that has not been saved yet.",
    )
    base_version = models.PositiveIntegerField(
        default=0, help_text="The feature's version when the editor opened the form."
    )
    fields = models.JSONField(help_text="The form's fields as the editor left them.")
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "feature"], name="autosave_once_per_editor_and_feature"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(feature__isnull=True),
                name="autosave_once_per_editor_for_a_new_piece",
            ),
        ]

    def __str__(self):
        return f"{self.user}'s unsaved changes to {self.feature or 'a new feature'}"


class Comment(models.Model):
    """A reviewer's note on one part of a feature (its headline, say) or on one block of
    its body, by block id, for the people who write it. Readers never see comments."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="comments")
    target = models.CharField(
        max_length=40, help_text="A content part (features.content.PARTS) or “block:<id>”."
    )
    quote = models.CharField(
        max_length=200, blank=True, help_text="The start of the block, as it read then."
    )
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Comment on {self.target} of {self.feature}"

    @property
    def block_id(self) -> str | None:
        return self.target.removeprefix("block:") if self.target.startswith("block:") else None
