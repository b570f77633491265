from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "carerecruit.reference"
    verbose_name = "Reference data"
