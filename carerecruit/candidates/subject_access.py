"""Subject access export ("download my data"): everything we hold about one candidate,
as JSON or CSV, with a registry other apps plug into.

The candidates app contributes the candidate record, each application (answers,
attribution, source, status in plain words), the consent history and the log of who
accessed the record. Apps that hold more (pipeline stage history, notes, messages,
checks, placements, talent-bank activity) register an exporter in their
``AppConfig.ready()``::

    from carerecruit.candidates.subject_access import register_exporter

    def export_notes(candidate):
        return [
            {"application": note.application.code, "written_at": note.created_at,
             "organisation": note.organisation.name, "text": note.text}
            for note in Note.objects.filter(application__candidate=candidate)
        ]

    class PlacementsConfig(AppConfig):
        def ready(self):
            register_exporter("notes", export_notes)

An exporter returns a list of flat dicts (one per record; values str, int, float, bool,
None, date, datetime, UUID or Decimal — converted to JSON-friendly text here). Its
section name must be unique. Source of the duty: UK GDPR Art. 15 (domain.md 7.3): give
the person a copy of their personal data, the purposes, the recipients.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from carerecruit.candidates.models import Candidate, ConsentSource
from carerecruit.candidates.status import application_status
from carerecruit.lib.spreadsheet import write_csv

Exporter = Callable[[Candidate], list[dict]]

_exporters: dict[str, Exporter] = {}

# Our own sections, which registered exporters may not reuse.
CORE_SECTIONS = ("candidate", "applications", "consent_history", "access_log")


def register_exporter(section: str, exporter: Exporter) -> Exporter:
    """Register ``exporter`` for ``section`` (a short snake_case name shown as a heading
    in the download). Raises ValueError if another function already owns ``section``.
    Registering the same function again is harmless."""
    if section in CORE_SECTIONS or _exporters.get(section, exporter) is not exporter:
        raise ValueError(f"subject access section {section!r} is already registered")
    _exporters[section] = exporter
    return exporter


def registered_exporters() -> dict[str, Exporter]:
    """Section name → exporter, in registration order."""
    return dict(_exporters)


def plain(value):
    """A JSON-friendly form of ``value``: datetimes as ISO 8601 in UTC, dates as
    ``YYYY-MM-DD``, UUIDs and Decimals as strings, lists/dicts converted inside."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    return value


def _candidate_section(candidate: Candidate) -> dict:
    return {
        "reference": candidate.code,
        "full_name": candidate.full_name,
        "email": candidate.email,
        "phone": candidate.phone_e164,
        "postcode": candidate.postcode,
        "talent_bank_consent": candidate.talent_bank_consent,
        "talent_bank_consent_given_at": candidate.talent_bank_consent_at,
        "created_at": candidate.created_at,
        "updated_at": candidate.updated_at,
        "last_active_at": candidate.last_active_at,
    }


def _application_rows(candidate: Candidate) -> list[dict]:
    rows = []
    applications = (
        candidate.applications.select_related("campaign", "link", "import_batch")
        .prefetch_related("job_roles", "council_areas")
        .order_by("submitted_at", "pk")
    )
    for application in applications:
        batch = application.import_batch
        rows.append(
            {
                "reference": application.code.hex[:8].upper(),
                "campaign": application.campaign.name,
                "submitted_at": application.submitted_at,
                "status": "; ".join(line.words_with_organisation for line in application_status(application)),
                "withdrawn_at": application.withdrawn_at,
                "name_as_given": application.full_name_given,
                "job_roles": "; ".join(role.name for role in application.job_roles.all()),
                "years_experience": application.years_experience,
                "current_role": application.current_role,
                "swe_registration": application.swe_registration,
                "earliest_start": application.earliest_start,
                "hours_wanted": application.get_hours_wanted_display(),
                "council_areas": "; ".join(o.short_name for o in application.council_areas.all()),
                "right_to_work": application.get_right_to_work_display(),
                "source": (
                    f"Imported list ({batch.file_name}, {batch.imported_at:%Y-%m-%d})"
                    if batch is not None and batch.imported_at
                    else ("Imported list" if application.import_batch_id else "Application form")
                ),
                "channel": application.channel,
                "tracked_link": application.link.code if application.link_id else "",
                "utm_source": application.utm_source,
                "utm_medium": application.utm_medium,
                "utm_campaign": application.utm_campaign,
                "utm_content": application.utm_content,
                "utm_term": application.utm_term,
                "referrer_host": application.referrer_host,
                "click_id": application.click_id,
            }
        )
    return rows


def consent_history(candidate: Candidate) -> list[dict]:
    """The candidate's talent-bank consent changes, oldest first:
    ``{"given": bool, "changed_at": datetime, "source": label}``.

    Consent given on the public form is not written to ConsentChange; when the candidate
    holds a consent time earlier than every recorded change, that consent is shown first
    as given on an application form.
    """
    changes = list(candidate.consent_changes.all())
    rows = [
        {"given": c.given, "changed_at": c.changed_at, "source": c.get_source_display()}
        for c in changes
    ]
    given_at = candidate.talent_bank_consent_at
    if given_at is not None and all(c.changed_at > given_at for c in changes):
        rows.insert(
            0, {"given": True, "changed_at": given_at, "source": ConsentSource.APPLICATION.label}
        )
    return rows


def _access_log(candidate: Candidate) -> list[dict]:
    from carerecruit.organisations.models import PersonalDataAccess

    lines = PersonalDataAccess.objects.filter(candidate_code=candidate.code).select_related(
        "organisation"
    )
    return [
        {
            "occurred_at": line.occurred_at,
            "organisation": line.organisation.name if line.organisation_id else "You",
            "action": line.get_action_display(),
            "what": line.resource,
        }
        for line in lines.order_by("occurred_at", "pk")
    ]


def build_subject_access(candidate: Candidate) -> dict:
    """Everything held about ``candidate`` as a JSON-ready dict::

        {"generated_at": "...", "candidate": {...}, "applications": [{...}],
         "consent_history": [{...}], "access_log": [{...}], "<registered section>": [...]}

    Values are plain (see :func:`plain`): ISO 8601 UTC datetimes, ``YYYY-MM-DD`` dates.
    """
    data = {
        "generated_at": timezone.now(),
        "candidate": _candidate_section(candidate),
        "applications": _application_rows(candidate),
        "consent_history": consent_history(candidate),
        "access_log": _access_log(candidate),
    }
    for section, exporter in registered_exporters().items():
        data[section] = list(exporter(candidate))
    return plain(data)


CSV_HEADER = ("section", "record", "field", "value")


def subject_access_csv(data: dict) -> bytes:
    """The export from :func:`build_subject_access` as one CSV in long form: a row per
    value with columns section, record (1-based number within the section; 1 for the
    candidate), field, value. UTF-8 with BOM, formulas neutralised
    (:mod:`carerecruit.lib.spreadsheet`)."""
    rows = []
    for section, content in data.items():
        if section == "generated_at":
            rows.append(("export", 1, "generated_at", content))
            continue
        records = content if isinstance(content, list) else [content]
        for number, record in enumerate(records, start=1):
            for key, value in record.items():
                if isinstance(value, (list, dict)):
                    value = str(value)
                rows.append((section, number, key, value))
    return write_csv(rows, CSV_HEADER)
