from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from taggit.models import Tag

from films.models import Film
from newsmuse import share, visibility
from newsmuse.paging import page_of, page_path
from newsmuse.sections import Section
from people.models import Person

from . import page, search, services
from .body import blocks_of
from .feeds import feed_links
from .models import Feature, OldSlug, Series

# Cards on each page of a series, a tag or the archive.
PAGE_SIZE = 24
# Pieces on the home page: the lead, then four rows of three.
HOME_SIZE = 13
# Results on each page of a search.
SEARCH_PAGE_SIZE = 20


def home(request):
    """The newest piece as the lead, the next ones in a grid, then every series: two
    queries (features with their people's names, the series) however many pieces there are."""
    features = list(Feature.objects.published().for_listing()[:HOME_SIZE])
    home_url = share.absolute(request, "/")
    search_url = share.absolute(request, "/search/")
    context = {
        "features": features,
        "lead": features[0] if features else None,
        "latest": features[1:],
        "series": Series.objects.with_public_count(),
        "feeds": feed_links(settings.SITE_NAME, "feed"),
        "share": share.ShareCard(settings.SITE_NAME, settings.SITE_DESCRIPTION, home_url),
        "structured_data": [
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": settings.SITE_NAME,
                "description": settings.SITE_DESCRIPTION,
                "url": home_url,
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": f"{search_url}?q={{search_term_string}}",
                    "query-input": "required name=search_term_string",
                },
            }
        ],
    }
    return render(request, "features/home.html", context)


def feature_detail(request, slug):
    """The feature page. Staff who may see drafts get any piece here, marked as a preview;
    a slug the piece used to have redirects to its current address."""
    now = timezone.now()
    feature = page.public_feature(slug, now)
    if feature is not None:
        return _feature_page(request, feature, now)
    old = OldSlug.objects.filter(slug=slug, feature__in=Feature.objects.published(now)).first()
    if old is not None:
        return HttpResponsePermanentRedirect(old.feature.get_absolute_url())
    if request.user.has_perm("features.view_feature"):
        feature = page.any_feature(slug=slug)
        if feature is not None:
            return _feature_page(request, feature, now, preview="Preview — not published")
    raise Http404("No published feature here.")


def shared_preview(request, token):
    """A reviewer's read-only preview through a share link; 404 once expired or revoked."""
    link = services.active_share_link(token)
    if link is None:
        raise Http404("This preview link has expired or been revoked.")
    feature = page.any_feature(pk=link.feature_id)
    expires = date_format(timezone.localtime(link.expires_at), "j F Y, H:i")
    state = "published" if feature.is_public else "not published"
    return _feature_page(
        request,
        feature,
        timezone.now(),
        preview=f"Preview — {state}. This link works until {expires}.",
    )


def _feature_page(request, feature, now, preview=None):
    loaded = page.load(feature, now)
    context = {
        "feature": feature,
        "film_boxes": loaded.film_boxes,
        "guests": loaded.guests,
        "preview": preview,
        "related": loaded.related,
    }
    if not preview:
        context |= _feature_share(request, feature)
    response = render(request, "features/feature_detail.html", context)
    if preview or not feature.is_public:
        # Never cached by a shared cache, never indexed.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _feature_share(request, feature) -> dict:
    """The feature's share card and its NewsArticle and breadcrumbs (no queries)."""
    url = share.absolute(request, feature.get_absolute_url())
    hero = share.picture(request, feature.hero_image, "hero")
    description = feature.dek or feature.headline

    def person(participant):
        return {
            "@type": "Person",
            "name": participant.person.name,
            "url": share.absolute(request, participant.person.get_absolute_url()),
        }

    films = [
        {
            "@type": "TVSeries" if film.kind == Film.Kind.SERIES else "Movie",
            "name": film.title,
            "url": share.absolute(request, film.get_absolute_url()),
        }
        for film in feature.films.all()
    ]
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": feature.headline[:110],
        "description": description,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": feature.published_at.isoformat() if feature.published_at else None,
        "dateModified": feature.updated_at.isoformat(),
        "author": [person(p) for p in feature.interviewers] or [share.publisher(request)],
        "publisher": share.publisher(request),
        "about": [person(p) for p in feature.guests] + films,
        "keywords": [tag.name for tag in feature.page_tags],
    }
    if hero:
        article["image"] = [hero.url]
    trail = [(settings.SITE_NAME, share.absolute(request, "/"))]
    if feature.series:
        trail.append(
            (feature.series.name, share.absolute(request, feature.series.get_absolute_url()))
        )
    trail.append((feature.headline, url))
    card = share.ShareCard(
        feature.headline,
        description,
        url,
        kind="article",
        picture=hero,
        alt=feature.hero_image.alt if feature.hero_image else "",
    )
    return {"share": card, "structured_data": [article, share.breadcrumbs(*trail)]}


def archive(request):
    """Every public piece, newest first (two queries for the page, one for its people)."""
    page = page_of(request, Feature.objects.published().for_listing(), PAGE_SIZE)
    url = share.absolute(request, page_path(reverse("features:archive"), page))
    description = f"Every interview on {settings.SITE_NAME}, newest first."
    context = {
        "page": page,
        "features": page.object_list,
        "share": share.ShareCard("All interviews", description, url),
    }
    return render(request, "features/archive.html", context)


def series_index(request):
    """Every series with a public piece, and how many it has (one query)."""
    series = Series.objects.with_public_count()
    entries = [(s.get_absolute_url(), s.name, _interviews(s.count)) for s in series]
    return _index(request, "Series", "features:series_index", entries, "No series yet.")


def tag_index(request):
    """Every tag of a public piece, and how many pieces have it (one query)."""
    tags = (
        Feature.objects.published()
        .exclude(tags=None)
        .values("tags__slug", "tags__name")
        .annotate(count=Count("id"))
        .order_by("tags__name", "tags__slug")
    )
    entries = [
        (reverse("features:tag", args=[t["tags__slug"]]), t["tags__name"], _interviews(t["count"]))
        for t in tags
    ]
    return _index(request, "Tags", "features:tag_index", entries, "No tags yet.")


def _interviews(count: int) -> str:
    return f"{count} interview{'s' if count != 1 else ''}"


def _index(request, title, url_name, entries, empty_text):
    description = f"{title} on {settings.SITE_NAME}."
    url = share.absolute(request, reverse(url_name))
    context = {
        "title": title,
        "entries": entries,
        "empty_text": empty_text,
        "share": share.ShareCard(title, description, url),
    }
    return render(request, "features/index.html", context)


def series_detail(request, slug):
    """A series is public once it has a published feature; until then it is a 404."""
    series = get_object_or_404(Series, slug=slug)
    page = _page_of(request, series.features.published().for_listing())
    description = series.description or f"Interviews in the series {series.name}."
    url = share.absolute(request, page_path(series.get_absolute_url(), page))
    context = {
        "series": series,
        "page": page,
        "features": page.object_list,
        "share": share.ShareCard(series.name, description, url),
        "feeds": feed_links(series.name, "series_feed", series.slug),
    }
    return render(request, "features/series_detail.html", context)


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = _page_of(request, Feature.objects.published().filter(tags=tag).for_listing())
    url = share.absolute(request, page_path(reverse("features:tag", args=[tag.slug]), page))
    context = {
        "tag": tag,
        "page": page,
        "features": page.object_list,
        "share": share.ShareCard(tag.name, f"Interviews about {tag.name}.", url),
        "feeds": feed_links(tag.name, "tag_feed", tag.slug),
    }
    return render(request, "features/tag_detail.html", context)


def search_results(request):
    """Site search (features.search): public features matching ``q``, best first, with a
    snippet each; ``person`` (a slug) narrows it to what that person said. Three queries
    (the page of matches, those features, their people), and one for the person."""
    typed = request.GET.get("q", "")
    query = search.clean_query(typed)
    person = None
    if slug := request.GET.get("person", ""):
        person = visibility.public(Person.objects.filter(slug=slug[:200])).first()
    try:
        number = max(1, min(int(request.GET.get("page", 1)), 1000))
    except ValueError:
        number = 1
    results, total = [], 0
    if query:
        hits = search.find(
            query,
            person_id=person.pk if person else None,
            limit=SEARCH_PAGE_SIZE,
            offset=(number - 1) * SEARCH_PAGE_SIZE,
        )
        features = Feature.objects.for_listing().defer(None).in_bulk(hits.feature_ids)
        words = search.parse(query).words
        results = [
            (feature, search.snippet(_snippet_texts(feature, person), words))
            for feature in (features[pk] for pk in hits.feature_ids)
        ]
        total = hits.total
    context = {
        "query": query,
        "cut": len(typed) > search.MAX_QUERY_LENGTH,
        "max_length": search.MAX_QUERY_LENGTH,
        "person": person,
        "person_missing": bool(request.GET.get("person")) and person is None,
        "results": results,
        "total": total,
        "number": number,
        "has_next": number * SEARCH_PAGE_SIZE < total,
    }
    return render(request, "features/search.html", context)


def _snippet_texts(feature, person) -> list[str]:
    blocks = blocks_of(feature.body)
    if person is not None:
        blocks = [block for block in blocks if block.get("speaker") == person.pk]
    return [block["text"] for block in blocks] + [feature.dek]


def _page_of(request, features):
    """One page of a list of features; a list with no published features is a 404."""
    return page_of(request, features, PAGE_SIZE, allow_empty=False)


def person_features_section(person):
    """The person page's published interviews with or by them, their feeds, and a search of
    what they said in them (one query)."""
    feeds = feed_links(person.name, "person_feed", person.slug)
    features = Feature.objects.filter(participants__person=person)
    return _feature_links(features, speaker=person, feeds=feeds)


def film_features_section(film):
    """The film page's published features about the film (one query)."""
    return _feature_links(film.features.all())


def _feature_links(features, speaker=None, feeds=()):
    features = list(features.published().select_related("series"))
    if not features:
        return None
    context = {"features": features, "speaker": speaker}
    return Section("features/_feature_links.html", context, feeds=feeds)
