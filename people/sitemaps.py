from django.db.models import Max

from newsmuse import visibility
from newsmuse.sitemaps import PictureSitemap

from .models import Person


class PersonSitemap(PictureSitemap):
    """People readers may see, with their portraits."""

    crop = "portrait"

    def items(self):
        return visibility.public(Person.objects.for_page()).defer("bio")

    def lastmod(self, person):
        return person.updated_at

    def get_latest_lastmod(self):
        return visibility.public(Person.objects.all()).aggregate(latest=Max("updated_at"))["latest"]

    def images(self, person):
        return [person.portrait]
