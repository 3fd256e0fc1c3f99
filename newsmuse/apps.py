from django.apps import AppConfig


class NewsmuseConfig(AppConfig):
    name = "newsmuse"
    verbose_name = "Images"

    def ready(self):
        from . import pagecache
        from .models import Image

        pagecache.watch(Image)
