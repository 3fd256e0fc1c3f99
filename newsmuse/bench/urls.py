"""The site's URLs plus the floor view, for the benchmark server only."""

from django.urls import path

from newsmuse.urls import urlpatterns as site_urlpatterns

from .floor import floor

urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *site_urlpatterns]
