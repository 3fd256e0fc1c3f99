"""Films' part of the content checks (see newsmuse.content_checks)."""

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format

from newsmuse.content_checks import WARNING, Checkup, admin_path, quoted

from .models import Credit, Film, WatchOption

CREDITS_MISSING = "film.credits-missing"
WATCH_OPTION_EXPIRED = "watch-option.expired"


def check_films(checkup: Checkup) -> None:
    """Films nobody is credited on, and watch options whose window has closed (pages no
    longer show them); notes trailer and watch links for the link check. Two queries."""
    credited = Exists(Credit.objects.filter(film=OuterRef("pk")))
    films = Film.objects.annotate(credited=credited).only("title", "year", "trailer_url")
    for film in films.iterator():
        fix = admin_path(Film, film.pk)
        if not film.credited:
            checkup.add(WARNING, CREDITS_MISSING, f"{quoted(str(film))} has no credits.", fix)
        if film.trailer_url:
            checkup.note_link(film.trailer_url, f"The trailer link of {quoted(str(film))}", fix)

    now = timezone.now()
    options = WatchOption.objects.select_related("film").only(
        "provider", "kind", "url", "available_until", "film__title", "film__year"
    )
    for option in options.iterator():
        fix = admin_path(WatchOption, option.pk)
        name = f"{quoted(option.call_to_action)} for {quoted(str(option.film))}"
        if option.available_until is not None and option.available_until <= now:
            ended = date_format(timezone.localtime(option.available_until), "j F Y")
            checkup.add(WARNING, WATCH_OPTION_EXPIRED, f"{name} ended on {ended}.", fix)
        checkup.note_link(option.url, f"The link of {name}", fix)
