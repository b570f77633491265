"""Campaign images: upload (PNG/JPEG ≤ 2 MB by content), required alt text, order,
shown on the microsite and served under MEDIA_URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carerecruit.campaigns.forms import MAX_IMAGE_BYTES
from carerecruit.campaigns.models import CampaignImage

from .helpers import MOBILE_UA, jpeg_bytes, login, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def manager(client, personas):
    login(client, personas.campaign_manager)
    return client


def upload(manager, campaign, content, name="photo.png", **data):
    fields = {"alt_text": "A support worker and an older man laughing", "order": ""}
    fields.update(data)
    fields["image"] = SimpleUploadedFile(name, content, content_type="image/png")
    return manager.post(f"/staff/campaigns/{campaign.slug}/images/", fields)


def test_upload_a_png_with_alt_text(manager, campaign):
    response = upload(manager, campaign, png_bytes(40, 30))
    assert response.status_code == 302
    assert response["Location"] == "/staff/campaigns/come-back-to-care/images/"
    image = CampaignImage.objects.get()
    assert (image.campaign, image.alt_text, image.is_decorative, image.order) == (
        campaign, "A support worker and an older man laughing", False, 1,
    )
    assert (image.width, image.height) == (40, 30)
    assert image.image.name.startswith("campaigns/images/") and image.image.name.endswith(".png")
    assert "photo" not in image.image.name
    html = manager.get(response["Location"]).content.decode()
    assert "The image was added to the microsite." in html
    assert "A support worker and an older man laughing" in html


def test_upload_a_jpeg_named_png_is_stored_as_jpeg(manager, campaign):
    assert upload(manager, campaign, jpeg_bytes(), name="renamed.png").status_code == 302
    image = CampaignImage.objects.get()
    assert image.image.name.endswith(".jpg")
    assert (image.width, image.height) == (5, 2)


@pytest.mark.parametrize(("content", "name"), [
    (b"GIF89a" + b"\0" * 100, "animation.gif"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "logo.png"),
    (b"%PDF-1.7 not an image", "poster.jpg"),
    (png_bytes()[:40], "truncated.png"),
])
def test_only_real_png_or_jpeg_is_accepted(manager, campaign, content, name):
    response = upload(manager, campaign, content, name=name)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Images: Come Back to Care – " in html
    assert '<a href="#id_image">The image must be a PNG or JPEG file</a>' in html
    assert CampaignImage.objects.count() == 0


def test_image_over_2_mb_is_refused(manager, campaign):
    content = png_bytes() + b"\0" * (MAX_IMAGE_BYTES + 1 - len(png_bytes()))
    html = upload(manager, campaign, content).content.decode()
    assert '<a href="#id_image">The image must be 2 MB or smaller</a>' in html
    assert CampaignImage.objects.count() == 0


def test_alt_text_is_required_unless_decorative(manager, campaign):
    html = upload(manager, campaign, png_bytes(), alt_text="").content.decode()
    assert ('<a href="#id_alt_text">Enter alt text that describes the image, or tick that it '
            "is decorative</a>") in html
    assert CampaignImage.objects.count() == 0

    assert upload(manager, campaign, png_bytes(), alt_text="", is_decorative="on").status_code == 302
    image = CampaignImage.objects.get()
    assert (image.alt_text, image.is_decorative) == ("", True)


def test_no_file_chosen(manager, campaign):
    response = manager.post(f"/staff/campaigns/{campaign.slug}/images/", {"alt_text": "x"})
    assert '<a href="#id_image">Choose an image file</a>' in response.content.decode()


def test_images_show_on_the_microsite_in_order_and_are_served(manager, campaign):
    upload(manager, campaign, png_bytes(), alt_text="Second", order="2")
    upload(manager, campaign, jpeg_bytes(), alt_text="", is_decorative="on", order="1")
    first, second = CampaignImage.objects.order_by("order")

    public = type(manager)(HTTP_USER_AGENT=MOBILE_UA)
    html = public.get(f"/c/{campaign.slug}/").content.decode()
    first_tag = f'<img class="cr-campaign-image" src="/media/{first.image.name}" alt="" width="5" height="2">'
    second_tag = (f'<img class="cr-campaign-image" src="/media/{second.image.name}" alt="Second" '
                  'width="4" height="3" loading="lazy">')
    assert first_tag in html and second_tag in html
    assert html.index(first_tag) < html.index(second_tag)

    served = public.get(f"/media/{second.image.name}")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png_bytes()
    assert "immutable" in served["Cache-Control"]


def test_only_campaign_images_are_served_from_media(client, settings):
    (settings.MEDIA_ROOT / "private").mkdir(parents=True)
    (settings.MEDIA_ROOT / "private" / "export.csv").write_text("secret")
    assert client.get("/media/private/export.csv").status_code == 404
    assert client.get("/media/campaigns/images/../../private/export.csv").status_code == 404
    assert client.get("/media/campaigns/images/" + "0" * 32 + ".png").status_code == 404


def test_change_alt_text_and_order(manager, campaign):
    upload(manager, campaign, png_bytes())
    image = CampaignImage.objects.get()
    url = f"/staff/campaigns/{campaign.slug}/images/{image.pk}/"
    assert 'value="A support worker and an older man laughing"' in manager.get(url).content.decode()

    html = manager.post(url, {"alt_text": " ", "order": "3"}).content.decode()
    assert "Enter alt text that describes the image" in html

    response = manager.post(url, {"alt_text": "A nurse at a bedside", "order": "3"})
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt_text, image.order) == ("A nurse at a bedside", 3)


def test_remove_an_image(manager, campaign, django_capture_on_commit_callbacks):
    upload(manager, campaign, png_bytes())
    image = CampaignImage.objects.get()
    url = f"/staff/campaigns/{campaign.slug}/images/{image.pk}/remove/"
    assert manager.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url)
    assert response.status_code == 302
    assert CampaignImage.objects.count() == 0
    assert not image.image.storage.exists(image.image.name)


def test_another_campaigns_image_is_404(manager, campaign, db):
    from carerecruit.testing.factories import make_campaign

    upload(manager, campaign, png_bytes())
    image = CampaignImage.objects.get()
    other = make_campaign("other-campaign")
    assert manager.get(f"/staff/campaigns/{other.slug}/images/{image.pk}/").status_code == 404
    assert manager.post(f"/staff/campaigns/{other.slug}/images/{image.pk}/remove/").status_code == 404
    assert CampaignImage.objects.count() == 1


@pytest.mark.parametrize("persona", ["council_a_recruiter", "viewer"])
def test_read_only_roles_get_403(client, personas, campaign, persona):
    login(client, getattr(personas, persona))
    response = client.post(f"/staff/campaigns/{campaign.slug}/images/", {
        "alt_text": "x", "image": SimpleUploadedFile("x.png", png_bytes()),
    })
    assert response.status_code == 403
    assert CampaignImage.objects.count() == 0
