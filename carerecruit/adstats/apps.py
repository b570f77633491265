from django.apps import AppConfig


class AdstatsConfig(AppConfig):
    name = "carerecruit.adstats"
    verbose_name = "Ad-platform figures"
