"""Candidate self-service URLs, mounted at /me/. ``/me/<token>/`` is part of the public
URL contract (the link in the e-mail)."""

from django.urls import path

from carerecruit.candidates import selfservice_views as views

app_name = "selfservice"
urlpatterns = [
    path("", views.request_link, name="request"),
    path("sent/", views.link_sent, name="sent"),
    path("erased/", views.erased, name="erased"),
    path("<str:token>/", views.home, name="home"),
    path("<str:token>/contact/", views.contact, name="contact"),
    path("<str:token>/availability/", views.availability, name="availability"),
    path("<str:token>/talent-bank/", views.consent, name="consent"),
    path("<str:token>/applications/<uuid:code>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:token>/my-data.json", views.download, {"fmt": "json"}, name="download-json"),
    path("<str:token>/my-data.csv", views.download, {"fmt": "csv"}, name="download-csv"),
    path("<str:token>/delete/", views.erase, name="erase"),
]
