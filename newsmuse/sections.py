"""Sections that an app adds to a page owned by another app.

Data flows one way: people know nothing of films or features, yet the person page lists a
person's credits and interviews. The app that holds that knowledge registers a section
builder for the page in its ``AppConfig.ready()``; the page's view collects the sections
and its template includes each one. A builder runs a fixed number of queries and returns
``None`` when it has nothing to show.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FeedLink:
    """A feed a page advertises in its <head> with <link rel="alternate">, and to readers
    at its foot."""

    subject: str  # what the feed follows: the site, a series, a tag, a person
    url: str
    type: str  # application/rss+xml or application/atom+xml

    @property
    def format(self) -> str:
        return "Atom" if "atom" in self.type else "RSS"

    @property
    def title(self) -> str:
        return f"{self.subject} ({self.format})"


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # Feeds of what the section lists, advertised by the page that shows it.
    feeds: tuple[FeedLink, ...] = ()


SectionBuilder = Callable[[Any], Section | None]

_builders: dict[str, dict[SectionBuilder, int]] = {}


def register(page: str, builder: SectionBuilder, *, order: int = 0) -> None:
    """Add ``builder`` to ``page``; sections appear by ``order``, then registration order."""
    _builders.setdefault(page, {})[builder] = order


def sections_for(page: str, obj: Any) -> list[Section]:
    builders = sorted(_builders.get(page, {}).items(), key=lambda item: item[1])
    sections = (builder(obj) for builder, _order in builders)
    return [section for section in sections if section is not None]
