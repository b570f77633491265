"""Builders for the placements tests: applications made through the real submit action
(so routing runs exactly as in production), and a route taken to a given stage."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from carerecruit.candidates.actions import do_submit_application
from carerecruit.organisations.models import Organisation
from carerecruit.placements import actions
from carerecruit.placements.models import ApplicationRoute, CheckKind
from carerecruit.placements.pipeline import Stage
from carerecruit.reference.models import JobRole

BIRMINGHAM = "E08000025"
COVENTRY = "E08000026"
STAFFORDSHIRE = "E10000028"
_phones = itertools.count(100)

# The way forward from new to pre-employment checks, one allowed step at a time.
PATH_TO_CHECKS = (Stage.CONTACTED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER, Stage.CHECKS)


def council(gss: str) -> Organisation:
    return Organisation.objects.get(gss_code=gss)


def apply(campaign, *, name="Ann Lee", email=None, postcode="B1 1BB", councils=(BIRMINGHAM,),
          roles=(15,), attribution=None, now=None):
    """Submit an application (no e-mail) and return it; it is routed by the real hook."""
    n = next(_phones)
    email = email or f"person{n}@example.org"
    data = {
        "full_name": name,
        "email": email,
        "phone": f"+447700900{n % 1000:03d}",
        "postcode": postcode,
        "job_roles": list(JobRole.objects.filter(code__in=roles)),
        "swe_registration": "SW104233" if 6 in roles else "",
        "years_experience": 5,
        "current_role": "Care worker",
        "earliest_start": datetime.date(2030, 5, 4),
        "hours_wanted": "full_time",
        "council_areas": [council(g) for g in councils],
        "right_to_work": "yes",
        "talent_bank_consent": True,
    }
    application, created = do_submit_application(
        campaign, data, attribution, now=now or timezone.now(), send_email=False
    )
    assert created
    return application


def route_of(application, gss=BIRMINGHAM) -> ApplicationRoute:
    return ApplicationRoute.objects.get(application=application, organisation__gss_code=gss)


def move_to(route, stage, *, by, now=None):
    """Walk ``route`` forward along PATH_TO_CHECKS until it reaches ``stage``."""
    for step in PATH_TO_CHECKS:
        actions.do_move_stage(route, step, by=by, notify=False, now=now)
        if step == stage:
            break
    route.refresh_from_db()
    return route


COMPLETE_VALUES = {
    CheckKind.DBS: {
        "dbs_certificate_number": "001234567890", "dbs_issue_date": datetime.date(2026, 1, 5),
        "dbs_barred_list_checked": True, "dbs_update_service": True,
        "dbs_status_checked_on": datetime.date(2026, 1, 20),
    },
    CheckKind.RIGHT_TO_WORK: {
        "rtw_method": "idsp", "rtw_document": "british_irish_passport", "rtw_time_limited": False,
        "verified_on": datetime.date(2026, 1, 6),
    },
    CheckKind.CONDUCT_REFERENCE: {
        "referee_organisation": "Sandwell Council", "verified_on": datetime.date(2026, 1, 7),
        "reference_satisfactory": True,
    },
    CheckKind.SECOND_REFERENCE: {
        "referee_organisation": "Dudley Hospice", "verified_on": datetime.date(2026, 1, 8),
        "reference_satisfactory": True,
    },
    CheckKind.IDENTITY: {
        "identity_document": "passport", "identity_photo_seen": True,
        "verified_on": datetime.date(2026, 1, 6),
    },
    CheckKind.SWE_REGISTRATION: {"swe_number": "sw 104233", "verified_on": datetime.date(2026, 1, 9)},
    CheckKind.CARE_CERTIFICATE: {"care_certificate_status": 3},
}


def complete_all_checks(route, *, by):
    for check in route.checks.all():
        actions.do_record_check(check, COMPLETE_VALUES[check.kind], by=by)
