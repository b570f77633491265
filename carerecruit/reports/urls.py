"""Staff pages of the reports app (root urls include this module at ``staff/``)."""

from django.urls import path  # noqa: F401

app_name = "reports"
urlpatterns: list = []
