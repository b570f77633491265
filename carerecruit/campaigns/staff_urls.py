from django.urls import path

from carerecruit.campaigns import staff_views

app_name = "campaigns_staff"
urlpatterns = [
    path("campaigns/<slug:slug>/links/", staff_views.link_list, name="link-list"),
    path("campaigns/<slug:slug>/links/new/", staff_views.link_create, name="link-create"),
]
