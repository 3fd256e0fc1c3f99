import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from . import health, uploads

admin.site.site_header = "newsmuse"
admin.site.site_title = "newsmuse admin"
admin.site.index_title = "Newsroom"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
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
