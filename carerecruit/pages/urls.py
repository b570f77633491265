"""Public pages that belong to no campaign: region home, privacy, accessibility, health."""

from django.urls import path

from carerecruit.pages import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon),
]
