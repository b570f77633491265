"""Builders for talent-bank and vacancy tests: located postcodes, applicants, vacancies.

Postcode points are fixed so distances are exact (haversine from B1 1BB, Birmingham):
B15 2TT 3.72 km, WS1 1AA 13.03 km, WV1 1AA 19.34 km, CV1 5FB 27.74 km, ST1 1AA 63.50 km.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from carerecruit.candidates.actions import do_submit_application
from carerecruit.candidates.models import Candidate
from carerecruit.lib.postcodes import normalise_postcode
from carerecruit.organisations.models import Organisation
from carerecruit.placements.models import PostcodeLocation
from carerecruit.reference.models import JobRole
from carerecruit.talentbank.profiles import refresh_talent_profile
from carerecruit.vacancies.actions import do_create_vacancy, do_open_vacancy
from carerecruit.vacancies.models import ContractType, PayUnit, Vacancy

# postcode: (latitude, longitude, council GSS code)
POSTCODES = {
    "B1 1BB": (52.4797, -1.9027, "E08000025"),
    "B15 2TT": (52.4508, -1.9305, "E08000025"),
    "WS1 1AA": (52.5862, -1.9829, "E08000030"),
    "WV1 1AA": (52.5862, -2.1288, "E08000031"),
    "CV1 5FB": (52.4081, -1.5106, "E08000026"),
    "ST1 1AA": (53.0260, -2.1775, "E06000021"),
}


def add_postcodes() -> None:
    """Create the ONSPD rows of :data:`POSTCODES`."""
    for pcds, (lat, lon, gss) in POSTCODES.items():
        PostcodeLocation.objects.update_or_create(
            compact=pcds.replace(" ", ""),
            defaults={"pcds": pcds, "latitude": lat, "longitude": lon, "cassr_gss": gss,
                      "oslaua": gss, "rgn": "E12000005"},
        )


_counter = {"n": 0}


def applicant(
    campaign, name: str, *, postcode: str = "B1 1BB", roles=(8,), years: int = 2, swe: str = "",
    start: datetime.date | None = None, hours: str = "full_time", councils=(), consent: bool = True,
    email: str | None = None, phone: str | None = None, now: datetime.datetime | None = None,
) -> Candidate:
    """A person who applied to ``campaign`` (through do_submit_application), with their
    talent profile refreshed. ``roles`` are ASC-WDS job role codes; ``councils`` GSS
    codes; ``start`` defaults to today (local)."""
    _counter["n"] += 1
    n = _counter["n"]
    data = {
        "full_name": name,
        "email": email or f"person{n}@example.org",
        "phone": phone or f"+4477009{n:05d}",
        "postcode": normalise_postcode(postcode),
        "job_roles": list(JobRole.objects.filter(code__in=roles)),
        "swe_registration": swe,
        "years_experience": years,
        "current_role": "",
        "earliest_start": start or timezone.localdate(),
        "hours_wanted": hours,
        "council_areas": list(Organisation.objects.filter(gss_code__in=councils)),
        "right_to_work": "yes",
        "talent_bank_consent": consent,
    }
    application, _ = do_submit_application(campaign, data, None, now=now, send_email=False)
    refresh_talent_profile(application.candidate_id)
    return Candidate.objects.get(pk=application.candidate_id)


def vacancy_fields(**overrides) -> dict:
    """Field values for a care worker vacancy in Birmingham (B1 1BB), closing in 30 days."""
    fields = {
        "title": "Care worker (home care)",
        "reference": "",
        "job_role": JobRole.objects.get(code=8),
        "contract_type": ContractType.PERMANENT,
        "hours_per_week": Decimal("37.5"),
        "pay_min_pence": 1275,
        "pay_max_pence": 1350,
        "pay_unit": PayUnit.HOUR,
        "street_address": "1 Colmore Row",
        "town": "Birmingham",
        "postcode": "B1 1BB",
        "council_area": Organisation.objects.get(gss_code="E08000025"),
        "closing_date": timezone.localdate() + datetime.timedelta(days=30),
        "starts_on": None,
        "number_of_posts": 3,
        "description": "Support older people at home.\n\nPaid travel time.",
    }
    fields.update(overrides)
    return fields


def make_vacancy(organisation: Organisation, *, open_it: bool = True, campaign=None, created_by=None,
                 **overrides) -> Vacancy:
    """A vacancy for ``organisation`` (open unless ``open_it`` is False)."""
    vacancy = do_create_vacancy(
        organisation, vacancy_fields(**overrides), campaign=campaign, created_by=created_by
    )
    if open_it:
        do_open_vacancy(vacancy)
    return vacancy
