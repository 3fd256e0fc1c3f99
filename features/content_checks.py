"""The whole content checkup: every app's checks, the features' own, and the links.

Features know every page, so the check of links that lead into this site lives here: a
link is broken when no page answers its path, or when the feature, series, tag, person or
film it names is not one readers can open (an old slug of a published feature still
redirects, so it counts as working). A feature that is published or scheduled breaks its
page for readers: its problems are errors. A draft or a piece in review is still being
written: its problems are warnings. Unpublished pieces are left alone.
"""

import re
from collections import defaultdict

from django.db.models import Q
from django.urls import Resolver404, resolve

from films.content_checks import check_films
from films.models import Film
from newsmuse import visibility
from newsmuse.content_checks import (
    ERROR,
    WARNING,
    Checkup,
    Finding,
    Link,
    admin_path,
    check_images,
    quoted,
)
from newsmuse.models import Image
from people.content_checks import check_people
from people.models import Person

from . import body
from .models import Feature, Participant, Series

HERO_MISSING = "feature.hero-missing"
HERO_ALT_MISSING = "feature.hero-alt-missing"
GUEST_MISSING = "feature.guest-missing"
PULL_QUOTE_MISMATCH = "feature.pull-quote-mismatch"
LINK_BROKEN = "link.broken"


def check_content() -> list[Finding]:
    """Every finding, errors first. A fixed number of queries: one or two per model, and
    one per kind of page that internal links point at."""
    checkup = Checkup()
    check_images(checkup)
    check_people(checkup)
    check_films(checkup)
    check_features(checkup)
    check_links(checkup)
    return checkup.sorted_findings()


def check_features(checkup: Checkup) -> None:
    """Features without a hero image, hero alt text or a guest, and pull quotes whose words
    their speaker no longer says. Two queries: the participants, then the features."""
    features = Feature.objects.exclude(status=Feature.Status.UNPUBLISHED)
    speakers = defaultdict(dict)  # feature id -> {person id: (name, role)}
    participants = Participant.objects.filter(feature__in=features).values_list(
        "feature_id", "person_id", "person__name", "role"
    )
    for feature_id, person_id, name, role in participants.iterator():
        speakers[feature_id][person_id] = (name, role)

    rows = features.values_list(
        "pk",
        "headline",
        "status",
        "hero_image_id",
        "hero_image__title",
        "hero_image__alt_text",
        "body",
    )
    for pk, headline, status, hero_id, hero_title, hero_alt, stored_body in rows.iterator():
        severity = ERROR if status in Feature.PUBLIC_STATUSES else WARNING
        label = f"{quoted(headline)} ({Feature.Status(status).label.lower()})"
        fix = admin_path(Feature, pk)
        if hero_id is None:
            checkup.add(severity, HERO_MISSING, f"{label} has no hero image.", fix)
        elif not hero_alt.strip():
            message = f"{label}: its hero image {quoted(hero_title)} has no alt text."
            checkup.add(severity, HERO_ALT_MISSING, message, admin_path(Image, hero_id))
        names = speakers[pk]
        if not any(role == Participant.Role.GUEST for _name, role in names.values()):
            checkup.add(severity, GUEST_MISSING, f"{label} has no guest.", fix)
        for quote, speaker in unmatched_pull_quotes(body.blocks_of(stored_body)):
            message = (
                f"{label}: the pull quote {quoted(quote, 60)} does not match "
                f"{_what_was_said(speaker, names)}."
            )
            checkup.add(severity, PULL_QUOTE_MISMATCH, message, fix)


def _what_was_said(speaker: int | None, names: dict) -> str:
    if speaker is None:
        return "anything in the interview"
    if speaker not in names:
        return "anything its speaker, no longer a participant, says"
    return f"anything {quoted(names[speaker][0])} says"


# A pull quote may leave words out (“…”, “...”) or put words in [in brackets]; what is left
# must be said, in order, in one block of its speaker.
QUOTE_GAP = re.compile(r"\.\.\.|…|\[[^\]]*\]")
WORD = re.compile(r"\w+")


def unmatched_pull_quotes(blocks: list[dict]) -> list[tuple[str, int | None]]:
    """(text, speaker id or None) of each pull quote whose words no block of its speaker
    says (no block at all, for an unattributed one). Case, punctuation and line breaks do
    not count."""
    said = [
        (block.get("speaker"), _words(block["text"]))
        for block in blocks
        if block["type"] != body.QUOTE
    ]
    unmatched = []
    for block in blocks:
        if block["type"] != body.QUOTE:
            continue
        speaker = block.get("speaker")
        pieces = [_words(piece) for piece in QUOTE_GAP.split(block["text"])]
        pieces = [piece for piece in pieces if piece.strip()]
        sources = [words for who, words in said if speaker is None or who == speaker]
        if not any(_says(words, pieces) for words in sources):
            unmatched.append((block["text"], speaker))
    return unmatched


def _words(text: str) -> str:
    """The words of ``text``, folded, each between spaces: “ the ledger is ”."""
    return f" {' '.join(WORD.findall(text.casefold()))} "


def _says(words: str, pieces: list[str]) -> bool:
    position = 0
    for piece in pieces:
        position = words.find(piece, position)
        if position < 0:
            return False
        position += len(piece) - 1
    return True


def check_links(checkup: Checkup) -> None:
    """Links into this site that lead nowhere readers can go (one query per kind of page
    they point at)."""
    wanted = defaultdict(list)  # page name -> [(slug, link)]
    for link in checkup.links:
        try:
            match = resolve(link.path)
        except Resolver404:
            _broken(checkup, link)
            continue
        if match.view_name in OPEN_PAGES:
            wanted[match.view_name].append((match.kwargs["slug"], link))
    for view_name, links in wanted.items():
        open_slugs = OPEN_PAGES[view_name]({slug for slug, _link in links})
        for slug, link in links:
            if slug not in open_slugs:
                _broken(checkup, link)


def _broken(checkup: Checkup, link: Link) -> None:
    message = f"{link.holder} leads to {quoted(link.url)}, which readers cannot open."
    checkup.add(ERROR, LINK_BROKEN, message, link.fix_path)


def _open_features(slugs: set[str]) -> set[str]:
    """The slugs, current or old, of public features among ``slugs`` (one query)."""
    rows = (
        Feature.objects.published()
        .filter(Q(slug__in=slugs) | Q(old_slugs__slug__in=slugs))
        .values_list("slug", "old_slugs__slug")
    )
    return {slug for row in rows for slug in row if slug in slugs}


def _open_series(slugs: set[str]) -> set[str]:
    series = Series.objects.filter(slug__in=slugs, features__in=Feature.objects.published())
    return set(series.values_list("slug", flat=True))


def _open_tags(slugs: set[str]) -> set[str]:
    tagged = Feature.objects.published().filter(tags__slug__in=slugs)
    return set(tagged.values_list("tags__slug", flat=True))


def _open_people(slugs: set[str]) -> set[str]:
    people = visibility.public(Person.objects.filter(slug__in=slugs))
    return set(people.values_list("slug", flat=True))


def _open_films(slugs: set[str]) -> set[str]:
    films = visibility.public(Film.objects.filter(slug__in=slugs))
    return set(films.values_list("slug", flat=True))


# The pages that show one thing, by URL name: which of the slugs asked for readers can open.
OPEN_PAGES = {
    "features:detail": _open_features,
    "features:series": _open_series,
    "features:tag": _open_tags,
    "people:detail": _open_people,
    "films:detail": _open_films,
}
