"""Staff pages of the reports app (root urls include this module at ``staff/``)."""

from django.urls import path

from carerecruit.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/<str:week>/", views.week, name="week"),
    path("reports/<str:week>/pdf/", views.week_pdf, name="week-pdf"),
    path("reports/<str:week>/html/", views.week_html, name="week-html"),
]
