from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "carerecruit.tracking"
    verbose_name = "Event tracking"
