"""Workforce returns in ASC-WDS format and published reference figures (staff area,
included at ``staff/``)."""

from django.urls import path

from carerecruit.workforce import views

app_name = "workforce"
urlpatterns = [
    path("workforce/", views.return_list, name="returns"),
    path("workforce/upload/", views.upload, name="upload"),
    path("workforce/upload/<str:token>/", views.upload_preview, name="upload-preview"),
    path("workforce/upload/<str:token>/confirm/", views.upload_confirm, name="upload-confirm"),
    path("workforce/<str:code>/", views.return_detail, name="return-detail"),
]
