"""Small factories for test data; every object they make is valid and saved."""

from datetime import timedelta

import factory
from django.db import connection
from django.utils import timezone

from features import services
from features.content import FeatureContent
from features.models import Feature, Participant, Series
from films.models import Credit, Film, WatchOption
from newsmuse.models import Image
from people.models import Person


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    title = factory.Sequence(lambda n: f"Image {n}")
    file = factory.django.ImageField(width=32, height=18, color="navy")
    alt_text = factory.Sequence(lambda n: f"Alt text {n}")
    caption = "A caption"
    credit = "A photographer"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    description = "Someone worth talking to"
    bio = "A short bio."


class FilmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Film

    title = factory.Sequence(lambda n: f"Film {n}")
    slug = factory.Sequence(lambda n: f"film-{n}")
    year = 2020
    synopsis = "What happens in the film."


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    film = factory.SubFactory(FilmFactory)
    person = factory.SubFactory(PersonFactory)
    role = Credit.Role.DIRECTOR


class WatchOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WatchOption

    film = factory.SubFactory(FilmFactory)
    provider = factory.Sequence(lambda n: f"Provider {n}")
    url = "https://watch.example/film"
    kind = WatchOption.Kind.STREAM


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    name = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")


class FeatureFactory(factory.django.DjangoModelFactory):
    """A published feature by default; pass status=… for the others."""

    class Meta:
        model = Feature

    headline = factory.Sequence(lambda n: f"Headline {n}")
    slug = factory.Sequence(lambda n: f"feature-{n}")
    dek = "The standfirst."
    series = factory.SubFactory(SeriesFactory)
    hero_image = factory.SubFactory(ImageFactory)
    status = Feature.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    feature = factory.SubFactory(FeatureFactory)
    person = factory.SubFactory(PersonFactory)
    role = Participant.Role.GUEST


def make_feature(*, guests=1, films=1, tags=1, **fields):
    """A published feature with an interviewer, `guests` guests with portraits and earlier
    work, `films` films with credits and watch options, and `tags` tags."""
    feature = FeatureFactory(**fields)
    ParticipantFactory(feature=feature, role=Participant.Role.INTERVIEWER)
    for order in range(guests):
        guest = ParticipantFactory(
            feature=feature, order=order + 1, person__portrait=ImageFactory(), label="Guest"
        )
        CreditFactory(person=guest.person)
    for _ in range(films):
        film = FilmFactory(poster=ImageFactory())
        CreditFactory(film=film)
        WatchOptionFactory(film=film)
        feature.films.add(film)
    feature.tags.add(*[f"tag {n}" for n in range(tags)])
    return feature


def write_body(feature, text):
    """Give a feature a body written as editors write it, through the one save path."""
    content = FeatureContent.of(feature)
    content.set_body_text(text)
    return services.save_feature(user=None, content=content, feature=feature)


def hostile_text() -> str:
    """Markup, the end of a CDATA section, control characters, a non-character and an emoji:
    text that must still make valid XML. PostgreSQL cannot store NUL at all (and the admin's
    forms refuse it), so only SQLite gets one."""
    nul = "" if connection.vendor == "postgresql" else "\x00"
    return f"<script>alert(1)</script> ]]> \x0b{nul}\x1f\ufffe tab\there 🚀 &amp;"
