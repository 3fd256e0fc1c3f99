from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"

    def ready(self):
        from newsmuse import pagecache

        from .models import Person

        pagecache.watch(Person)
