"""Sitemap sections for the home page, public pieces, series and tags, and the Google News
sitemap of the last two days' pieces. Each reads a fixed number of queries; only what
``FeatureQuerySet.published()`` lets through is listed."""

from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from newsmuse.sitemaps import PictureSitemap
from newsmuse.xmltext import xml_text

from .models import Feature, Series

# Google News takes pieces published in the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000

# A piece changes when it is edited, and, for readers, when it goes live.
LAST_CHANGED = Greatest("updated_at", "published_at")


def _latest_publication(**subject) -> Subquery:
    """The publication time of the newest public piece of the row in hand."""
    newest = Feature.objects.published().filter(**subject).order_by("-published_at")
    return Subquery(newest.values("published_at")[:1])


class HomeSitemap(Sitemap):
    """The home page and the index pages, which change when a piece goes live."""

    def items(self):
        return [
            "features:home",
            "features:archive",
            "people:index",
            "films:index",
            "features:series_index",
            "features:tag_index",
        ]

    def location(self, url_name):
        return reverse(url_name)

    def lastmod(self, url_name):
        return self.newest_publication

    @cached_property
    def newest_publication(self):
        """When the newest public piece went live (one query for every page listed)."""
        return Feature.objects.published().aggregate(latest=Max("published_at"))["latest"]


class FeatureSitemap(PictureSitemap):
    crop = "hero"

    def items(self):
        return (
            Feature.objects.published()
            .select_related("hero_image")
            .defer("body")
            .annotate(last_changed=LAST_CHANGED)
        )

    def lastmod(self, feature):
        return feature.last_changed

    def get_latest_lastmod(self):
        return Feature.objects.published().aggregate(latest=Max(LAST_CHANGED))["latest"]

    def images(self, feature):
        return [feature.hero_image]


class SeriesSitemap(Sitemap):
    """Series with a public piece; the others have no page."""

    def items(self):
        latest = _latest_publication(series=OuterRef("pk"))
        return Series.objects.annotate(last_published=latest).filter(last_published__isnull=False)

    def lastmod(self, series):
        return series.last_published

    def get_latest_lastmod(self):
        features = Feature.objects.published().filter(series__isnull=False)
        return features.aggregate(latest=Max("published_at"))["latest"]


class TagSitemap(Sitemap):
    """Tags on a public piece; the others have no page."""

    def items(self):
        latest = _latest_publication(tags=OuterRef("pk"))
        tags = Tag.objects.annotate(last_published=latest).filter(last_published__isnull=False)
        return tags.order_by("name", "pk")

    def location(self, tag):
        return reverse("features:tag", args=[tag.slug])

    def lastmod(self, tag):
        return tag.last_published

    def get_latest_lastmod(self):
        features = Feature.objects.published().filter(tags__isnull=False)
        return features.aggregate(latest=Max("published_at"))["latest"]


class NewsSitemap(Sitemap):
    """Pieces published in the last two days, with Google News' publication details."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        features = Feature.objects.published().filter(published_at__gte=since)
        return features.defer("body").annotate(last_changed=LAST_CHANGED)

    def lastmod(self, feature):
        return feature.last_changed

    def get_latest_lastmod(self):
        since = timezone.now() - NEWS_WINDOW
        features = Feature.objects.published().filter(published_at__gte=since)
        return features.aggregate(latest=Max(LAST_CHANGED))["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        publication = {
            "name": xml_text(settings.SITE_NAME),
            # ISO 639 (Google takes "zh-cn" and "zh-tw" as they are).
            "language": _news_language(settings.LANGUAGE_CODE),
        }
        for url in urls:
            feature = url["item"]
            url["news"] = {
                "publication": publication,
                "published_at": feature.published_at,
                "title": xml_text(feature.headline),
            }
        return urls


def _news_language(language_code: str) -> str:
    code = language_code.lower()
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]
