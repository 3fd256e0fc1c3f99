"""RSS 2.0 and Atom feeds of the newest public pieces: the whole site, a series, a tag, a person.

Each feed shows what ``FeatureQuerySet.published()`` lets through, in a fixed number of
queries whatever the size of the archive: the subject (a series, tag or person), the pieces
with their series and hero images, their participants, their tags. The hero image travels as
its largest ready rendition (an enclosure and Media RSS), never the original.
"""

import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import get_text_list
from taggit.models import Tag

from newsmuse import renditions, visibility
from newsmuse.sections import FeedLink
from newsmuse.xmltext import xml_text
from people.models import Person

from .models import Feature, Series

# How many of the newest pieces a feed carries.
FEED_SIZE = 20

RSS = "application/rss+xml"
ATOM = "application/atom+xml"
MEDIA_RSS = "http://search.yahoo.com/mrss/"


def feed_links(title: str, url_name: str, *args) -> tuple[FeedLink, ...]:
    """The RSS and Atom links a page puts in its <head> for the feeds named
    ``features:<url_name>`` and ``features:<url_name>_atom``."""
    return (
        FeedLink(title, reverse(f"features:{url_name}", args=args), RSS),
        FeedLink(title, reverse(f"features:{url_name}_atom", args=args), ATOM),
    )


class MediaRssMixin:
    """Adds the hero image as Media RSS ``<media:content>`` with its size and credit, which
    feed readers show as the item's picture. Its alt text stays out: readers built on
    feedparser would take a ``<media:description>`` for the piece's text."""

    def add_media_namespace(self, attributes):
        return {**attributes, "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        hero = item["hero"]
        if hero is None:
            return
        handler.startElement(
            "media:content",
            {
                "url": hero["url"],
                "type": hero["type"],
                "medium": "image",
                "width": str(hero["width"]),
                "height": str(hero["height"]),
            },
        )
        if hero["credit"]:
            handler.addQuickElement("media:credit", hero["credit"])
        handler.endElement("media:content")


class FeatureRss(MediaRssMixin, Rss201rev2Feed):
    def rss_attributes(self):
        return self.add_media_namespace(super().rss_attributes())


class FeatureAtom(MediaRssMixin, Atom1Feed):
    def root_attributes(self):
        return self.add_media_namespace(super().root_attributes())


class FeatureFeed(Feed):
    """What every feed of pieces shares; subclasses choose the pieces (``features()``) and
    say what the feed is about. ``get_object()`` gives the subject, or None for the site."""

    feed_type = FeatureRss

    def author_name(self):
        # Atom wants an author for every entry: the publication stands in for pieces
        # without an interviewer. (RSS has no place for it.)
        return xml_text(settings.SITE_NAME)

    def features(self, subject):
        return Feature.objects.all()

    def items(self, subject):
        features = self.features(subject).published().for_listing().prefetch_related("tags")
        return features[:FEED_SIZE]

    def item_title(self, feature):
        return xml_text(feature.headline)

    def item_description(self, feature):
        # RSS readers take a description as HTML: the dek is plain text.
        return escape(xml_text(feature.dek))

    def item_guid(self, feature):
        # Finished as a tag URI in get_feed(), which knows the host.
        return f"{feature.created_at:%Y-%m-%d}:features/{feature.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, feature):
        return feature.published_at

    def item_updateddate(self, feature):
        return max(feature.published_at, feature.updated_at)

    def item_author_name(self, feature):
        return get_text_list([xml_text(name) for name in feature.interviewer_names], "and") or None

    def item_categories(self, feature):
        return [xml_text(tag.name) for tag in feature.tags.all()]

    def item_extra_kwargs(self, feature):
        return {"hero": _hero(feature)}

    def get_feed(self, subject, request):
        """Django makes item links absolute, but not GUIDs nor enclosures, and an item's
        methods never see the request: those are finished here.

        GUIDs are tag URIs (RFC 4151) made of the host, the day the piece was created and its
        id, so they stay the same when a piece's headline or slug changes.
        """
        feed = super().get_feed(subject, request)
        authority = urlsplit(f"//{request.get_host()}").hostname
        for item in feed.items:
            item["unique_id"] = f"tag:{authority},{item['unique_id']}"
            if hero := item["hero"]:
                hero["url"] = request.build_absolute_uri(hero["url"])
                item["enclosures"] = [Enclosure(hero["url"], str(hero["bytes"]), hero["type"])]
        return feed


def _hero(feature: Feature) -> dict | None:
    """The hero image's largest ready rendition, or None (no query; renditions are made when
    the image is uploaded, and a feed never waits for them to be made)."""
    image = feature.hero_image
    picture = renditions.ready(image, "hero") if image is not None else None
    if picture is None:
        return None
    return {
        "url": picture["src"],
        # Rows written before sizes were kept have none; RSS takes 0 for an unknown length.
        "bytes": picture.get("bytes", 0),
        "type": mimetypes.guess_type(urlsplit(picture["src"]).path)[0] or "image/jpeg",
        "width": picture["width"],
        "height": picture["height"],
        "credit": xml_text(image.credit),
    }


class AtomMixin:
    """The Atom twin of an RSS feed: Atom calls the description a subtitle."""

    feed_type = FeatureAtom

    def subtitle(self, subject):
        return self._get_dynamic_attr("description", subject)


class SiteFeed(FeatureFeed):
    def title(self):
        return xml_text(settings.SITE_NAME)

    def link(self):
        return reverse("features:home")

    def description(self):
        return xml_text(f"The newest interviews from {settings.SITE_NAME}.")


class SeriesFeed(FeatureFeed):
    def get_object(self, request, slug):
        """A series with a public piece; like its page, any other is not found (one query)."""
        published = Feature.objects.published().filter(series=OuterRef("pk"))
        return get_object_or_404(Series.objects.filter(Exists(published)), slug=slug)

    def features(self, series):
        return series.features.all()

    def title(self, series):
        return xml_text(f"{series.name} — {settings.SITE_NAME}")

    def link(self, series):
        return series.get_absolute_url()

    def description(self, series):
        return xml_text(series.description or f"The newest interviews in {series.name}.")


class TagFeed(FeatureFeed):
    def get_object(self, request, slug):
        """A tag on a public piece; any other is not found (one query)."""
        published = Feature.objects.published().filter(tags=OuterRef("pk"))
        return get_object_or_404(Tag.objects.filter(Exists(published)), slug=slug)

    def features(self, tag):
        return Feature.objects.filter(tags=tag)

    def title(self, tag):
        return xml_text(f"{tag.name} — {settings.SITE_NAME}")

    def link(self, tag):
        return reverse("features:tag", args=[tag.slug])

    def description(self, tag):
        return xml_text(f"The newest interviews tagged {tag.name}.")


class PersonFeed(FeatureFeed):
    def get_object(self, request, slug):
        """A person readers may see; like their page, anyone else is not found (one query)."""
        return get_object_or_404(visibility.public(Person.objects.all()), slug=slug)

    def features(self, person):
        return Feature.objects.filter(participants__person=person)

    def title(self, person):
        return xml_text(f"{person.name} — {settings.SITE_NAME}")

    def link(self, person):
        return person.get_absolute_url()

    def description(self, person):
        return xml_text(f"The newest interviews with or by {person.name}.")


class SiteAtomFeed(AtomMixin, SiteFeed):
    pass


class SeriesAtomFeed(AtomMixin, SeriesFeed):
    pass


class TagAtomFeed(AtomMixin, TagFeed):
    pass


class PersonAtomFeed(AtomMixin, PersonFeed):
    pass
