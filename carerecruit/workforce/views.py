"""Staff pages for workforce returns: the list, a return's figures, upload → preview → confirm.

Who may do what (``carerecruit.organisations.access``): council and provider recruiters
and admins upload and read their own organisation's returns; the regional body's admins
upload for any organisation and read all; campaign managers read all; viewers get 403
(they read workforce aggregates in the dashboards). Another organisation's return is a
404. The checked upload waits between preview and confirmation as a
:class:`~carerecruit.workforce.models.PendingWorkforceUpload`, which only its uploader can
open or confirm.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carerecruit.organisations.access import (
    can_read_workforce_returns,
    can_upload_workforce_return,
    get_workforce_return_for_user,
    workforce_returns_visible_to,
)
from carerecruit.reference.models import JobRole
from carerecruit.workforce.actions import (
    UPLOAD_MAX_AGE,
    current_return,
    do_confirm_workforce_upload,
    do_store_workforce_upload,
    pending_summary,
)
from carerecruit.workforce.forms import WorkforceUploadForm
from carerecruit.workforce.models import PendingWorkforceUpload, WorkplaceJobRoleFigure
from carerecruit.workforce.rates import add_up

# The error summary lists this many problems; the table below it up to PROBLEMS_IN_TABLE.
PROBLEMS_IN_SUMMARY = 25
PROBLEMS_IN_TABLE = 1000
RETURNS_PER_PAGE = 50


def _role_rows(by_role: dict) -> list[tuple[int, str, object]]:
    """``(code, job role name, FigureTotals)`` per role, in code order."""
    names = dict(JobRole.objects.values_list("code", "name"))
    return [(code, names.get(code, str(code)), totals) for code, totals in sorted(by_role.items())]


@login_required
@require_GET
def return_list(request):
    """``/staff/workforce/``: the returns the user may open, newest first."""
    if not can_read_workforce_returns(request.user):
        raise PermissionDenied("Your role can read workforce figures but not organisations' returns.")
    returns = (
        workforce_returns_visible_to(request.user)
        .select_related("organisation", "council", "uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )
    page = Paginator(returns, RETURNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "workforce/returns.html", {
        "page": page,
        "can_upload": can_upload_workforce_return(request.user),
    })


@login_required
@require_GET
def return_detail(request, code):
    """``/staff/workforce/<code>/``: a return's figures by job role and by workplace."""
    workforce_return = get_workforce_return_for_user(request.user, code)
    figures = list(
        WorkplaceJobRoleFigure.objects.filter(workplace__workforce_return=workforce_return)
        .select_related("workplace")
        .order_by("workplace__local_establishment_id", "job_role_id")
    )
    by_role: dict[int, list] = {}
    by_workplace: dict[int, list] = {}
    for f in figures:
        by_role.setdefault(f.job_role_id, []).append(f)
        by_workplace.setdefault(f.workplace_id, []).append(f)
    workplaces = [
        (rows[0].workplace, add_up(rows)) for rows in by_workplace.values()
    ]
    return render(request, "workforce/return_detail.html", {
        "workforce_return": workforce_return,
        "totals": add_up(figures),
        "roles": _role_rows({code: add_up(rows) for code, rows in by_role.items()}),
        "workplaces": workplaces,
    })


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    """``/staff/workforce/upload/``: choose the files; a return without problems is kept
    and its preview shown next; one with problems lists every problem here."""
    if not can_upload_workforce_return(request.user):
        raise PermissionDenied("Your role cannot upload workforce returns.")
    posted = request.method == "POST"
    form = WorkforceUploadForm(
        request.POST if posted else None, request.FILES if posted else None, user=request.user,
    )
    result = None
    if posted and form.is_valid():
        workplace_file = form.cleaned_data["workplace_file"]
        worker_file = form.cleaned_data["worker_file"]
        result, pending = do_store_workforce_upload(
            user=request.user, organisation=form.chosen_organisation(), council=form.chosen_council(),
            as_at=form.cleaned_data["as_at"], workplace_file=workplace_file, worker_file=worker_file,
            workplace_file_name=workplace_file.name, worker_file_name=worker_file.name,
        )
        if pending is not None:
            return HttpResponseRedirect(reverse("workforce:upload-preview", args=[pending.token]))
    problems = result.problems if result else []
    return render(request, "workforce/upload.html", {
        "form": form,
        "result": result,
        "problems_summary": problems[:PROBLEMS_IN_SUMMARY],
        "problems_table": [(n, p) for n, p in enumerate(problems[:PROBLEMS_IN_TABLE], start=1)],
        "problems_more": (result.problem_count - min(len(problems), PROBLEMS_IN_TABLE)) if result else 0,
        "has_errors": bool(form.errors) or bool(problems),
    })


def _pending_for(request, token) -> PendingWorkforceUpload:
    """The user's own unexpired pending upload ``token``, else 404 (403 for a user who
    may not upload at all)."""
    if not can_upload_workforce_return(request.user):
        raise PermissionDenied("Your role cannot upload workforce returns.")
    pending = (
        PendingWorkforceUpload.objects.select_related("organisation", "council")
        .filter(token=token, uploaded_by=request.user, uploaded_at__gte=timezone.now() - UPLOAD_MAX_AGE)
        .first()
    )
    # Checked again: the user may have moved organisation since uploading.
    if pending is None or not can_upload_workforce_return(request.user, pending.organisation):
        raise Http404("No such upload")
    return pending


@login_required
@require_GET
def upload_preview(request, token):
    """``/staff/workforce/upload/<token>/``: what the checked return holds, and which
    return it would replace, before it is imported."""
    pending = _pending_for(request, token)
    summary = pending_summary(pending)
    return render(request, "workforce/preview.html", {
        "pending": pending,
        "summary": summary,
        "roles": _role_rows(summary.by_role),
        "replaces": current_return(pending.organisation, pending.as_at),
    })


@login_required
@require_POST
def upload_confirm(request, token):
    """POST ``/staff/workforce/upload/<token>/confirm/``: import the checked return."""
    pending = _pending_for(request, token)
    result = do_confirm_workforce_upload(pending, user=request.user)
    saved = result.workforce_return
    verb = "replaced the return uploaded earlier" if result.replaces else "imported"
    messages.success(
        request,
        f"Workforce return for {saved.organisation.short_name} as at {saved.as_at:%-d %B %Y} {verb}: "
        f"{saved.workplace_count} workplace{'s' if saved.workplace_count != 1 else ''}, "
        f"{saved.worker_count} staff record{'s' if saved.worker_count != 1 else ''}",
    )
    return HttpResponseRedirect(reverse("workforce:return-detail", args=[saved.code]))
