"""Staff pages of the forecast app (root urls include this module at ``staff/``)."""

from django.urls import path

from carerecruit.forecast import views

app_name = "forecast"
urlpatterns = [
    path("regional/forecast/", views.index, name="index"),
    path("regional/forecast/<str:table>.<str:fmt>", views.download, name="download"),
]
