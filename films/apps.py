from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "films"

    def ready(self):
        from newsmuse import pagecache, sections

        from .models import Credit, Film, WatchOption
        from .views import person_credits_section

        sections.register("people:detail", person_credits_section, order=10)
        pagecache.watch(Film, Credit, WatchOption)
        pagecache.register_clock(WatchOption.objects.clock)
