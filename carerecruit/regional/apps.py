from django.apps import AppConfig


class RegionalConfig(AppConfig):
    name = "carerecruit.regional"
    verbose_name = "Regional dashboard"

    def ready(self):
        from carerecruit.regional import signals

        signals.connect()
