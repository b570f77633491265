from django.apps import AppConfig


class TalentbankConfig(AppConfig):
    name = "carerecruit.talentbank"
    verbose_name = "Talent bank"

    def ready(self):
        # Keeps talent profiles in step with candidates and applications.
        from carerecruit.talentbank import signals  # noqa: F401
