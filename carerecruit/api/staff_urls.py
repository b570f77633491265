"""Staff pages for API tokens (root urls include this module at ``staff/``)."""

from django.urls import path

from carerecruit.api import staff_views

app_name = "api_staff"
urlpatterns = [
    path("api-tokens/", staff_views.token_list, name="tokens"),
    path("api-tokens/new/", staff_views.token_new, name="token-new"),
    path("api-tokens/<uuid:code>/", staff_views.token_detail, name="token-detail"),
    path("api-tokens/<uuid:code>/revoke/", staff_views.token_revoke, name="token-revoke"),
]
