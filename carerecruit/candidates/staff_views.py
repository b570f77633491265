"""Staff pages of the candidates app: upload a list of expressions of interest, preview
it, import it (all or nothing).

Flow: ``/staff/imports/applications/`` (choose campaign + file) → problems on the same
page, or a pending upload and its preview ``…/<code>/`` (rows, new vs known candidates)
→ confirm (POST ``…/<code>/confirm/``) or discard. Regional admins and campaign managers
only (others 403); an upload is visible only to the person who made it (others 404).
The pending file is kept in the database until it is imported or discarded, at most a
day.
"""

from __future__ import annotations

import datetime
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from carerecruit.candidates.actions import do_import_applications
from carerecruit.candidates.importer import Outcome, parse_file, plan_import
from carerecruit.candidates.models import ApplicationImport
from carerecruit.candidates.staff_forms import ApplicationImportForm
from carerecruit.organisations.access import can_manage_campaigns
from carerecruit.organisations.audit import log_access
from carerecruit.organisations.models import PersonalDataAccess

PENDING_MAX_AGE = datetime.timedelta(days=1)


def _require_importer(user) -> None:
    if not can_manage_campaigns(user):
        raise PermissionDenied("Only regional admins and campaign managers can import applications.")


def _get_upload(user, code) -> ApplicationImport:
    upload = (
        ApplicationImport.objects.select_related("campaign")
        .filter(code=code, uploaded_by=user)
        .first()
    )
    if upload is None:
        raise Http404("No such upload")
    return upload


def _purge_stale_uploads() -> None:
    ApplicationImport.objects.filter(
        status=ApplicationImport.Status.PENDING, created_at__lt=timezone.now() - PENDING_MAX_AGE
    ).delete()


def _problem_count(n: int) -> str:
    return "1 problem" if n == 1 else f"{n} problems"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request):
    """Choose a campaign and a file. A file with problems is listed back, every problem
    with its line and column, and nothing is kept; a good one becomes a pending upload
    and the preview follows."""
    _require_importer(request.user)
    form = ApplicationImportForm(
        request.user,
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    parsed = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        campaign = form.cleaned_data["campaign"]
        data = upload.read()
        parsed = parse_file(data, upload.name, campaign)
        if parsed.problems:
            form.add_error(
                "file",
                f"The file has {_problem_count(len(parsed.problems))}: nothing has been imported. "
                "Fix them and upload the file again",
            )
        else:
            _purge_stale_uploads()
            pending = ApplicationImport.objects.create(
                campaign=campaign, uploaded_by=request.user, file_name=upload.name[:255],
                sha256=hashlib.sha256(data).hexdigest(), content=data,
            )
            return redirect("candidates_staff:import-preview", pending.code)
    summary = [(form[name].govuk_anchor, error) for name in form.errors for error in form.errors[name]]
    if parsed is not None:
        summary += [(form["file"].govuk_anchor, str(problem)) for problem in parsed.problems]
    return render(
        request, "candidates/staff/import_upload.html",
        {"form": form, "parsed": parsed, "summary": summary},
    )


def _preview_context(request, upload):
    parsed = parse_file(bytes(upload.content), upload.file_name, upload.campaign)
    plan = None if parsed.problems else plan_import(parsed.rows, upload.campaign)
    if plan is not None:
        known = [p.candidate.code for p in plan.rows if p.candidate is not None]
        log_access(
            request.user, PersonalDataAccess.Action.VIEW, "applications import preview",
            candidate_codes=known, count=len(plan.rows), detail=f"import {upload.code}",
        )
    return {
        "upload": upload,
        "parsed": parsed,
        "plan": plan,
        "known": plan.count(Outcome.EXISTING_CANDIDATE) if plan else 0,
        "already": plan.count(Outcome.ALREADY_APPLIED) if plan else 0,
        "repeats": plan.count(Outcome.REPEAT_IN_FILE) if plan else 0,
        "consenting": sum(1 for r in parsed.rows if r.talent_bank_consent),
    }


@login_required
@require_safe
def import_preview(request, code):
    """A pending upload's preview (every row and what it will do), or, once imported,
    what the import made."""
    _require_importer(request.user)
    upload = _get_upload(request.user, code)
    if upload.status == ApplicationImport.Status.IMPORTED:
        return render(request, "candidates/staff/import_done.html", {"upload": upload})
    return render(request, "candidates/staff/import_preview.html", _preview_context(request, upload))


@login_required
@require_POST
def import_confirm(request, code):
    """Import a pending upload, all rows or none. The file is checked again first: the
    database may have changed since the preview."""
    _require_importer(request.user)
    upload = _get_upload(request.user, code)
    if upload.status == ApplicationImport.Status.IMPORTED:
        return redirect("candidates_staff:import-preview", upload.code)
    parsed = parse_file(bytes(upload.content), upload.file_name, upload.campaign)
    if parsed.problems or not parsed.rows:
        return render(request, "candidates/staff/import_preview.html", _preview_context(request, upload))
    do_import_applications(upload.campaign, parsed, imported_by=request.user, batch=upload)
    return redirect("candidates_staff:import-preview", upload.code)


@login_required
@require_POST
def import_discard(request, code):
    """Throw away a pending upload without importing anything."""
    _require_importer(request.user)
    upload = _get_upload(request.user, code)
    if upload.status == ApplicationImport.Status.PENDING:
        upload.delete()
        messages.success(request, "The upload was discarded: nothing was imported")
    return redirect("candidates_staff:import-applications")
