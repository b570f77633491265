"""Talent-bank staff URLs, mounted at /staff/: search, export, duplicates."""

from django.urls import path

from carerecruit.talentbank import views

app_name = "talentbank"
urlpatterns = [
    path("talent-bank/", views.talent_bank_search, name="search"),
    path("talent-bank/export.<str:fmt>", views.talent_bank_export, name="export"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("duplicates/<uuid:code>/", views.duplicate_review, name="duplicate-review"),
    path("duplicates/<uuid:code>/dismiss/", views.duplicate_dismiss, name="duplicate-dismiss"),
]
