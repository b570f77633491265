from django.apps import AppConfig


class TalentbankConfig(AppConfig):
    name = "carerecruit.talentbank"
    verbose_name = "Talent bank"
