from django.apps import AppConfig


class VacanciesConfig(AppConfig):
    name = "carerecruit.vacancies"
    verbose_name = "Vacancies and matching"
