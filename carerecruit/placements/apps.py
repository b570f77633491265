from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "carerecruit.placements"
    verbose_name = "Pipeline, checks and placements"
