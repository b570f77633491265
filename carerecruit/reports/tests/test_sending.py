"""Sending the weekly report: once per week however often the worker runs, from Monday
07:00 Europe/London (or later that week if Monday was missed), only to subscribers who
may see every figure, as HTML with a plain-text part and the PDF attached."""

import datetime
import hashlib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from carerecruit.lib.localtime import local_today
from carerecruit.organisations.models import User
from carerecruit.reports.actions import (
    ReportError,
    do_send_weekly_report,
    do_set_report_recipients,
    eligible_recipients,
    send_due_report,
)
from carerecruit.reports.models import ReportSubscription, WeeklyReport
from carerecruit.reports.tasks import send_weekly_report_task
from carerecruit.reports.weeks import IsoWeek, last_complete_week

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
W13 = IsoWeek(2020, 13)
# Monday 30 March 2020 is in BST: 07:00 local is 06:00 UTC.
MONDAY_0659 = datetime.datetime(2020, 3, 30, 5, 59, tzinfo=UTC)
MONDAY_0700 = datetime.datetime(2020, 3, 30, 6, 0, tzinfo=UTC)


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise OSError("Connection refused")


@pytest.fixture
def subscribed(personas):
    do_set_report_recipients([personas.regional_admin, personas.campaign_manager], by=personas.regional_admin)
    return personas


def test_sent_once_from_monday_7am_however_often_the_worker_runs(subscribed):
    assert send_due_report(MONDAY_0659) is None
    assert mail.outbox == []

    result = send_due_report(MONDAY_0700)
    assert result.sent and result.week == W13 and result.recipients == 2
    for minutes in (5, 10, 60 * 24, 60 * 24 * 6):  # later on Monday, Tuesday, Sunday
        again = send_due_report(MONDAY_0700 + datetime.timedelta(minutes=minutes))
        assert not again.sent and again.reason == "already sent"
    assert len(mail.outbox) == 1

    message = mail.outbox[0]
    assert message.subject == "Weekly report for 2020-W13: Monday 23 March 2020 to Sunday 29 March 2020"
    assert sorted(message.to) == ["campaign_manager@example.org", "regional_admin@example.org"]
    assert "- Applications: 0 (week before: 0)" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<h1 class=\"govuk-heading-l\">Weekly report for 2020-W13</h1>" in html
    [(name, pdf, content_type)] = message.attachments
    assert (name, content_type) == ("weekly-report-2020-W13.pdf", "application/pdf")
    assert pdf.startswith(b"%PDF-")

    row = WeeklyReport.objects.get()
    assert (row.key, row.week_start, row.recipients) == ("2020-W13", datetime.date(2020, 3, 23), 2)
    assert row.sent_at is not None and row.claimed_at is None
    assert row.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert row.html_sha256 == hashlib.sha256(html.encode()).hexdigest()


def test_a_missed_monday_sends_later_that_week_then_the_next_week_its_own(subscribed):
    wednesday = datetime.datetime(2020, 4, 1, 15, 0, tzinfo=UTC)
    assert send_due_report(wednesday).week == W13
    next_monday = datetime.datetime(2020, 4, 6, 9, 0, tzinfo=UTC)
    assert send_due_report(next_monday).week == IsoWeek(2020, 14)
    assert [m.attachments[0][0] for m in mail.outbox] == [
        "weekly-report-2020-W13.pdf", "weekly-report-2020-W14.pdf",
    ]
    assert list(WeeklyReport.objects.values_list("key", flat=True)) == ["2020-W14", "2020-W13"]


def test_the_worker_task_sends_last_week_once(subscribed):
    week = last_complete_week(local_today())
    first = send_weekly_report_task.call()
    if first["week"] is None:  # Monday before 07:00 as this runs: nothing due yet
        assert mail.outbox == []
        return
    assert first == {"week": week.key, "sent": True, "reason": ""}
    assert send_weekly_report_task.call() == {"week": week.key, "sent": False, "reason": "already sent"}
    assert len(mail.outbox) == 1


def test_a_claim_by_another_worker_is_respected_until_it_expires(subscribed):
    WeeklyReport.objects.create(key="2020-W13", week_start=W13.start,
                                claimed_at=MONDAY_0700 - datetime.timedelta(minutes=1))
    busy = send_due_report(MONDAY_0700)
    assert (busy.sent, busy.reason) == (False, "claimed by another worker")
    assert mail.outbox == []
    # That worker died mid-send: after 15 minutes the claim is taken over.
    later = send_due_report(MONDAY_0700 + datetime.timedelta(minutes=15))
    assert later.sent
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_at_the_next_run(subscribed, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    failed = send_due_report(MONDAY_0700)
    assert (failed.sent, failed.reason) == (False, "send failed")
    row = WeeklyReport.objects.get()
    assert row.sent_at is None and row.claimed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_due_report(MONDAY_0700 + datetime.timedelta(minutes=5)).sent
    assert len(mail.outbox) == 1


def test_only_people_who_see_every_figure_can_receive_it(personas):
    assert set(eligible_recipients()) == {personas.regional_admin, personas.campaign_manager}
    for person in (personas.council_a_recruiter, personas.provider_recruiter, personas.viewer):
        with pytest.raises(ValueError):
            do_set_report_recipients([personas.regional_admin, person], by=personas.regional_admin)
    assert ReportSubscription.objects.count() == 0


def test_nobody_subscribed_means_nothing_sent_and_nothing_claimed(personas):
    result = send_due_report(MONDAY_0700)
    assert (result.sent, result.reason) == (False, "no recipients")
    assert WeeklyReport.objects.count() == 0


def test_a_subscriber_who_is_no_longer_eligible_is_skipped(subscribed):
    User.objects.filter(pk=subscribed.campaign_manager.pk).update(role=User.Role.VIEWER)
    assert send_due_report(MONDAY_0700).recipients == 1
    assert mail.outbox[0].to == ["regional_admin@example.org"]


def test_choosing_recipients_replaces_the_list(subscribed):
    added, removed = do_set_report_recipients([subscribed.campaign_manager], by=subscribed.regional_admin)
    assert (added, removed) == (0, 1)
    assert list(ReportSubscription.objects.values_list("user__username", flat=True)) == ["campaign_manager"]


def test_a_week_not_over_cannot_be_sent(subscribed):
    with pytest.raises(ReportError, match="2020-W14 has not ended yet"):
        do_send_weekly_report(IsoWeek(2020, 14), now=MONDAY_0700)
    assert mail.outbox == []
