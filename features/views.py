from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from films.models import Credit, Film, WatchOption
from newsmuse.sections import Section

from .models import Feature, Participant, Series

HOME_PAGE_SIZE = 24


def home(request):
    features = Feature.objects.published().for_listing()[:HOME_PAGE_SIZE]
    return render(request, "features/home.html", {"features": features})


def feature_detail(request, slug):
    feature = get_object_or_404(
        Feature.objects.published()
        .select_related("series", "hero_image")
        .prefetch_related(
            "hero_image__renditions",
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("person__portrait").prefetch_related(
                    "person__portrait__renditions",
                    Prefetch("person__credits", queryset=Credit.objects.select_related("film")),
                ),
            ),
            Prefetch(
                "films",
                queryset=Film.objects.select_related("poster").prefetch_related(
                    "poster__renditions",
                    Prefetch("credits", queryset=Credit.objects.select_related("person")),
                    Prefetch("watch_options", queryset=WatchOption.objects.available()),
                ),
            ),
            "tags",
        ),
        slug=slug,
    )
    discussed = {film.pk for film in feature.films.all()}
    guests = [
        (guest, [c for c in guest.person.credits.all() if c.film_id not in discussed])
        for guest in feature.guests
    ]
    context = {"feature": feature, "guests": guests}
    return render(request, "features/feature_detail.html", context)


def series_detail(request, slug):
    """A series is public once it has a published feature; until then it is a 404."""
    series = get_object_or_404(Series, slug=slug)
    features = list(series.features.published().for_listing())
    if not features:
        raise Http404("No published features in this series.")
    return render(request, "features/series_detail.html", {"series": series, "features": features})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    features = list(Feature.objects.published().filter(tags=tag).for_listing())
    if not features:
        raise Http404("No published features with this tag.")
    return render(request, "features/tag_detail.html", {"tag": tag, "features": features})


def person_features_section(person):
    """The person page's published interviews with or by them (one query)."""
    features = list(
        Feature.objects.published()
        .filter(participants__person=person)
        .select_related("series", "hero_image")
    )
    return Section("features/_feature_links.html", {"features": features}) if features else None


def film_features_section(film):
    """The film page's published features about the film (one query)."""
    features = list(film.features.published().select_related("series", "hero_image"))
    return Section("features/_feature_links.html", {"features": features}) if features else None
