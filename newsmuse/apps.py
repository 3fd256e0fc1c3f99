from django.apps import AppConfig


class NewsmuseConfig(AppConfig):
    name = "newsmuse"
    verbose_name = "Images"
