from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "carerecruit.workforce"
    verbose_name = "Workforce intelligence"
