"""Background task of the reports app (Django's tasks API).

``carerecruit worker`` calls :data:`send_weekly_report_task` on its schedule (every few
minutes); it sends last week's report once, from Monday 07:00 Europe/London.
"""

from __future__ import annotations

from django_tasks import task

from carerecruit.reports.actions import send_due_report


@task()
def send_weekly_report_task() -> dict:
    """Send last week's report if it is due and unsent. Returns ``{"week": "2020-W18",
    "sent": bool, "reason": str}`` (``week`` None before Monday 07:00). Idempotent."""
    result = send_due_report()
    if result is None:
        return {"week": None, "sent": False, "reason": "not due yet"}
    return {"week": result.week.key, "sent": result.sent, "reason": result.reason}
