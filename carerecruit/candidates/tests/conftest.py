"""Helpers for the application tests: a phone browser client and a valid form."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole

MOBILE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
APPLY_URL = "/c/come-back-to-care/apply/"


@pytest.fixture
def client():
    return Client(HTTP_USER_AGENT=MOBILE_UA)


@pytest.fixture
def start_date():
    return timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def form_data(campaign, start_date):
    """A complete, valid POST for the campaign fixture: an occupational therapist
    (no Social Work England number needed) who would work in Birmingham."""
    occupational_therapist = JobRole.objects.get(code=15)
    birmingham = Organisation.objects.get(gss_code="E08000025")
    return {
        "full_name": "Ann Lee",
        "email": "Ann.Lee@Example.org",
        "phone": "07700 900123",
        "postcode": " b1  1aa",
        "job_roles": [str(occupational_therapist.pk)],
        "swe_registration": "",
        "years_experience": "12",
        "current_role": "Senior occupational therapist",
        "earliest_start_0": str(start_date.day),
        "earliest_start_1": str(start_date.month),
        "earliest_start_2": str(start_date.year),
        "hours_wanted": "part_time",
        "council_areas": [str(birmingham.pk)],
        "right_to_work": "yes",
        "talent_bank_consent": "on",
    }
