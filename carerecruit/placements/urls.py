"""Staff pipeline pages, under ``/staff/`` (root urls include this module there)."""

from django.urls import path

from carerecruit.placements import views

app_name = "placements"
urlpatterns = [
    path("applications/", views.application_list, name="application-list"),
    path("applications/export.<slug:fmt>", views.application_export, name="application-export"),
    path("applications/bulk-move/", views.bulk_move, name="bulk-move"),
    path("applications/stuck/", views.stuck_list, name="stuck-list"),
    path("applications/<uuid:code>/", views.application_detail, name="application-detail"),
    path("applications/<uuid:code>/move/", views.move_stage, name="move-stage"),
    path("applications/<uuid:code>/notes/", views.add_note, name="add-note"),
    path("applications/<uuid:code>/owner/", views.assign_owner, name="assign-owner"),
    path("applications/<uuid:code>/checks/<slug:kind>/", views.record_check, name="record-check"),
    path("applications/<uuid:code>/checks/<slug:kind>/waive/", views.waive_check, name="waive-check"),
    path("applications/<uuid:code>/place/", views.place_candidate, name="place-candidate"),
    path("retention/", views.retention_list, name="retention-list"),
    path("placements/<uuid:code>/retention/<int:months>/", views.record_retention, name="record-retention"),
    path("pipeline/messages/", views.template_list, name="template-list"),
    path("pipeline/messages/<slug:kind>/", views.template_edit, name="template-edit"),
]
