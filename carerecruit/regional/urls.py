"""Staff pages of the regional app (root urls include this module at ``staff/``)."""

from django.urls import path  # noqa: F401

app_name = "regional"
urlpatterns: list = []
