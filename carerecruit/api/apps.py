from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "carerecruit.api"
    verbose_name = "Open API"
