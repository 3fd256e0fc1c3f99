from django.apps import AppConfig


class FeaturesConfig(AppConfig):
    name = "features"

    def ready(self):
        from newsmuse import sections

        from .views import film_features_section, person_features_section

        sections.register("people:detail", person_features_section, order=20)
        sections.register("films:detail", film_features_section, order=20)
