"""Staff pages for ad-platform figures, included at ``staff/`` (so ``/staff/ads/…``)."""

from django.urls import path

from carerecruit.adstats import views

app_name = "adstats"
urlpatterns = [
    path("ads/", views.index, name="index"),
    path("ads/import/", views.upload, name="upload"),
    path("ads/import/<str:token>/", views.preview, name="preview"),
    path("ads/platform-campaigns/<int:pk>/", views.mapping, name="mapping"),
]
