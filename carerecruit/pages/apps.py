from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "carerecruit.pages"
    verbose_name = "Public pages"
