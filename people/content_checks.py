"""People's part of the content checks (see newsmuse.content_checks)."""

from newsmuse.content_checks import WARNING, Checkup, admin_path, quoted

from .models import Person

PORTRAIT_MISSING = "person.portrait-missing"


def check_people(checkup: Checkup) -> None:
    """People without a portrait; notes their websites for the link check. One query."""
    people = Person.objects.values_list("pk", "name", "portrait_id", "website")
    for pk, name, portrait_id, website in people.iterator():
        fix = admin_path(Person, pk)
        if portrait_id is None:
            checkup.add(WARNING, PORTRAIT_MISSING, f"{quoted(name)} has no portrait.", fix)
        if website:
            checkup.note_link(website, f"The website of {quoted(name)}", fix)
