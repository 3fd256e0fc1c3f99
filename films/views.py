from itertools import groupby

from django.shortcuts import get_object_or_404, render

from newsmuse import visibility
from newsmuse.sections import Section, sections_for

from .models import Credit, Film


def film_detail(request, slug):
    """A film's page; one only unpublished pieces discuss is a 404 except for staff."""
    films = Film.objects.for_box()
    if not request.user.has_perm("films.view_film"):
        films = visibility.public(films)
    film = get_object_or_404(films, slug=slug)
    sections = sections_for("films:detail", film)
    context = {
        "film": film,
        "credits": list(Credit.objects.involving(films=[film])),
        "sections": sections,
        # A title and a year, with no synopsis and nothing written about it: not worth a
        # search engine's index.
        "thin": not film.synopsis.strip() and not sections,
    }
    return render(request, "films/film_detail.html", context)


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
