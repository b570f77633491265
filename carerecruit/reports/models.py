"""Who receives the weekly report, and which weeks' reports were sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReportSubscription(models.Model):
    """A staff user who receives the weekly report by e-mail.

    Chosen by the regional body's admins on ``/staff/reports/``. Only users who may see
    every figure unsuppressed can be chosen (the regional body's admins and campaign
    managers, and superusers; see :func:`carerecruit.reports.actions.eligible_recipients`),
    and that is checked again at each send, so someone who changes role stops receiving
    it without anyone having to remember to unsubscribe them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscription"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Weekly report to {self.user}"


class WeeklyReport(models.Model):
    """One ISO week's report (Monday ``week_start`` to Sunday, Europe/London local dates)
    and whether it was e-mailed.

    The unique week makes "sent once a week" a database rule; sending claims the row
    with an UPDATE that only one worker can win (``claimed_at``), and ``sent_at`` is set
    once the mail server accepted the message. ``pdf_sha256`` and ``html_sha256`` are
    the hex SHA-256 of the files sent, so a later rebuild
    (``carerecruit report --week``) can be compared with what people received.
    ``recipients`` is how many addresses it went to (the addresses are not kept here).
    """

    key = models.CharField("ISO week", max_length=8, unique=True)  # "2020-W18"
    week_start = models.DateField(unique=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    html_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | (~Q(pdf_sha256="") & ~Q(html_sha256="")),
                name="weeklyreport_sent_has_hashes",
            ),
        ]

    def __str__(self) -> str:
        return f"Weekly report {self.key}"
