from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from taggit.models import Tag

from films.models import Credit, Film
from newsmuse import visibility
from newsmuse.sections import Section

from . import services
from .feeds import feed_links
from .models import Feature, OldSlug, Series

# Cards on the home page and on each page of a series or a tag.
PAGE_SIZE = 24


def home(request):
    features = Feature.objects.published().for_listing()[:PAGE_SIZE]
    context = {"features": features, "feeds": feed_links(settings.SITE_NAME, "feed")}
    return render(request, "features/home.html", context)


def feature_detail(request, slug):
    """The feature page. Staff who may see drafts get any piece here, marked as a preview;
    a slug the piece used to have redirects to its current address."""
    try:
        # get(), not first(): a slug is unique, and first() would sort the match.
        feature = Feature.objects.published().for_page().get(slug=slug)
    except Feature.DoesNotExist:
        pass
    else:
        return _feature_page(request, feature)
    old = OldSlug.objects.filter(slug=slug, feature__in=Feature.objects.published()).first()
    if old is not None:
        return HttpResponsePermanentRedirect(old.feature.get_absolute_url())
    if request.user.has_perm("features.view_feature"):
        feature = get_object_or_404(Feature.objects.for_page(), slug=slug)
        return _feature_page(request, feature, preview="Preview — not published")
    raise Http404("No published feature here.")


def shared_preview(request, token):
    """A reviewer's read-only preview through a share link; 404 once expired or revoked."""
    link = services.active_share_link(token)
    if link is None:
        raise Http404("This preview link has expired or been revoked.")
    feature = Feature.objects.for_page().get(pk=link.feature_id)
    expires = date_format(timezone.localtime(link.expires_at), "j F Y, H:i")
    state = "published" if feature.is_public else "not published"
    return _feature_page(
        request, feature, preview=f"Preview — {state}. This link works until {expires}."
    )


def _feature_page(request, feature, preview=None):
    films = feature.films.all()
    guests = feature.guests
    credits = Credit.objects.involving(films=films, people=[guest.person_id for guest in guests])
    # The piece's own films always show their credits, previews included; a guest's earlier
    # work leaves out films readers may not see yet.
    credits = list(visibility.public(credits, ref="film", model=Film, always=Q(film__in=films)))
    discussed = {film.pk for film in films}
    earlier_work = [credit for credit in credits if credit.film_id not in discussed]
    context = {
        "feature": feature,
        "film_boxes": [(film, [c for c in credits if c.film_id == film.pk]) for film in films],
        "guests": [
            (guest, [c for c in earlier_work if c.person_id == guest.person_id]) for guest in guests
        ],
        "preview": preview,
    }
    response = render(request, "features/feature_detail.html", context)
    if preview or not feature.is_public:
        # Never cached by a shared cache, never indexed.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def series_detail(request, slug):
    """A series is public once it has a published feature; until then it is a 404."""
    series = get_object_or_404(Series, slug=slug)
    page = _page_of(request, series.features.published().for_listing())
    context = {
        "series": series,
        "page": page,
        "features": page.object_list,
        "feeds": feed_links(series.name, "series_feed", series.slug),
    }
    return render(request, "features/series_detail.html", context)


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = _page_of(request, Feature.objects.published().filter(tags=tag).for_listing())
    context = {
        "tag": tag,
        "page": page,
        "features": page.object_list,
        "feeds": feed_links(tag.name, "tag_feed", tag.slug),
    }
    return render(request, "features/tag_detail.html", context)


def _page_of(request, features):
    """One page of a list of features (two queries: the count and the page). A list with no
    published features, or a page number that is not one of its pages, is a 404."""
    paginator = Paginator(features, PAGE_SIZE, allow_empty_first_page=False)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No published features here.") from error


def person_features_section(person):
    """The person page's published interviews with or by them, and their feeds (one query)."""
    feeds = feed_links(person.name, "person_feed", person.slug)
    return _feature_links(Feature.objects.filter(participants__person=person), feeds=feeds)


def film_features_section(film):
    """The film page's published features about the film (one query)."""
    return _feature_links(film.features.all())


def _feature_links(features, feeds=()):
    features = list(features.published().select_related("series"))
    if not features:
        return None
    return Section("features/_feature_links.html", {"features": features}, feeds=feeds)
