"""The read-only JSON API (root urls include this module at ``api/v1/``)."""

from django.urls import path  # noqa: F401

app_name = "api"
urlpatterns: list = []
