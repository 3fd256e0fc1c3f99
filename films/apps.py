from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "films"

    def ready(self):
        from newsmuse import sections

        from .views import person_credits_section

        sections.register("people:detail", person_credits_section, order=10)
