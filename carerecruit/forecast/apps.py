from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "carerecruit.forecast"
    verbose_name = "Forecasts"
