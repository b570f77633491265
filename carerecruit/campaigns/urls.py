"""Public campaign URLs, mounted at /c/ (see the URL contract in docs/architecture.md)."""

from django.urls import path

from carerecruit.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("<slug:slug>/", views.microsite, name="microsite"),
]
