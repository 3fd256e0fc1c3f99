from django.db.models import Max

from newsmuse import visibility
from newsmuse.sitemaps import PictureSitemap

from .models import Film


class FilmSitemap(PictureSitemap):
    """Films readers may see, with their posters."""

    crop = "poster"

    def items(self):
        return visibility.public(Film.objects.select_related("poster")).defer("synopsis")

    def lastmod(self, film):
        return film.updated_at

    def get_latest_lastmod(self):
        return visibility.public(Film.objects.all()).aggregate(latest=Max("updated_at"))["latest"]

    def images(self, film):
        return [film.poster]
