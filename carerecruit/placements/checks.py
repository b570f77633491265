"""Which pre-employment checks a placement needs, and when a check counts as complete.

Sources: CQC Regulation 19 / Schedule 3 (identity, enhanced DBS with barred list,
conduct in previous care employment), right to work (Immigration, Asylum and Nationality
Act 2006; Home Office guidance), Social Work England registration for social workers
(Social Workers Regulations 2018) and the Care Certificate for care roles — domain.md
4.1–4.4. The rules live here once; the check forms and ``actions.do_record_check`` both
call :func:`clean_check_values`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from carerecruit.lib.swe import InvalidRegistration, normalise_swe_registration
from carerecruit.placements.models import CheckKind, RightToWorkDocument, RightToWorkMethod

# Every placement needs these (Schedule 3 items 1, 3, 4 and right to work). Two
# references, one of them a conduct reference from the last care employer.
BASE_KINDS: tuple[str, ...] = (
    CheckKind.DBS,
    CheckKind.RIGHT_TO_WORK,
    CheckKind.IDENTITY,
    CheckKind.CONDUCT_REFERENCE,
    CheckKind.SECOND_REFERENCE,
)
# ASC-WDS job roles whose new starters take the Care Certificate: senior care worker (7),
# care worker (8), other roles directly providing care (23), nursing assistant (38) and
# support worker (52).
CARE_ROLE_CODES = frozenset({7, 8, 23, 38, 52})

# The fields a recruiter fills in for each kind, in form order.
FIELDS: dict[str, tuple[str, ...]] = {
    CheckKind.DBS: (
        "dbs_certificate_number", "dbs_issue_date", "dbs_barred_list_checked",
        "dbs_update_service", "dbs_status_checked_on",
    ),
    CheckKind.RIGHT_TO_WORK: (
        "rtw_method", "rtw_document", "rtw_time_limited", "rtw_expires_on", "verified_on",
    ),
    CheckKind.CONDUCT_REFERENCE: ("referee_organisation", "verified_on", "reference_satisfactory"),
    CheckKind.SECOND_REFERENCE: ("referee_organisation", "verified_on", "reference_satisfactory"),
    CheckKind.IDENTITY: ("identity_document", "identity_photo_seen", "verified_on"),
    CheckKind.SWE_REGISTRATION: ("swe_number", "verified_on"),
    CheckKind.CARE_CERTIFICATE: ("care_certificate_status",),
}

DBS_CERTIFICATE_RE = re.compile(r"^[0-9]{12}$")


def required_kinds(job_roles: Iterable) -> list[str]:
    """Check kinds required for someone taking any of ``job_roles`` (reference.JobRole):
    the base five, plus Social Work England registration for roles that need it and the
    Care Certificate for care roles. In ``CheckKind`` order."""
    kinds = set(BASE_KINDS)
    for role in job_roles:
        if role.needs_swe_registration:
            kinds.add(CheckKind.SWE_REGISTRATION)
        if role.code in CARE_ROLE_CODES:
            kinds.add(CheckKind.CARE_CERTIFICATE)
    return [k for k in CheckKind.values if k in kinds]


def _past_date(values, errors, name, missing, today, *, future_message):
    value = values.get(name)
    if value is None:
        errors[name] = missing
    elif value > today:
        errors[name] = future_message


def clean_check_values(
    kind: str, values: dict, today: datetime.date
) -> tuple[dict, dict[str, str]]:
    """Validate what a recruiter entered to complete a check of ``kind``.

    ``values`` holds the kind's :data:`FIELDS` (dates as ``datetime.date``, booleans,
    choice values; missing keys count as empty). Returns ``(cleaned, errors)``: cleaned
    values for exactly the kind's fields, and ``{field: message}`` (empty when the check
    may be marked complete). ``today`` is the local date.
    """
    fields = FIELDS[kind]
    cleaned = {name: values.get(name) for name in fields}
    errors: dict[str, str] = {}
    if kind == CheckKind.DBS:
        number = "".join(str(cleaned.get("dbs_certificate_number") or "").split())
        cleaned["dbs_certificate_number"] = number
        if not DBS_CERTIFICATE_RE.fullmatch(number):
            errors["dbs_certificate_number"] = "Enter the 12-digit DBS certificate number"
        _past_date(cleaned, errors, "dbs_issue_date", "Enter the certificate's date of issue", today,
                   future_message="The date of issue must be today or in the past")
        cleaned["dbs_barred_list_checked"] = bool(cleaned.get("dbs_barred_list_checked"))
        if not cleaned["dbs_barred_list_checked"]:
            errors["dbs_barred_list_checked"] = (
                "Confirm the certificate includes a check of the adults' barred list"
            )
        if cleaned.get("dbs_update_service") is None:
            errors["dbs_update_service"] = "Select whether the certificate is on the DBS Update Service"
        elif cleaned["dbs_update_service"]:
            checked = cleaned.get("dbs_status_checked_on")
            issued = cleaned.get("dbs_issue_date")
            if checked is None:
                errors["dbs_status_checked_on"] = "Enter the date of the Update Service status check"
            elif checked > today:
                errors["dbs_status_checked_on"] = "The status check date must be today or in the past"
            elif issued is not None and checked < issued:
                errors["dbs_status_checked_on"] = "The status check date must be on or after the date of issue"
        else:
            cleaned["dbs_status_checked_on"] = None
    elif kind == CheckKind.RIGHT_TO_WORK:
        method, document = cleaned.get("rtw_method") or "", cleaned.get("rtw_document") or ""
        cleaned["rtw_method"], cleaned["rtw_document"] = method, document
        if method not in RightToWorkMethod.values:
            errors["rtw_method"] = "Select how the right to work was checked"
        if document not in RightToWorkDocument.values:
            errors["rtw_document"] = "Select the document or evidence seen"
        if method == RightToWorkMethod.IDSP and document and document != RightToWorkDocument.BRITISH_IRISH_PASSPORT:
            errors["rtw_document"] = "An IDSP check can only be used with a valid British or Irish passport"
        if method == RightToWorkMethod.ONLINE and document and document != RightToWorkDocument.EVISA:
            errors["rtw_document"] = "A Home Office online check shows an eVisa or online profile"
        if method == RightToWorkMethod.MANUAL and document == RightToWorkDocument.EVISA:
            errors["rtw_document"] = "An eVisa can only be checked online with a share code"
        cleaned["rtw_time_limited"] = bool(cleaned.get("rtw_time_limited")) or (
            document == RightToWorkDocument.LIST_B
        )
        if cleaned["rtw_time_limited"]:
            expires = cleaned.get("rtw_expires_on")
            if expires is None:
                errors["rtw_expires_on"] = "Enter the date the permission to work ends"
            elif expires <= today:
                errors["rtw_expires_on"] = "The permission to work has ended: it must end after today"
        else:
            cleaned["rtw_expires_on"] = None
        _past_date(cleaned, errors, "verified_on", "Enter the date of the check", today,
                   future_message="The date of the check must be today or in the past")
    elif kind in (CheckKind.CONDUCT_REFERENCE, CheckKind.SECOND_REFERENCE):
        cleaned["referee_organisation"] = " ".join(str(cleaned.get("referee_organisation") or "").split())
        if not cleaned["referee_organisation"]:
            errors["referee_organisation"] = "Enter the referee's organisation"
        _past_date(cleaned, errors, "verified_on", "Enter the date the reference was received", today,
                   future_message="The date received must be today or in the past")
        cleaned["reference_satisfactory"] = bool(cleaned.get("reference_satisfactory"))
        if not cleaned["reference_satisfactory"]:
            errors["reference_satisfactory"] = (
                "Confirm the reference is satisfactory (or waive the check, giving the reason)"
            )
    elif kind == CheckKind.IDENTITY:
        if cleaned.get("identity_document") not in {"passport", "driving_licence", "other_photo_id"}:
            errors["identity_document"] = "Select the identity document seen"
        cleaned["identity_photo_seen"] = bool(cleaned.get("identity_photo_seen"))
        if not cleaned["identity_photo_seen"]:
            errors["identity_photo_seen"] = "Confirm a recent photograph of the candidate was seen"
        _past_date(cleaned, errors, "verified_on", "Enter the date identity was checked", today,
                   future_message="The date must be today or in the past")
    elif kind == CheckKind.SWE_REGISTRATION:
        try:
            cleaned["swe_number"] = normalise_swe_registration(str(cleaned.get("swe_number") or ""))
        except InvalidRegistration as exc:
            errors["swe_number"] = str(exc)
        _past_date(cleaned, errors, "verified_on",
                   "Enter the date registration was checked on the Social Work England register",
                   today, future_message="The date must be today or in the past")
    elif kind == CheckKind.CARE_CERTIFICATE:
        if cleaned.get("care_certificate_status") not in (1, 2, 3):
            errors["care_certificate_status"] = "Select the candidate's Care Certificate status"
    else:
        raise ValueError(f"unknown check kind {kind!r}")
    return cleaned, errors
