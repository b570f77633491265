"""QR codes for printed tracked links (segno): PNG and SVG downloads of the full short URL."""

import io

import pytest
import segno
from PIL import Image

from .helpers import login

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def staff(client, personas):
    login(client, personas.council_a_recruiter)  # any staff member may download them
    return client


def test_png_is_a_download_of_the_short_url(staff, campaign, link):
    response = staff.get(f"/staff/campaigns/{campaign.slug}/links/{link.code}/qr.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="qr-{link.code}.png"'
    assert response.content.startswith(PNG_SIGNATURE)

    # Read the modules back out of the picture: they are segno's encoding of the URL at
    # error correction level M, 10 pixels a module, with a 4-module quiet zone.
    expected = segno.make(f"http://testserver/r/{link.code}", error="m", boost_error=False)
    assert expected.error == "M"
    size = expected.symbol_size(scale=1, border=0)[0]
    image = Image.open(io.BytesIO(response.content)).convert("L")
    assert image.size == ((size + 8) * 10, (size + 8) * 10)
    read = [
        [image.getpixel(((col + 4) * 10 + 5, (row + 4) * 10 + 5)) < 128 for col in range(size)]
        for row in range(size)
    ]
    assert read == [[bool(module) for module in row] for row in expected.matrix]
    # The quiet zone is white.
    assert all(image.getpixel((x, y)) == 255 for x in range(40) for y in range(0, image.size[1], 10))


def test_svg_matches_segno(staff, campaign, link):
    response = staff.get(f"/staff/campaigns/{campaign.slug}/links/{link.code}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == f'attachment; filename="qr-{link.code}.svg"'
    expected = io.BytesIO()
    segno.make(f"http://testserver/r/{link.code}", error="m", boost_error=False).save(
        expected, kind="svg", scale=10, border=4, xmldecl=True, svgns=True,
    )
    assert response.content == expected.getvalue()
    assert response.content.startswith(b"<?xml")


def test_unknown_link_or_campaign_is_404(staff, campaign, link):
    from carerecruit.testing.factories import make_campaign

    other = make_campaign("other-campaign")
    assert staff.get(f"/staff/campaigns/{campaign.slug}/links/nope2345/qr.png").status_code == 404
    assert staff.get(f"/staff/campaigns/{other.slug}/links/{link.code}/qr.png").status_code == 404
    assert staff.get(f"/staff/campaigns/nope/links/{link.code}/qr.svg").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, campaign, link):
    response = client.get(f"/staff/campaigns/{campaign.slug}/links/{link.code}/qr.png")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")
