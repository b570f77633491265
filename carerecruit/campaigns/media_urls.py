"""Campaign images under MEDIA_URL (``/media/campaigns/images/<random>.png|jpg``).

Only this folder is served: other apps may keep private uploads under MEDIA_ROOT, and
those must never be reachable by URL. The names are random and a file never changes
once stored, so browsers may cache them for a year.
"""

from django.urls import re_path

from carerecruit.campaigns import views

app_name = "campaigns_media"
urlpatterns = [
    re_path(
        r"^(?P<path>campaigns/images/[0-9a-f]{32}\.(?:png|jpg))$",
        views.campaign_image_file, name="image",
    ),
]
