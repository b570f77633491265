"""Staff pages of the weekly report: the list of weeks and who receives it
(``/staff/reports/``), one week's report as a page, its PDF and its HTML file.

Who may see them: the people who may receive the report, that is the users who see every
figure unsuppressed (the regional body's admins and campaign managers, superusers; see
:mod:`carerecruit.reports.actions`). Anyone else signed in gets 403: the report is the
regional body's, and everyone else reads the same figures, suppressed for them, on the
dashboards. Only the regional body's admins change who receives it.

A week's report is built when asked for (a second or two, charts included) from the
figures as they are now; the page says whether that still matches what was e-mailed
(the SHA-256 kept for the week).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from carerecruit.insights.views import staff_login_required
from carerecruit.lib.localtime import local_today
from carerecruit.reports.actions import (
    can_choose_recipients,
    do_set_report_recipients,
    eligible_recipients,
    recipients,
    week_is_over,
)
from carerecruit.reports.figures import build_report
from carerecruit.reports.forms import RecipientsForm, WeekForm
from carerecruit.reports.models import ReportSubscription, WeeklyReport
from carerecruit.reports.render import (
    HTML_CONTENT_TYPE,
    PDF_CONTENT_TYPE,
    ReportFiles,
    render_html,
    render_pdf,
    report_context,
)
from carerecruit.reports.weeks import BadWeek, IsoWeek, last_complete_week, parse_week
from carerecruit.workforce.suppression import UNRESTRICTED, suppression_viewer

WEEKS_LISTED = 12


def can_read_reports(user) -> bool:
    """May ``user`` open the weekly reports? Those who see every figure unsuppressed."""
    return suppression_viewer(user) is UNRESTRICTED


def _check_reader(user) -> None:
    if not can_read_reports(user):
        raise PermissionDenied("The weekly report is for the regional body's admins and campaign managers.")


def _week_or_404(key: str) -> IsoWeek:
    """The ended ISO week ``key`` names; 404 for a malformed key, a week that does not
    exist (2021-W53) or one that has not ended yet."""
    try:
        week = parse_week(key)
    except BadWeek:
        raise Http404("No such week") from None
    if week.key != key or not week_is_over(week, timezone.now()):
        raise Http404("No report for that week")
    return week


@never_cache
@staff_login_required
@require_http_methods(["GET", "POST"])
def index(request):
    """``/staff/reports/``: the last 12 complete weeks with links to each report, who
    receives it (a form for the regional body's admins) and a box to open any week."""
    _check_reader(request.user)
    may_choose = can_choose_recipients(request.user)
    recipients_form = None
    if request.method == "POST":
        if not may_choose:
            raise PermissionDenied("Only the regional body's admins choose who receives the report.")
        recipients_form = RecipientsForm(request.POST)
        if recipients_form.is_valid():
            added, removed = do_set_report_recipients(recipients_form.cleaned_data["recipients"], by=request.user)
            messages.success(request, f"Recipients saved: {added} added, {removed} removed.")
            return HttpResponseRedirect(reverse("reports:index"))
    elif may_choose:
        recipients_form = RecipientsForm(
            initial={"recipients": list(ReportSubscription.objects.values_list("user_id", flat=True))}
        )

    week_form = WeekForm(request.GET or None)
    if week_form.is_bound and week_form.is_valid():
        return HttpResponseRedirect(reverse("reports:week", args=[week_form.cleaned_data["week"].key]))

    latest = last_complete_week(local_today())
    weeks = [latest]
    while len(weeks) < WEEKS_LISTED:
        weeks.append(weeks[-1].previous())
    sent = {r.week_start: r for r in WeeklyReport.objects.filter(week_start__in=[w.start for w in weeks])}
    return render(request, "reports/index.html", {
        "weeks": [(week, sent.get(week.start)) for week in weeks],
        "recipients_form": recipients_form,
        "week_form": week_form,
        "current_recipients": recipients(),
        "may_choose": may_choose,
        "has_eligible": eligible_recipients().exists(),
    })


@never_cache
@staff_login_required
@require_GET
def week(request, week):
    """``/staff/reports/2020-W18/``: the week's report as a page, built now."""
    _check_reader(request.user)
    iso_week = _week_or_404(week)
    report = build_report(iso_week)
    record = WeeklyReport.objects.filter(week_start=iso_week.start, sent_at__isnull=False).first()
    matches_sent = None
    if record is not None:
        matches_sent = ReportFiles(iso_week, render_html(report), b"").html_sha256 == record.html_sha256
    return render(request, "reports/week.html", report_context(report) | {
        "week": iso_week,
        "record": record,
        "matches_sent": matches_sent,
    })


@never_cache
@staff_login_required
@require_GET
def week_pdf(request, week):
    """``/staff/reports/2020-W18/pdf/``: the week's PDF, as a download."""
    _check_reader(request.user)
    iso_week = _week_or_404(week)
    files = ReportFiles(iso_week, b"", render_pdf(build_report(iso_week)))
    response = HttpResponse(files.pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{files.pdf_name}"'
    return response


@never_cache
@staff_login_required
@require_GET
def week_html(request, week):
    """``/staff/reports/2020-W18/html/``: the standalone HTML report, as e-mailed."""
    _check_reader(request.user)
    iso_week = _week_or_404(week)
    return HttpResponse(render_html(build_report(iso_week)), content_type=HTML_CONTENT_TYPE)
