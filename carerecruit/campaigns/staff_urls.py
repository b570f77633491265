"""Staff URLs for the campaign studio and tracked links, mounted at /staff/.

The campaign dashboard ``campaigns/<slug>/`` (and its ``live/`` and ``download/``) belongs
to :mod:`carerecruit.insights.urls`; this module is included before it, so
``campaigns/new/`` is this studio's page (and "new" is a reserved campaign slug).
"""

from django.urls import path

from carerecruit.campaigns import staff_views

app_name = "campaigns_staff"
urlpatterns = [
    path("campaigns/", staff_views.studio, name="studio"),
    path("campaigns/new/", staff_views.campaign_create, name="campaign-create"),
    path("campaigns/<slug:slug>/edit/", staff_views.campaign_edit, name="campaign-edit"),
    path("campaigns/<slug:slug>/clone/", staff_views.campaign_clone, name="campaign-clone"),
    path("campaigns/<slug:slug>/preview/", staff_views.campaign_preview, name="campaign-preview"),
    path("campaigns/<slug:slug>/publish/", staff_views.campaign_publish, name="campaign-publish"),
    path("campaigns/<slug:slug>/close/", staff_views.campaign_close, name="campaign-close"),
    path("campaigns/<slug:slug>/images/", staff_views.image_list, name="images"),
    path("campaigns/<slug:slug>/images/<int:image_id>/", staff_views.image_edit, name="image-edit"),
    path(
        "campaigns/<slug:slug>/images/<int:image_id>/remove/",
        staff_views.image_remove, name="image-remove",
    ),
    path("campaigns/<slug:slug>/links/", staff_views.link_list, name="link-list"),
    path("campaigns/<slug:slug>/links/live/", staff_views.link_list_live, name="link-list-live"),
    path("campaigns/<slug:slug>/links/new/", staff_views.link_create, name="link-create"),
    path("campaigns/<slug:slug>/links/bulk/", staff_views.link_bulk, name="link-bulk"),
    path(
        "campaigns/<slug:slug>/links/<slug:code>/qr.png",
        staff_views.link_qr, {"fmt": "png"}, name="link-qr-png",
    ),
    path(
        "campaigns/<slug:slug>/links/<slug:code>/qr.svg",
        staff_views.link_qr, {"fmt": "svg"}, name="link-qr-svg",
    ),
]
