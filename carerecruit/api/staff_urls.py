"""Staff pages for API tokens (root urls include this module at ``staff/``)."""

from django.urls import path  # noqa: F401

app_name = "api_staff"
urlpatterns: list = []
