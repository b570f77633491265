"""What the candidates app shows a candidate about their pipeline (plain-words status)
and exports for a subject access request (UK GDPR Art. 15; domain.md 7.3): routes, stage
history, notes, messages sent, pre-employment checks, placements and retention.

Registered in :meth:`carerecruit.placements.apps.PlacementsConfig.ready`.
"""

from __future__ import annotations

from carerecruit.placements.models import (
    ApplicationRoute,
    Check,
    MessageLog,
    Note,
    Placement,
    RetentionCheckpoint,
    StageChange,
)


def read_routes(application) -> list[tuple[str, str]]:
    """``(organisation short name, stage code)`` for each route of ``application``."""
    return [
        (route.organisation.short_name, route.stage)
        for route in application.routes.select_related("organisation").order_by("routed_at", "pk")
    ]


def _reference(application) -> str:
    return application.code.hex[:8].upper()


def export_routes(candidate) -> list[dict]:
    return [
        {
            "application": _reference(route.application),
            "organisation": route.organisation.name,
            "why_routed": route.get_reason_display(),
            "stage": route.get_stage_display(),
            "stage_since": route.stage_entered_at,
            "routed_at": route.routed_at,
        }
        for route in ApplicationRoute.objects.filter(application__candidate=candidate)
        .select_related("application", "organisation").order_by("routed_at", "pk")
    ]


def export_stage_history(candidate) -> list[dict]:
    return [
        {
            "application": _reference(change.route.application),
            "organisation": change.route.organisation.name,
            "from_stage": change.get_from_stage_display(),
            "to_stage": change.get_to_stage_display(),
            "changed_at": change.changed_at,
            "reason": change.reason,
        }
        for change in StageChange.objects.filter(route__application__candidate=candidate)
        .select_related("route__application", "route__organisation").order_by("changed_at", "pk")
    ]


def export_notes(candidate) -> list[dict]:
    return [
        {
            "application": _reference(note.route.application),
            "organisation": note.route.organisation.name,
            "written_at": note.created_at,
            "text": note.text,
        }
        for note in Note.objects.filter(route__application__candidate=candidate)
        .select_related("route__application", "route__organisation").order_by("created_at", "pk")
    ]


def export_messages(candidate) -> list[dict]:
    return [
        {
            "application": _reference(message.route.application),
            "organisation": message.route.organisation.name,
            "sent_at": message.sent_at,
            "to": message.to_email,
            "subject": message.subject,
            "body": message.body,
        }
        for message in MessageLog.objects.filter(route__application__candidate=candidate)
        .select_related("route__application", "route__organisation").order_by("sent_at", "pk")
    ]


def export_checks(candidate) -> list[dict]:
    rows = []
    for check in (
        Check.objects.filter(route__application__candidate=candidate)
        .select_related("route__application", "route__organisation").order_by("route_id", "kind")
    ):
        rows.append({
            "application": _reference(check.route.application),
            "organisation": check.route.organisation.name,
            "check": check.get_kind_display(),
            "status": check.get_status_display(),
            "date_checked": check.verified_on,
            "dbs_certificate_number": check.dbs_certificate_number,
            "dbs_issue_date": check.dbs_issue_date,
            "dbs_update_service": check.dbs_update_service,
            "dbs_status_checked_on": check.dbs_status_checked_on,
            "right_to_work_method": check.get_rtw_method_display() if check.rtw_method else "",
            "right_to_work_document": check.get_rtw_document_display() if check.rtw_document else "",
            "right_to_work_ends_on": check.rtw_expires_on,
            "referee_organisation": check.referee_organisation,
            "identity_document": check.get_identity_document_display() if check.identity_document else "",
            "social_work_england_number": check.swe_number,
            "care_certificate": (
                check.get_care_certificate_status_display() if check.care_certificate_status else ""
            ),
            "waived_by": check.waived_by_name,
            "waiver_reason": check.waived_reason,
        })
    return rows


def export_placements(candidate) -> list[dict]:
    return [
        {
            "application": _reference(placement.route.application),
            "organisation": placement.organisation.name,
            "job_role": placement.job_role.name,
            "contract_type": placement.get_contract_type_display(),
            "start_date": placement.start_date,
        }
        for placement in Placement.objects.filter(route__application__candidate=candidate)
        .select_related("route__application", "organisation", "job_role").order_by("start_date", "pk")
    ]


def export_retention(candidate) -> list[dict]:
    return [
        {
            "organisation": checkpoint.placement.organisation.name,
            "months": checkpoint.months,
            "due_on": checkpoint.due_on,
            "answer": checkpoint.get_status_display(),
            "leaving_reason": checkpoint.get_leaving_reason_display() if checkpoint.leaving_reason else "",
            "left_on": checkpoint.left_on,
        }
        for checkpoint in RetentionCheckpoint.objects.filter(
            placement__route__application__candidate=candidate
        ).select_related("placement__organisation").order_by("due_on", "months")
    ]


EXPORTERS = {
    "pipeline_routes": export_routes,
    "pipeline_history": export_stage_history,
    "pipeline_notes": export_notes,
    "messages_sent": export_messages,
    "pre_employment_checks": export_checks,
    "placements": export_placements,
    "retention_checkpoints": export_retention,
}
