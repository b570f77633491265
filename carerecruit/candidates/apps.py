from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "carerecruit.candidates"
    verbose_name = "Candidates and applications"
