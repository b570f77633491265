from django.apps import AppConfig


class GovukConfig(AppConfig):
    name = "carerecruit.govuk"
    verbose_name = "GOV.UK Frontend components"
