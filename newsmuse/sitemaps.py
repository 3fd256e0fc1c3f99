"""What every sitemap section shares: entries with their images (Google's image extension).

A section lists the library images of each entry in ``images(item)``; each appears as its
largest ready rendition in the section's ``crop``, never the original, and an image whose
renditions are not made yet is left out rather than made during a crawl.
"""

from urllib.parse import urljoin

from django.contrib.sitemaps import Sitemap

from . import renditions


class PictureSitemap(Sitemap):
    crop = "full"

    def images(self, item) -> list:
        return []

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            pictures = [
                renditions.ready(image, self.crop)
                for image in self.images(url["item"])
                if image is not None
            ]
            url["images"] = [urljoin(origin, picture["src"]) for picture in pictures if picture]
        return urls
