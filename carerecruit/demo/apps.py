from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "carerecruit.demo"
    verbose_name = "Demo region"
