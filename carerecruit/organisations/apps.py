from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "carerecruit.organisations"
    verbose_name = "Organisations and staff"
