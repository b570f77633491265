"""Staff vacancy URLs, mounted at /staff/: posting, editing, applicants, matches."""

from django.urls import path

from carerecruit.vacancies import staff_views

app_name = "vacancies_staff"
urlpatterns = [
    path("vacancies/", staff_views.vacancy_list, name="list"),
    path("vacancies/new/", staff_views.vacancy_create, name="create"),
    path("vacancies/<str:code>/", staff_views.vacancy_detail, name="detail"),
    path("vacancies/<str:code>/edit/", staff_views.vacancy_edit, name="edit"),
    path("vacancies/<str:code>/open/", staff_views.vacancy_open, name="open"),
    path("vacancies/<str:code>/close/", staff_views.vacancy_close, name="close"),
    path("vacancies/<str:code>/matches/", staff_views.vacancy_matches, name="matches"),
    path(
        "vacancies/<str:code>/matches/<uuid:candidate>/invite/",
        staff_views.candidate_invite, name="invite",
    ),
    path(
        "vacancies/<str:code>/matches/<uuid:candidate>/shortlist/",
        staff_views.candidate_shortlist, name="shortlist",
    ),
    path(
        "vacancies/<str:code>/matches/<uuid:candidate>/unshortlist/",
        staff_views.candidate_unshortlist, name="unshortlist",
    ),
]
