from itertools import groupby

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils.text import Truncator

from newsmuse import share, visibility
from newsmuse.models import web_link
from newsmuse.paging import page_of, page_path
from newsmuse.sections import Section, sections_for

from .models import Credit, Film

# Titles on each page of the films index.
INDEX_PAGE_SIZE = 100


def film_index(request):
    """Every film and series readers may see, by title (two queries)."""
    films = visibility.public(
        Film.objects.order_by("title", "id").only("title", "slug", "year", "kind")
    )
    page = page_of(request, films, INDEX_PAGE_SIZE)
    url = share.absolute(request, page_path(request.path, page))
    context = {
        "page": page,
        "films": page.object_list,
        "share": share.ShareCard(
            "Films and series", f"The films and series discussed on {settings.SITE_NAME}.", url
        ),
    }
    return render(request, "films/film_index.html", context)


def film_detail(request, slug):
    """A film's page; one only unpublished pieces discuss is a 404 except for staff."""
    films = Film.objects.for_box()
    if not request.user.has_perm("films.view_film"):
        films = visibility.public(films)
    film = get_object_or_404(films, slug=slug)
    sections = sections_for("films:detail", film)
    credits = list(Credit.objects.involving(films=[film]))
    context = {
        "film": film,
        "credits": credits,
        "sections": sections,
        # A title and a year, with no synopsis and nothing written about it: not worth a
        # search engine's index.
        "thin": not film.synopsis.strip() and not sections,
        **_film_share(request, film, credits),
    }
    return render(request, "films/film_detail.html", context)


def _film_share(request, film, credits) -> dict:
    """The film's share card, and Movie or TVSeries structured data with its director,
    cast and where to watch it now (no queries)."""
    url = share.absolute(request, film.get_absolute_url())
    poster = share.picture(request, film.poster, "poster")
    series = film.kind == Film.Kind.SERIES
    description = Truncator(film.synopsis).words(40) or str(film)

    def people(role):
        return [
            {
                "@type": "Person",
                "name": credit.person.name,
                "url": share.absolute(request, credit.person.get_absolute_url()),
            }
            for credit in credits
            if credit.role == role
        ]

    data = {
        "@context": "https://schema.org",
        "@type": "TVSeries" if series else "Movie",
        "name": film.title,
        "url": url,
        "description": description,
        "director": people(Credit.Role.DIRECTOR),
        "actor": people(Credit.Role.CAST),
        "potentialAction": [
            {
                "@type": "WatchAction",
                "target": option.url,
                "name": option.call_to_action,
                "provider": {"@type": "Organization", "name": option.provider},
            }
            for option in film.watch_options.all()
            if web_link(option.url)
        ],
    }
    if film.year:
        data["dateCreated"] = str(film.year)
    if poster:
        data["image"] = poster.url
    kind = "video.tv_show" if series else "video.movie"
    alt = film.poster.alt if film.poster else ""
    return {
        "share": share.ShareCard(str(film), description, url, kind, poster, alt),
        "structured_data": [data],
    }


def credits_by_role(credits):
    """[(role label, [credit, …]), …] in the order of Credit.Role, for a person's filmography."""
    role_order = {role: index for index, role in enumerate(Credit.Role.values)}
    ordered = sorted(credits, key=lambda c: (role_order[c.role], -(c.film.year or 0), c.film.title))
    return [
        (Credit.Role(role).label, list(group))
        for role, group in groupby(ordered, key=lambda c: c.role)
    ]


def person_credits_section(person):
    """The person page's filmography, grouped by role, without films readers may not see
    yet (one query)."""
    credits = visibility.public(person.credits.for_filmography(), ref="film", model=Film)
    if not credits:
        return None
    return Section("films/_person_credits.html", {"credit_groups": credits_by_role(credits)})
