from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils.text import Truncator

from newsmuse import share, visibility
from newsmuse.models import web_link
from newsmuse.paging import page_of, page_path
from newsmuse.sections import sections_for

from .models import Person

# Names on each page of the people index.
INDEX_PAGE_SIZE = 100


def person_index(request):
    """Everyone readers may see, by name (two queries: the count and the page)."""
    people = visibility.public(
        Person.objects.order_by("name", "id").only("name", "slug", "description")
    )
    page = page_of(request, people, INDEX_PAGE_SIZE)
    url = share.absolute(request, page_path(request.path, page))
    context = {
        "page": page,
        "people": page.object_list,
        "share": share.ShareCard(
            "People", f"The people in interviews on {settings.SITE_NAME}.", url
        ),
    }
    return render(request, "people/person_index.html", context)


def person_detail(request, slug):
    """A person's page; one tied only to unpublished pieces is a 404 except for staff."""
    people = Person.objects.for_page()
    if not request.user.has_perm("people.view_person"):
        people = visibility.public(people)
    person = get_object_or_404(people, slug=slug)
    sections = sections_for("people:detail", person)
    context = {
        "person": person,
        "sections": sections,
        "feeds": [feed for section in sections for feed in section.feeds],
        **_person_share(request, person),
    }
    return render(request, "people/person_detail.html", context)


def _person_share(request, person) -> dict:
    """The person's share card and Person structured data (no queries)."""
    url = share.absolute(request, person.get_absolute_url())
    portrait = share.picture(request, person.portrait, "portrait")
    description = person.description or Truncator(person.bio).words(40) or person.name
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": url,
        "description": description,
    }
    if portrait:
        data["image"] = portrait.url
    if web_link(person.website):
        data["sameAs"] = [person.website]
    alt = person.portrait.alt if person.portrait else ""
    card = share.ShareCard(person.name, description, url, "profile", portrait, alt)
    return {"share": card, "structured_data": [data]}
