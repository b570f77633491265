"""Public vacancy URLs, mounted at /vacancies/ (URL contract: /vacancies/ and /vacancies/<id>/)."""

from django.urls import path

from carerecruit.vacancies import views

app_name = "vacancies"
urlpatterns = [
    path("", views.vacancy_list, name="list"),
    path("<str:code>/", views.vacancy_detail, name="detail"),
    path("<str:code>/apply/", views.vacancy_apply, name="apply"),
    path("<str:code>/apply/done/", views.vacancy_apply_done, name="apply-done"),
]
