"""Content checks: problems in saved content that an editor should fix, found in bulk.

Each app checks its own models in its ``content_checks`` module, adding a ``Finding`` for
each problem to a ``Checkup`` and noting the links it meets that lead into this site. The
features app, which knows every page, checks those links and runs the whole checkup for
``manage.py check_content`` and the admin's Content health page. Every check reads its rows
in a fixed number of queries, whatever the amount of content.
"""

import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db.models import Model
from django.http.request import validate_host
from django.urls import reverse

from .models import Image

ERROR, WARNING = "error", "warning"
SEVERITIES = (ERROR, WARNING)

IMAGE_ALT_MISSING = "image.alt-missing"


@dataclass(frozen=True)
class Finding:
    severity: str  # ERROR or WARNING
    code: str  # stable, e.g. "image.alt-missing"
    message: str  # one line naming the object
    path: str  # the admin page where it is fixed

    @property
    def url(self) -> str:
        """The fixing page's address: absolute when SITE_URL is set."""
        return f"{settings.SITE_URL}{self.path}"

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "url": self.url,
        }


@dataclass(frozen=True)
class Link:
    """A link stored in content that leads into this site (``path``, decoded)."""

    url: str
    path: str
    holder: str  # what holds it, e.g. "The website of “Ana Ruiz”"
    fix_path: str


@dataclass
class Checkup:
    findings: list[Finding] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def add(self, severity: str, code: str, message: str, fix_path: str) -> None:
        self.findings.append(Finding(severity, code, message, fix_path))

    def note_link(self, url: str, holder: str, fix_path: str) -> None:
        """Keep ``url`` for the link check if it leads into this site."""
        if path := site_path(url):
            self.links.append(Link(url, path, holder, fix_path))

    def sorted_findings(self) -> list[Finding]:
        """Errors first, then by code and message."""
        return sorted(
            self.findings, key=lambda f: (SEVERITIES.index(f.severity), f.code, f.message)
        )


def admin_path(model: type[Model], pk: int) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])


def quoted(text: str, limit: int = 80) -> str:
    """Text an editor typed, fit for a one-line message: “in quotes”, without line breaks or
    control characters (a name must not forge lines in the report), shortened to ``limit``."""
    printable = "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in text
    )
    words = " ".join(printable.split())
    if len(words) > limit:
        words = words[: limit - 1].rstrip() + "…"
    return f"“{words}”"


def site_path(url: str) -> str | None:
    """The path of ``url`` if it leads into this site (its host is SITE_URL's or one of
    ALLOWED_HOSTS, wildcards aside), else None."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    hosts = [host for host in settings.ALLOWED_HOSTS if host != "*"]
    if settings.SITE_URL:
        hosts.append(urlsplit(settings.SITE_URL).hostname)
    if not host or not validate_host(host, hosts):
        return None
    return unquote(parts.path) or "/"


def check_images(checkup: Checkup) -> None:
    """Library images that are not decorative yet have no alt text (only blanks): readers
    who cannot see them learn nothing. One query."""
    images = Image.objects.filter(is_decorative=False).values_list("pk", "title", "alt_text")
    for pk, title, alt_text in images.iterator():
        if not alt_text.strip():
            checkup.add(
                ERROR,
                IMAGE_ALT_MISSING,
                f"The image {quoted(title)} has no alt text and is not marked decorative.",
                admin_path(Image, pk),
            )
