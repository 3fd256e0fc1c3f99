from django.shortcuts import get_object_or_404, render

from newsmuse import visibility
from newsmuse.sections import sections_for

from .models import Person


def person_detail(request, slug):
    """A person's page; one tied only to unpublished pieces is a 404 except for staff."""
    people = Person.objects.for_page()
    if not request.user.has_perm("people.view_person"):
        people = visibility.public(people)
    person = get_object_or_404(people, slug=slug)
    sections = sections_for("people:detail", person)
    feeds = [feed for section in sections for feed in section.feeds]
    context = {"person": person, "sections": sections, "feeds": feeds}
    return render(request, "people/person_detail.html", context)
