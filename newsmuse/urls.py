import re

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve

from features.admin_views import content_health

from . import health


def favicon(request):
    """/favicon.ico, which some clients ask for whatever a page says: the site's icon. Not a
    permanent redirect, as the icon's address changes with its content."""
    return HttpResponseRedirect(static("newsmuse/icons/icon-192.png"))


admin.site.site_header = "newsmuse"
admin.site.site_title = "newsmuse admin"
admin.site.index_title = "Newsroom"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/content-health/", admin.site.admin_view(content_health), name="content_health"),
    path("admin/", admin.site.urls),
    path("people/", include("people.urls")),
    path("films/", include("films.urls")),
    path("", include("features.urls")),
]

if settings.SERVE_MEDIA:
    # Not Django's static() helper, which serves nothing without debug: `make serve` runs
    # without debug and without a web server in front.
    media = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns.append(
        re_path(rf"^{media}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

handler500 = "newsmuse.errors.server_error"
