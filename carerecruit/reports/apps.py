from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "carerecruit.reports"
    verbose_name = "Weekly reports"
