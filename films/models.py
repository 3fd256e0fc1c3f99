from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Max, Min, Prefetch, Q
from django.utils import timezone

from newsmuse.models import WebURLField
from newsmuse.paths import path_to


class FilmQuerySet(models.QuerySet):
    def for_box(self):
        """What a film box and the film page show besides the credits: the poster and where
        to watch it now. One query for any number of films, after the films themselves.

        Credits come from ``Credit.objects.involving()``, so that a page showing films and
        people loads all their credits in one query.
        """
        return self.select_related("poster").prefetch_related(
            Prefetch("watch_options", queryset=WatchOption.objects.available()),
        )


class Film(models.Model):
    """A film or a TV series."""

    class Kind(models.TextChoices):
        FILM = "film", "Film"
        SERIES = "series", "TV series"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.FILM)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of first release; leave blank if unknown."
    )
    runtime = models.PositiveSmallIntegerField(
        "runtime (minutes)", null=True, blank=True, help_text="Leave blank for series."
    )
    synopsis = models.TextField(blank=True)
    poster = models.ForeignKey(
        "newsmuse.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    trailer_url = WebURLField("trailer link", blank=True)
    studio = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FilmQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1870, year__lte=2200),
                name="film_year_plausible",
                violation_error_message="Enter a release year between 1870 and 2200.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    def get_absolute_url(self):
        return path_to("films:detail", self.slug)


class CreditQuerySet(models.QuerySet):
    def for_filmography(self):
        """A person's credits with their films, for lists of earlier work (one query)."""
        return self.select_related("film")

    def involving(self, *, films=(), people=()):
        """Credits on any of these films or of any of these people, each with its film and
        person: one query for a page that shows both, such as a feature's film boxes and its
        guests' earlier work. Films and people may be given as objects or ids."""
        return self.filter(Q(film__in=films) | Q(person__in=people)).select_related(
            "film", "person"
        )


class Credit(models.Model):
    """Who did what on a film: directing, writing, acting, or being the subject of the story."""

    class Role(models.TextChoices):
        DIRECTOR = "director", "Director"
        WRITER = "writer", "Writer"
        CREATOR = "creator", "Creator"
        PRODUCER = "producer", "Producer"
        CAST = "cast", "Cast"
        SUBJECT = "subject", "Subject of the story"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=20, choices=Role)
    character = models.CharField(max_length=200, blank=True, help_text="For cast credits.")
    note = models.CharField(
        max_length=200, blank=True, help_text="Shown after the credit, e.g. “two episodes”."
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "person", "role", "character"],
                name="credit_unique_per_film",
                violation_error_message="This person already has this credit on this film.",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}, {self.film}"


class WatchOptionQuerySet(models.QuerySet):
    def available(self, at=None):
        """Options whose availability window includes ``at`` (default: now)."""
        at = at or timezone.now()
        return self.filter(
            Q(available_from__isnull=True) | Q(available_from__lte=at),
            Q(available_until__isnull=True) | Q(available_until__gt=at),
        )

    def clock(self, now):
        """``(last, next)``: the latest moment at or before ``now`` when an option came or
        went, and the first after it; pages listing options change then (one query)."""
        times = self.aggregate(
            opened=Max("available_from", filter=Q(available_from__lte=now)),
            opens=Min("available_from", filter=Q(available_from__gt=now)),
            closed=Max("available_until", filter=Q(available_until__lte=now)),
            closes=Min("available_until", filter=Q(available_until__gt=now)),
        )
        lasts = [t for t in (times["opened"], times["closed"]) if t is not None]
        nexts = [t for t in (times["opens"], times["closes"]) if t is not None]
        return max(lasts, default=None), min(nexts, default=None)


class WatchOption(models.Model):
    """Where a reader can watch a film: a provider, a link, and when it is on offer."""

    class Kind(models.TextChoices):
        STREAM = "stream", "Stream"
        RENT = "rent", "Rent"
        BUY = "buy", "Buy"
        THEATRES = "theatres", "In theatres"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="watch_options")
    provider = models.CharField(max_length=100, help_text="E.g. Prime Video, Netflix, HBO.")
    url = WebURLField("link", max_length=500)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.STREAM)
    region = models.CharField(
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z]{2}$", "Enter a two-letter country code, e.g. US.")],
        help_text="Two-letter country code (e.g. US); blank where it is available everywhere.",
    )
    available_from = models.DateTimeField(null=True, blank=True)
    available_until = models.DateTimeField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = WatchOptionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_until__gt=models.F("available_from")),
                name="watchoption_window_ordered",
                violation_error_message="“Available until” must be later than “available from”.",
            ),
            models.UniqueConstraint(
                fields=["film", "provider", "kind", "region"],
                name="watchoption_unique_per_film",
                violation_error_message="This film already has this option for this region.",
            ),
        ]

    def __str__(self):
        return f"{self.call_to_action} — {self.film}"

    def save(self, *args, **kwargs):
        self.region = self.region.upper()
        super().save(*args, **kwargs)

    @property
    def call_to_action(self):
        """The button text readers see, e.g. “Watch on Prime Video”."""
        verbs = {
            self.Kind.STREAM: "Watch on",
            self.Kind.RENT: "Rent on",
            self.Kind.BUY: "Buy on",
            self.Kind.THEATRES: "Tickets at",
        }
        return f"{verbs[self.kind]} {self.provider}"
