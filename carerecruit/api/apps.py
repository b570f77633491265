from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "carerecruit.api"
    verbose_name = "Open API"

    def ready(self):
        from carerecruit.api import schema  # noqa: F401 (registers the auth scheme)
