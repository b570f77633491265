"""Shared helpers for the campaign studio tests."""

from __future__ import annotations

import io

from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.testing.personas import PASSWORD

MOBILE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Mobile Safari/537.36"
)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def social_worker() -> JobRole:
    return JobRole.objects.get(code=6)


def birmingham() -> Organisation:
    return Organisation.objects.get(gss_code="E08000025")


def campaign_data(faqs=(), extra_faq_forms=3, **overrides) -> dict:
    """POST data for the studio form: a complete campaign, with ``faqs`` as
    (question, answer) pairs followed by blank FAQ forms."""
    data = {
        "name": "Care to Care",
        "slug": "care-to-care",
        "hashtag": "CareToCare",
        "audience": "People new to care",
        "starts_on_0": "1", "starts_on_1": "6", "starts_on_2": "2030",
        "ends_on_0": "31", "ends_on_1": "7", "ends_on_2": "2030",
        "job_roles": [str(social_worker().pk)],
        "partners": [str(birmingham().pk)],
        "headline": "Start a career in care",
        "introduction": "Care workers make lives better.\n\nNo experience needed.",
        "why_join": "Paid training\n\n  Flexible hours  \n",
        "contact_email": "care@example.org",
        "contact_phone": "0121 496 0199",
        "brand_colour": "#1D3A5F",
    }
    forms = list(faqs) + [("", "")] * extra_faq_forms
    data.update({
        "faq-TOTAL_FORMS": str(len(forms)), "faq-INITIAL_FORMS": str(len(faqs)),
        "faq-MIN_NUM_FORMS": "0", "faq-MAX_NUM_FORMS": "30",
    })
    for i, (question, answer) in enumerate(forms):
        data[f"faq-{i}-question"] = question
        data[f"faq-{i}-answer"] = answer
    data.update(overrides)
    return data


def png_bytes(width=4, height=3, colour=(29, 58, 95)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(width=5, height=2) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 10, 10)).save(buffer, format="JPEG")
    return buffer.getvalue()
