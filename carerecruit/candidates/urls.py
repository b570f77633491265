"""Public application URLs, mounted at /c/ beside the campaign microsite."""

from django.urls import path

from carerecruit.candidates import views

app_name = "candidates"
urlpatterns = [
    path("<slug:slug>/apply/", views.apply, name="apply"),
    path("<slug:slug>/apply/done/", views.apply_done, name="apply-done"),
]
