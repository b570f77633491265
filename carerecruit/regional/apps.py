from django.apps import AppConfig


class RegionalConfig(AppConfig):
    name = "carerecruit.regional"
    verbose_name = "Regional dashboard"
