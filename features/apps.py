from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class FeaturesConfig(AppConfig):
    name = "features"

    def ready(self):
        from taggit.models import Tag, TaggedItem

        from films.models import Film
        from newsmuse import pagecache, sections, visibility
        from people.models import Person

        from .models import Feature, OldSlug, Participant, Series
        from .views import film_features_section, person_features_section
        from .visibility import film_is_hidden, person_is_hidden

        sections.register("people:detail", person_features_section, order=20)
        sections.register("films:detail", film_features_section, order=20)
        pagecache.watch(Series, Feature, Participant, Feature.films.through, OldSlug)
        pagecache.watch(Tag, TaggedItem)
        pagecache.register_clock(Feature.objects.clock)
        visibility.register(Person, person_is_hidden)
        visibility.register(Film, film_is_hidden)

        # Search entries hold names, titles and tags: when one changes, so do they.
        post_save.connect(_reindex_person, sender=Person, dispatch_uid="search-person")
        post_save.connect(_reindex_film, sender=Film, dispatch_uid="search-film")
        post_save.connect(_reindex_tag, sender=Tag, dispatch_uid="search-tag")
        post_migrate.connect(_fill_search_entries, sender=self, dispatch_uid="search-fill")


def _reindex_person(sender, instance, created, raw=False, **kwargs):
    from . import search

    if not (created or raw):
        search.reindex_involving(people=[instance])


def _reindex_film(sender, instance, created, raw=False, **kwargs):
    from . import search

    if not (created or raw):
        search.reindex_involving(films=[instance])


def _reindex_tag(sender, instance, created, raw=False, **kwargs):
    from . import search

    if not (created or raw):
        search.reindex_involving(tags=[instance])


def _fill_search_entries(sender, using, **kwargs):
    """Index the features of a database that had them before search existed."""
    from . import search

    search.fill_if_empty(using)
