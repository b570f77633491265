"""Staff pages of the regional app (root urls include this module at ``staff/``)."""

from django.urls import path

from carerecruit.regional import views

app_name = "regional"
urlpatterns = [
    path("regional/", views.dashboard, name="dashboard"),
    path("regional/download/<slug:dataset>.<slug:fmt>", views.download, name="download"),
    path("regional/chart/<slug:chart>.<slug:fmt>", views.chart, name="chart"),
    path("regional/open-data.zip", views.open_data, name="open-data"),
]
