"""Staff dashboards under ``/staff/`` (root urls include this module there)."""

from django.urls import path

from carerecruit.insights import views

app_name = "insights"
urlpatterns = [
    path("insights/", views.overview, name="overview"),
    path("insights/live/", views.overview_live, name="overview-live"),
    path(
        "insights/download/<slug:table>.<slug:fmt>",
        views.overview_download,
        name="overview-download",
    ),
    path("campaigns/<slug:slug>/", views.campaign_dashboard, name="campaign-dashboard"),
    path(
        "campaigns/<slug:slug>/live/",
        views.campaign_dashboard_live,
        name="campaign-dashboard-live",
    ),
    path(
        "campaigns/<slug:slug>/download/<slug:table>.<slug:fmt>",
        views.campaign_download,
        name="campaign-download",
    ),
    path("campaigns/<slug:slug>/target/", views.campaign_target, name="campaign-target"),
]
