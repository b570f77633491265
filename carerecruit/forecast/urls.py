"""Staff pages of the forecast app (root urls include this module at ``staff/``)."""

from django.urls import path  # noqa: F401

app_name = "forecast"
urlpatterns: list = []
