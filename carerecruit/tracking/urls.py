"""Tracked links, mounted at /r/ (see the URL contract in docs/architecture.md)."""

from django.urls import path

from carerecruit.tracking import views

app_name = "tracking"
urlpatterns = [
    # <slug:> keeps odd bytes (NUL, spaces, slashes) out of the lookup: they are 404s.
    path("<slug:code>", views.redirect, name="redirect"),
    # Links pasted into some tools gain a trailing slash; they still work.
    path("<slug:code>/", views.redirect),
]
