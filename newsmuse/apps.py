from django.apps import AppConfig
from django.db.backends.signals import connection_created


class NewsmuseConfig(AppConfig):
    name = "newsmuse"
    verbose_name = "Images"

    def ready(self):
        from . import after_response, folding, pagecache
        from .models import Image

        pagecache.watch(Image)
        folding.register_lookup()
        connection_created.connect(folding.add_sqlite_function)
        after_response.connect()
