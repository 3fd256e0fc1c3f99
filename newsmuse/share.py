"""What pages tell the clients that bring readers: the canonical address, the share card
(Open Graph and Twitter tags) and structured data (JSON-LD in schema.org terms).

Each app builds the structured data of its own pages; the pieces they share are here. A
page passes ``share`` (a ShareCard) and ``structured_data`` (a list of dicts) to its
template, and ``includes/_share.html`` writes them into the head. Nothing here queries the
database: pictures come ready from the image's row (newsmuse.renditions).
"""

import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from . import renditions
from .models import Image

# Share cards look best at 1200 pixels wide (Open Graph's recommendation).
CARD_WIDTH = 1200
_SRCSET_ENTRY = re.compile(r"(\S+) (\d+)w")
# What must not appear raw inside <script>: it could end the element or start a comment.
_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def absolute(request: HttpRequest, path: str) -> str:
    """The address of ``path`` as readers should share it: under SITE_URL when it is set,
    else under the host this request came to (one of ALLOWED_HOSTS)."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


@dataclass(frozen=True)
class Picture:
    url: str
    width: int
    height: int


def picture(request: HttpRequest, image: Image | None, crop: str) -> Picture | None:
    """The rendition of ``image`` in ``crop`` closest to CARD_WIDTH (never the original),
    or None when there is none ready."""
    if image is None or (ready := renditions.ready(image, crop)) is None:
        return None
    sizes = [(url, int(width)) for url, width in _SRCSET_ENTRY.findall(ready["srcset"])]
    if not sizes:
        return None
    url, width = min(sizes, key=lambda size: (abs(size[1] - CARD_WIDTH), -size[1]))
    height = round(width * ready["height"] / ready["width"])
    return Picture(absolute(request, url) if url.startswith("/") else url, width, height)


@dataclass(frozen=True)
class ShareCard:
    title: str
    description: str
    url: str  # canonical, absolute
    kind: str = "website"  # og:type: article, profile, video.movie, video.tv_show, website
    picture: Picture | None = None
    alt: str = ""


def publisher(request: HttpRequest) -> dict:
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute(request, "/"),
        "logo": {"@type": "ImageObject", "url": absolute(request, static_path("icon-512.png"))},
    }


def static_path(icon: str) -> str:
    return static(f"newsmuse/icons/{icon}")


def breadcrumbs(*trail: tuple[str, str]) -> dict:
    """A BreadcrumbList of (name, absolute URL) pairs, from the home page down."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": url}
            for number, (name, url) in enumerate(trail, start=1)
        ],
    }


def json_ld(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element holding ``data``. Whatever an editor
    wrote, nothing in it can close the element or open markup: <, > and & are written as
    JSON escapes, which mean the same to any JSON reader."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # str.replace, not str.translate: translate looks each character up in Python.
    for character, escaped in _SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
