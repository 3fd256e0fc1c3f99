from itertools import groupby

from django.shortcuts import get_object_or_404, render

from newsmuse.sections import Section, sections_for

from .models import Credit, Film


def film_detail(request, slug):
    film = get_object_or_404(Film.objects.for_box(), slug=slug)
    context = {
        "film": film,
        "credits": list(Credit.objects.involving(films=[film])),
        "sections": sections_for("films:detail", film),
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
    """The person page's filmography, grouped by role (one query)."""
    credits = person.credits.for_filmography()
    if not credits:
        return None
    return Section("films/_person_credits.html", {"credit_groups": credits_by_role(credits)})
