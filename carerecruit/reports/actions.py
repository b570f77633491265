"""Writes of the reports app: who receives the weekly report, and sending it once a week.

Views, the worker, the ``report`` command and tests call these; nothing else writes
:class:`~carerecruit.reports.models.ReportSubscription` or
:class:`~carerecruit.reports.models.WeeklyReport`.

**Who may receive it.** The report is built once, for the regional body, with every
figure unsuppressed (small numbers included; suppression viewer ``UNRESTRICTED``). So it
goes only to people who may see every figure unsuppressed anyway
(:func:`carerecruit.workforce.suppression.suppression_viewer` answers ``UNRESTRICTED``):
the regional body's admins and campaign managers, and platform superusers. Building a
suppressed copy per recipient organisation was considered and not done: councils and
providers already have the dashboards, suppressed for them, and one report per week is
what makes "the same bytes when rebuilt" and "sent once" simple to check.

**Once a week.** :func:`send_due_report` (the worker calls it every few minutes) sends
last week's report from 07:00 on Monday, Europe/London, or at its first run later that
week if Monday was missed; never an older week's. :func:`do_send_weekly_report` claims
the week's :class:`WeeklyReport` row with a conditional UPDATE that only one worker can
win, and marks it sent once the mail server has accepted the message, so any number of
workers, runs and restarts send it once. A claim left by a worker that died mid-send
expires after :data:`CLAIM_TIMEOUT`; a failed send releases it at once.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from carerecruit.lib.localtime import local_zone
from carerecruit.organisations.models import Organisation, User
from carerecruit.reports.models import ReportSubscription, WeeklyReport
from carerecruit.reports.render import (
    PDF_CONTENT_TYPE,
    ReportFiles,
    render_html,
    render_pdf,
    render_text,
)
from carerecruit.reports.weeks import IsoWeek, last_complete_week

logger = logging.getLogger(__name__)

#: Last week's report goes out from this local hour on Monday: overnight ad-figure
#: imports of Sunday's spend have had time to arrive.
SEND_FROM_HOUR = 7
#: A claim older than this was left by a worker that stopped mid-send; it may be retaken.
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)


class ReportError(Exception):
    """A report that cannot be sent: nobody to send it to, or a week not over yet."""


def eligible_recipients() -> QuerySet[User]:
    """Active users with an e-mail address who may see every figure unsuppressed: the
    regional body's admins and campaign managers, and superusers (the users
    :func:`carerecruit.workforce.suppression.suppression_viewer` calls ``UNRESTRICTED``).
    Ordered by name, then username."""
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(organisation__kind=Organisation.Kind.REGIONAL_BODY,
                role__in=[User.Role.ADMIN, User.Role.CAMPAIGN_MANAGER])
        )
        .order_by("first_name", "last_name", "username")
    )


def recipients() -> list[User]:
    """Subscribers who are still eligible (a subscriber who changed role or left is
    skipped, not e-mailed), in a stable order."""
    return list(eligible_recipients().filter(report_subscription__isnull=False))


def can_choose_recipients(user: User) -> bool:
    """The regional body's admins (and superusers) choose who receives the report."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(
        user.organisation_id and user.organisation.is_regional_body and user.role == User.Role.ADMIN
    )


def do_set_report_recipients(users, *, by: User) -> tuple[int, int]:
    """Make exactly ``users`` (each from :func:`eligible_recipients`) the report's
    subscribers; returns ``(added, removed)``. Raises ValueError for a user who is not
    eligible. The caller has checked :func:`can_choose_recipients` for ``by``."""
    chosen = {u.pk for u in users}
    eligible = set(eligible_recipients().filter(pk__in=chosen).values_list("pk", flat=True))
    if chosen - eligible:
        raise ValueError("Only the regional body's admins and campaign managers can receive the report")
    with transaction.atomic():
        current = set(ReportSubscription.objects.select_for_update().values_list("user_id", flat=True))
        removed, _ = ReportSubscription.objects.filter(user_id__in=current - chosen).delete()
        ReportSubscription.objects.bulk_create(
            [ReportSubscription(user_id=pk, created_by=by) for pk in sorted(chosen - current)],
            ignore_conflicts=True,
        )
    return len(chosen - current), removed


def report_row(week: IsoWeek) -> WeeklyReport:
    """The week's :class:`WeeklyReport` row, created (unsent) when missing."""
    try:
        with transaction.atomic():
            row, _ = WeeklyReport.objects.get_or_create(
                week_start=week.start, defaults={"key": week.key},
            )
    except IntegrityError:  # Another worker created it a moment ago.
        row = WeeklyReport.objects.get(week_start=week.start)
    return row


@dataclass(frozen=True)
class SendResult:
    """What a send attempt did: ``sent`` True when this call e-mailed the report;
    ``reason`` says why not otherwise ("already sent", "claimed by another worker",
    "no recipients", "send failed")."""

    week: IsoWeek
    sent: bool
    reason: str = ""
    recipients: int = 0
    files: ReportFiles | None = None


def week_is_over(week: IsoWeek, now: datetime.datetime) -> bool:
    """True once the week's Sunday has ended (Europe/London)."""
    return now >= week.utc_bounds()[1]


def do_send_weekly_report(
    week: IsoWeek, *, now: datetime.datetime | None = None, resend: bool = False,
) -> SendResult:
    """E-mail ``week``'s report to the subscribers: one message, the HTML report as its
    HTML part, a plain-text summary, and the PDF attached. Sent at most once per week
    (see the module docstring) unless ``resend`` (a person asked, from the command line).

    Records the recipients count, the SHA-256 of the HTML and PDF sent and ``sent_at``.
    Raises :class:`ReportError` for a week that has not ended at ``now``.
    """
    now = now or timezone.now()
    if not week_is_over(week, now):
        raise ReportError(f"{week.key} has not ended yet: its report can be sent from Monday {week.next().start:%-d %B %Y}")
    people = recipients()
    if not people:
        return SendResult(week, False, "no recipients")
    row = report_row(week)
    claimable = WeeklyReport.objects.filter(pk=row.pk).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    )
    if not resend:
        claimable = claimable.filter(sent_at__isnull=True)
    if not claimable.update(claimed_at=now):
        row.refresh_from_db()
        return SendResult(week, False, "already sent" if row.sent_at else "claimed by another worker")
    try:
        from carerecruit.reports.figures import build_report

        report = build_report(week)
        files = ReportFiles(week, render_html(report), render_pdf(report))
        message = EmailMultiAlternatives(
            subject=f"{report.title}: {report.subtitle}",
            body=render_text(report),
            to=[user.email for user in people],
        )
        message.attach_alternative(files.html.decode("utf-8"), "text/html")
        message.attach(files.pdf_name, files.pdf, PDF_CONTENT_TYPE)
        message.send()
    except Exception:
        WeeklyReport.objects.filter(pk=row.pk, claimed_at=now).update(claimed_at=None)
        logger.exception("Could not send the weekly report for %s; will retry", week.key)
        return SendResult(week, False, "send failed")
    WeeklyReport.objects.filter(pk=row.pk).update(
        sent_at=timezone.now(), claimed_at=None, recipients=len(people),
        pdf_sha256=files.pdf_sha256, html_sha256=files.html_sha256,
    )
    return SendResult(week, True, "", len(people), files)


def due_week(now: datetime.datetime) -> IsoWeek | None:
    """The week whose report is due at ``now``: last week, from 07:00 local on Monday
    (any time later in the week); None on Monday before 07:00."""
    local = now.astimezone(local_zone())
    if local.isoweekday() == 1 and local.hour < SEND_FROM_HOUR:
        return None
    return last_complete_week(local.date())


def send_due_report(now: datetime.datetime | None = None) -> SendResult | None:
    """Send last week's report if it is due and not sent yet (the worker's job; cheap
    when there is nothing to do: one or two queries). Returns the attempt, or None when
    nothing is due yet."""
    now = now or timezone.now()
    week = due_week(now)
    if week is None:
        return None
    if WeeklyReport.objects.filter(week_start=week.start, sent_at__isnull=False).exists():
        return SendResult(week, False, "already sent")
    return do_send_weekly_report(week, now=now)
