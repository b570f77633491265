from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "carerecruit.insights"
    verbose_name = "Insights and dashboards"
