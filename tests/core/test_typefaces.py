"""The site's typefaces are its own: files in our static folder with their licences, named
only by relative addresses, so no page ever asks another site for a font or a stylesheet."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from tests.factories import make_feature

STYLESHEET = Path(finders.find("newsmuse/site.css")).read_text()
FONT_FACES = re.findall(r"@font-face\s*{([^}]*)}", STYLESHEET)


def descriptor(face: str, name: str) -> str:
    return re.search(rf"{name}:\s*([^;]+);", face).group(1).strip()


def test_every_font_face_is_a_woff2_file_of_ours_that_shows_text_at_once():
    families = set()
    for face in FONT_FACES:
        families.add(descriptor(face, "font-family").strip('"'))
        assert descriptor(face, "font-display") == "swap"
        addresses = re.findall(r"url\(\"?([^\")]+)\"?\)", descriptor(face, "src"))
        assert len(addresses) == 1
        assert addresses[0].startswith("fonts/") and addresses[0].endswith(".woff2")
        assert finders.find(f"newsmuse/{addresses[0]}"), addresses[0]
    assert families == {"Newsreader", "Inter"}
    for family in families:
        licence = Path(finders.find(f"newsmuse/fonts/OFL-{family}.txt")).read_text()
        assert "SIL Open Font License" in licence


def test_the_stylesheet_names_no_address_on_another_site():
    assert "@import" not in STYLESHEET
    for address in re.findall(r"url\(\"?([^\")]+)\"?\)", STYLESHEET):
        assert "//" not in address and ":" not in address, address


class Resources(HTMLParser):
    """The addresses a page makes the browser fetch: stylesheets, preloads, icons, scripts,
    images and their sources."""

    FETCHED_LINKS = {"stylesheet", "preload", "icon", "apple-touch-icon", "manifest"}

    def __init__(self):
        super().__init__()
        self.addresses = []
        self.preloads = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") in self.FETCHED_LINKS:
            self.addresses.append(attrs["href"])
            if attrs["rel"] == "preload":
                self.preloads.append(attrs)
        if tag in ("script", "img", "source", "iframe"):
            for name in ("src", "srcset"):
                if attrs.get(name):
                    self.addresses += [part.split()[0] for part in attrs[name].split(",")]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["home", "feature"])
def test_pages_fetch_only_from_this_site_and_preload_the_text_face(client, page):
    feature = make_feature(guests=1, films=1)
    url = "/" if page == "home" else feature.get_absolute_url()
    resources = Resources()
    resources.feed(client.get(url).content.decode())

    assert resources.addresses
    for address in resources.addresses:
        assert address.startswith("/") and not address.startswith("//"), address
    text_face = static("newsmuse/fonts/newsreader-latin-400-normal.woff2")
    assert resources.preloads == [
        {
            "rel": "preload",
            "href": text_face,
            "as": "font",
            "type": "font/woff2",
            "crossorigin": None,
        }
    ]
    # The preloaded file is the one the body text is set in.
    regular = next(
        face
        for face in FONT_FACES
        if '"Newsreader"' in face and "font-style: normal" in face and "font-weight: 400" in face
    )
    assert text_face.endswith(re.search(r"url\(\"?([^\")]+)", regular).group(1))
