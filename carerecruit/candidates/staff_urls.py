"""Staff URLs of the candidates app, mounted at /staff/ (paths under imports/)."""

from django.urls import path

from carerecruit.candidates import staff_views

app_name = "candidates_staff"
urlpatterns = [
    path("imports/applications/", staff_views.import_upload, name="import-applications"),
    path("imports/applications/<uuid:code>/", staff_views.import_preview, name="import-preview"),
    path("imports/applications/<uuid:code>/confirm/", staff_views.import_confirm, name="import-confirm"),
    path("imports/applications/<uuid:code>/discard/", staff_views.import_discard, name="import-discard"),
]
