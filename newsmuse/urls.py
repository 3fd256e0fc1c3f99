import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve

from features.admin_views import content_health
from features.sitemaps import (
    FeatureSitemap,
    HomeSitemap,
    NewsSitemap,
    SeriesSitemap,
    TagSitemap,
)
from films.sitemaps import FilmSitemap
from people.sitemaps import PersonSitemap

from . import health, robots, uploads


def favicon(request):
    """/favicon.ico, which some clients ask for whatever a page says: the site's icon. Not a
    permanent redirect, as the icon's address changes with its content."""
    return HttpResponseRedirect(static("newsmuse/icons/icon-192.png"))


admin.site.site_header = "newsmuse"
admin.site.site_title = "newsmuse admin"
admin.site.index_title = "Newsroom"

# The sections of the sitemap index, each at /sitemap-<section>.xml.
sitemaps = {
    "pages": HomeSitemap,
    "features": FeatureSitemap,
    "series": SeriesSitemap,
    "tags": TagSitemap,
    "people": PersonSitemap,
    "films": FilmSitemap,
    "news": NewsSitemap,
}

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/content-health/", admin.site.admin_view(content_health), name="content_health"),
    path("robots.txt", robots.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<str:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps, "template_name": "sitemaps/urlset.xml"},
        name="sitemap_section",
    ),
    path("admin/", admin.site.urls),
    path("people/", include("people.urls")),
    path("films/", include("films.urls")),
    path("", include("features.urls")),
]

if settings.SERVE_MEDIA:
    # Not Django's static() helper, which serves nothing without debug: `make serve` runs
    # without debug and without a web server in front.
    # Uploads kept for an editor's next try (newsmuse.uploads) are never served.
    media = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns.append(
        re_path(
            rf"^{media}(?!{uploads.FOLDER}/)(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

handler500 = "newsmuse.errors.server_error"
