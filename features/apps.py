from django.apps import AppConfig


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
