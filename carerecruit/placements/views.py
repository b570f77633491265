"""Staff pipeline pages: applications list (filters, bulk moves, CSV/XLSX export), the
stuck list, one application's page (details, history, notes, messages, checks,
placement), check and placement forms, overdue retention checkpoints, and the candidate
e-mail templates.

Records come only through :mod:`carerecruit.organisations.access`: another
organisation's application answers 404; viewers get 403 on every page here (they read
aggregate figures only). Every page or file showing a candidate's personal data writes
the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from carerecruit.candidates.actions import application_reference
from carerecruit.lib.localtime import local_date, local_today
from carerecruit.lib.spreadsheet import write_csv, write_xlsx
from carerecruit.organisations.access import (
    campaigns_visible_to,
    can_edit_message_templates,
    can_read_pipeline,
    can_see_check_details,
    can_work_route,
    get_route_for_user,
    is_regional_staff,
    routes_visible_to,
)
from carerecruit.organisations.audit import log_access
from carerecruit.organisations.models import PersonalDataAccess
from carerecruit.placements import actions, pipeline, queries
from carerecruit.placements.checks import required_kinds
from carerecruit.placements.forms import (
    ApplicationFilterForm,
    BulkMoveForm,
    CheckForm,
    MessageTemplateForm,
    MoveStageForm,
    NoteForm,
    OwnerForm,
    PlacementForm,
    RetentionForm,
    WaiveCheckForm,
    selected_codes,
)
from carerecruit.placements.messaging import PLACEHOLDERS, template_for
from carerecruit.placements.models import (
    ApplicationRoute,
    Check,
    CheckKind,
    MessageKind,
    RetentionCheckpoint,
)
from carerecruit.placements.pipeline import Stage

VIEW = PersonalDataAccess.Action.VIEW
EXPORT = PersonalDataAccess.Action.EXPORT
PAGE_SIZE = 50
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require_reader(request: HttpRequest) -> None:
    if not can_read_pipeline(request.user):
        raise PermissionDenied("Your role can read campaign figures but not applications.")


def _detail_url(route: ApplicationRoute) -> str:
    return reverse("placements:application-detail", args=[route.code])


# ---------------------------------------------------------------------------------------
# List, export, bulk move, stuck


def _filters(request: HttpRequest) -> tuple[ApplicationFilterForm, dict | None]:
    """The filter form and its values for :func:`queries.filter_routes`; values are
    None when any filter is invalid (callers then show nothing, never everything)."""
    campaigns = campaigns_visible_to(request.user).order_by("-starts_on", "name")
    form = ApplicationFilterForm(request.GET or None, campaigns=campaigns)
    values = {"q": "", "stage": "", "campaign": "", "owner": ""}
    if form.is_bound:
        if not form.is_valid():
            return form, None
        values.update({k: v or "" for k, v in form.cleaned_data.items()})
    return form, values


def _filter_query(values: dict) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in values.items() if v})


@login_required
@require_safe
@never_cache
def application_list(request: HttpRequest) -> HttpResponse:
    """``/staff/applications/``: the routes the user may see, filtered and paged, with
    a bulk move form and CSV/XLSX downloads of the same filter."""
    _require_reader(request)
    form, values = _filters(request)
    if values is None:
        routes = ApplicationRoute.objects.none()
    else:
        routes = queries.filter_routes(request.user, **values)
    page = Paginator(routes, PAGE_SIZE).get_page(request.GET.get("page"))
    today = local_today()
    rows = [(route, queries.working_days_in_stage(route, today)) for route in page.object_list]
    log_access(
        request.user, VIEW, "applications list",
        candidate_codes=[route.application.candidate.code for route, _ in rows],
    )
    query = _filter_query(values or {})
    unrouted = None
    if is_regional_staff(request.user):
        from carerecruit.candidates.models import Application

        unrouted = Application.objects.filter(routes__isnull=True).count()
    return render(request, "placements/application_list.html", {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query,
        "bulk_form": BulkMoveForm(),
        "can_bulk_move": any(can_work_route(request.user, route) for route, _ in rows),
        "downloads": None if values is None else {
            fmt: reverse("placements:application-export", args=[fmt]) + (f"?{query}" if query else "")
            for fmt in EXPORT_FORMATS
        },
        "unrouted": unrouted,
        "can_edit_templates": can_edit_message_templates(request.user),
    })


EXPORT_HEADER = (
    "Reference", "Candidate", "Email", "Phone", "Postcode", "Campaign", "Organisation",
    "Stage", "Stage since", "Working days in stage", "Owner", "Submitted", "Job roles",
    "Channel",
)


@login_required
@require_safe
@never_cache
def application_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """``/staff/applications/export.<csv|xlsx>``: every route the list's filter shows
    (not only one page), only what the user may see, strings neutralised against formula
    injection, and one audit line per candidate."""
    _require_reader(request)
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format")
    form, values = _filters(request)
    if values is None:
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(
            f"The filter is not valid: {problems}. Nothing was exported.\n", content_type="text/plain; charset=utf-8",
        )
    routes = list(queries.filter_routes(request.user, **values).prefetch_related("application__job_roles"))
    today = local_today()
    rows = []
    for route in routes:
        application, candidate = route.application, route.application.candidate
        rows.append((
            application_reference(application),
            application.full_name_given or candidate.full_name,
            candidate.email,
            candidate.phone_e164,
            candidate.postcode,
            application.campaign.name,
            route.organisation.name,
            route.get_stage_display(),
            local_date(route.stage_entered_at),
            queries.working_days_in_stage(route, today),
            (route.owner.get_full_name() or route.owner.get_username()) if route.owner else "",
            local_date(application.submitted_at),
            "; ".join(role.name for role in application.job_roles.all()),
            application.channel,
        ))
    log_access(request.user, EXPORT, f"applications.{fmt}",
               candidate_codes=[r.application.candidate.code for r in routes], count=len(routes))
    filename = f"applications-{today:%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        content = write_csv(rows, EXPORT_HEADER)
    else:
        content = write_xlsx(rows, EXPORT_HEADER, sheet_title="Applications")
    response = HttpResponse(content, content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def bulk_move(request: HttpRequest) -> HttpResponse:
    """Move the ticked applications; show which moved and which could not, and why.
    Codes the user may not see or work are reported as not found, never moved."""
    _require_reader(request)
    form = BulkMoveForm(request.POST)
    codes = selected_codes(request.POST)
    if not form.is_valid() or not codes:
        if not codes:
            form.add_error(None, "Select at least one application")
        return render(request, "placements/bulk_move_result.html", {"form": form, "errors": True}, status=400)
    visible = {
        route.code: route
        for route in routes_visible_to(request.user).select_related(*queries.ROUTE_RELATED).filter(code__in=codes)
    }
    workable = [visible[c] for c in codes if c in visible and can_work_route(request.user, visible[c])]
    not_found = len(codes) - len(workable)
    result = actions.do_bulk_move(
        workable, form.cleaned_data["to_stage"], by=request.user,
        reason=form.cleaned_data.get("reason") or "", notify=form.cleaned_data.get("notify", False),
    )
    return render(request, "placements/bulk_move_result.html", {
        "result": result,
        "to_stage": pipeline.stage_label(form.cleaned_data["to_stage"]),
        "not_found": not_found,
    })


@login_required
@require_safe
@never_cache
def stuck_list(request: HttpRequest) -> HttpResponse:
    """``/staff/applications/stuck/``: applications in a stage longer than their
    organisation's target (working days)."""
    _require_reader(request)
    rows = queries.stuck_rows(request.user, local_today())
    log_access(request.user, VIEW, "stuck applications list",
               candidate_codes=[row.route.application.candidate.code for row in rows])
    return render(request, "placements/stuck_list.html", {
        "rows": rows, "defaults": pipeline.DEFAULT_TARGET_WORKING_DAYS,
        "can_edit_templates": can_edit_message_templates(request.user),
    })


# ---------------------------------------------------------------------------------------
# One application


def _check_rows(route: ApplicationRoute) -> list[Check]:
    order = {kind: i for i, kind in enumerate(CheckKind.values)}
    return sorted(route.checks.select_related("recorded_by"), key=lambda c: order[c.kind])


def _render_detail(request: HttpRequest, route: ApplicationRoute, *, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    application = route.application
    can_work = can_work_route(user, route)
    can_checks = can_see_check_details(user, route)
    today = local_today()
    moves = pipeline.moves_from(route.stage)
    context = {
        "route": route,
        "application": application,
        "candidate": application.candidate,
        "reference": application_reference(application),
        "job_roles": list(application.job_roles.all()),
        "council_areas": list(application.council_areas.all()),
        "working_days": queries.working_days_in_stage(route, today),
        "target": queries.targets_for(route.organisation_id).get(route.stage),
        "history": route.stage_changes.select_related("changed_by"),
        "notes": route.notes.select_related("author"),
        "sent_messages": route.messages.select_related("sent_by"),
        "checks": _check_rows(route),
        "can_work": can_work,
        "can_checks": can_checks,
        "can_place": can_checks and route.stage == Stage.CHECKS,
        "placement": getattr(route, "placement", None) if route.stage == Stage.PLACED else None,
        "other_routes": (
            application.routes.exclude(pk=route.pk).select_related("organisation")
            if is_regional_staff(user) else []
        ),
        "move_form": forms.get("move_form") or (MoveStageForm(stage=route.stage) if can_work and moves else None),
        "note_form": forms.get("note_form") or (NoteForm() if can_work else None),
        "owner_form": forms.get("owner_form") or (
            OwnerForm(choices=actions.owner_choices(route), initial={"owner": route.owner_id})
            if can_work else None
        ),
        "has_errors": any(f is not None and f.errors for f in forms.values()),
    }
    return render(request, "placements/application_detail.html", context, status=status)


@login_required
@require_safe
@never_cache
def application_detail(request: HttpRequest, code) -> HttpResponse:
    """``/staff/applications/<route code>/``: one organisation's copy of an application."""
    _require_reader(request)
    route = get_route_for_user(request.user, code)
    log_access(request.user, VIEW, "application", candidate_codes=[route.application.candidate.code])
    return _render_detail(request, route)


@login_required
@require_POST
def move_stage(request: HttpRequest, code) -> HttpResponse:
    _require_reader(request)
    route = get_route_for_user(request.user, code, edit=True)
    form = MoveStageForm(request.POST, stage=route.stage)
    if form.is_valid():
        try:
            actions.do_move_stage(
                route, form.cleaned_data["to_stage"], by=request.user,
                reason=form.cleaned_data.get("reason") or "", notify=form.cleaned_data.get("notify", False),
            )
        except actions.PipelineError as exc:
            form.add_error("to_stage", str(exc))
        else:
            messages.success(request, f"Moved to “{route.get_stage_display()}”")
            return HttpResponseRedirect(_detail_url(route))
    return _render_detail(request, route, move_form=form, status=400)


@login_required
@require_POST
def add_note(request: HttpRequest, code) -> HttpResponse:
    _require_reader(request)
    route = get_route_for_user(request.user, code, edit=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_note(route, form.cleaned_data["text"], by=request.user)
        except actions.PipelineError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, "Note added")
            return HttpResponseRedirect(_detail_url(route) + "#notes")
    return _render_detail(request, route, note_form=form, status=400)


@login_required
@require_POST
def assign_owner(request: HttpRequest, code) -> HttpResponse:
    _require_reader(request)
    route = get_route_for_user(request.user, code, edit=True)
    form = OwnerForm(request.POST, choices=actions.owner_choices(route))
    if form.is_valid():
        try:
            actions.do_assign_owner(route, form.cleaned_data["owner"], by=request.user)
        except actions.PipelineError as exc:
            form.add_error("owner", str(exc))
        else:
            messages.success(request, "Owner changed")
            return HttpResponseRedirect(_detail_url(route))
    return _render_detail(request, route, owner_form=form, status=400)


# ---------------------------------------------------------------------------------------
# Checks and placement


def _route_for_checks(request: HttpRequest, code) -> ApplicationRoute:
    """The route, if the user may see and record its check details; 404 otherwise (a
    campaign manager or another council learns nothing from the URL)."""
    _require_reader(request)
    route = get_route_for_user(request.user, code)
    if not can_see_check_details(request.user, route):
        raise Http404("No such check")
    return route


def _check_for(route: ApplicationRoute, kind: str) -> Check:
    check = route.checks.filter(kind=kind).first()
    if check is None:
        raise Http404("No such check")
    return check


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def record_check(request: HttpRequest, code, kind: str) -> HttpResponse:
    """Record one pre-employment check as complete, with its evidence metadata."""
    route = _route_for_checks(request, code)
    check = _check_for(route, kind)
    form = CheckForm(request.POST or None, kind=kind, initial=_check_initial(check))
    if request.method == "POST":
        if route.stage != Stage.CHECKS:
            form.add_error(None, "Checks can be recorded only at the pre-employment checks stage")
        elif form.is_valid():
            try:
                actions.do_record_check(check, form.cleaned_data, by=request.user)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            except actions.PipelineError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{check.get_kind_display()}: complete")
                return HttpResponseRedirect(_detail_url(route) + "#checks")
    else:
        log_access(request.user, VIEW, "pre-employment check", candidate_codes=[route.application.candidate.code])
    return render(request, "placements/check_form.html", {
        "route": route, "check": check, "form": form, "candidate": route.application.candidate,
    }, status=400 if form.errors else 200)


def _check_initial(check: Check) -> dict:
    from carerecruit.placements.checks import FIELDS

    initial = {}
    for name in FIELDS[check.kind]:
        value = getattr(check, name)
        if name == "dbs_update_service" and value is not None:
            value = "yes" if value else "no"
        if value not in (None, ""):
            initial[name] = value
    if check.kind == CheckKind.SWE_REGISTRATION and not initial.get("swe_number"):
        initial["swe_number"] = check.route.application.swe_registration
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def waive_check(request: HttpRequest, code, kind: str) -> HttpResponse:
    """Waive one check, naming who decided and why."""
    route = _route_for_checks(request, code)
    check = _check_for(route, kind)
    form = WaiveCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_waive_check(
                check, waived_by_name=form.cleaned_data["waived_by_name"],
                reason=form.cleaned_data["reason"], by=request.user,
            )
        except actions.PipelineError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{check.get_kind_display()}: waived")
            return HttpResponseRedirect(_detail_url(route) + "#checks")
    return render(request, "placements/waive_form.html", {
        "route": route, "check": check, "form": form, "candidate": route.application.candidate,
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def place_candidate(request: HttpRequest, code) -> HttpResponse:
    """Confirm the placement (job role, contract type, start date) once every required
    check is complete or waived."""
    route = _route_for_checks(request, code)
    if route.stage != Stage.CHECKS:
        raise Http404("Not at the pre-employment checks stage")
    first_role = route.application.job_roles.order_by("name").first()
    # Applied through one of this organisation's vacancies: offer it first.
    applied_for = (
        route.application.vacancy_links.filter(vacancy__organisation=route.organisation)
        .select_related("vacancy").order_by("-created_at").first()
    )
    initial = {"job_role": first_role}
    if applied_for is not None:
        initial = {"job_role": applied_for.vacancy.job_role, "vacancy": applied_for.vacancy}
    form = PlacementForm(request.POST or None, initial=initial, organisation=route.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_place_candidate(
                route, job_role=form.cleaned_data["job_role"], vacancy=form.cleaned_data["vacancy"],
                contract_type=form.cleaned_data["contract_type"],
                start_date=form.cleaned_data["start_date"], by=request.user,
            )
        except actions.PipelineError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Placement confirmed")
            return HttpResponseRedirect(_detail_url(route))
    checks = _check_rows(route)
    return render(request, "placements/place_form.html", {
        "route": route, "form": form, "candidate": route.application.candidate, "checks": checks,
        "required": required_kinds(route.application.job_roles.all()),
    }, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------
# Retention


@login_required
@require_safe
@never_cache
def retention_list(request: HttpRequest) -> HttpResponse:
    """``/staff/retention/``: retention checkpoints past their due date and unanswered,
    for the user's organisation (every organisation for regional admins)."""
    _require_reader(request)
    today = local_today()
    checkpoints = list(queries.overdue_checkpoints(request.user, today)[:500])
    log_access(request.user, VIEW, "overdue retention checkpoints",
               candidate_codes=[c.placement.route.application.candidate.code for c in checkpoints])
    return render(request, "placements/retention_list.html", {
        "checkpoints": [(c, (today - c.due_on).days) for c in checkpoints],
        "today": today,
        "can_edit_templates": can_edit_message_templates(request.user),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def record_retention(request: HttpRequest, code, months: int) -> HttpResponse:
    """Answer one checkpoint: still in post, left (with the ASC-WDS reason) or unknown."""
    _require_reader(request)
    checkpoint = (
        queries.checkpoints_visible_to(request.user)
        .filter(placement__code=code, months=months)
        .first()
    )
    if checkpoint is None:
        raise Http404("No such retention checkpoint")
    form = RetentionForm(request.POST or None, initial={
        "status": checkpoint.status if checkpoint.status != RetentionCheckpoint.Status.PENDING else None,
        "leaving_reason": checkpoint.leaving_reason, "left_on": checkpoint.left_on,
    })
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_retention(
                checkpoint, status=form.cleaned_data["status"], by=request.user,
                leaving_reason=form.cleaned_data.get("leaving_reason"),
                left_on=form.cleaned_data.get("left_on"),
            )
        except actions.PipelineError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, f"{months}-month retention check recorded")
            return HttpResponseRedirect(reverse("placements:retention-list"))
    if request.method != "POST":
        log_access(request.user, VIEW, "retention checkpoint",
                   candidate_codes=[checkpoint.placement.route.application.candidate.code])
    return render(request, "placements/retention_form.html", {
        "checkpoint": checkpoint, "placement": checkpoint.placement,
        "candidate": checkpoint.placement.route.application.candidate, "form": form,
    }, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------
# Message templates


def _require_template_editor(request: HttpRequest):
    if not can_edit_message_templates(request.user):
        raise PermissionDenied("Only the regional admin can edit candidate e-mails.")
    from carerecruit.reference.models import Region

    if request.user.organisation_id:
        return request.user.organisation.region
    from django.conf import settings

    return Region.objects.get(gss_code=settings.CARERECRUIT_REGION_CODE)


@login_required
@require_safe
def template_list(request: HttpRequest) -> HttpResponse:
    """``/staff/pipeline/messages/``: the e-mail for each stage change (regional admin)."""
    region = _require_template_editor(request)
    templates = [template_for(region.pk, kind) for kind in MessageKind.values]
    return render(request, "placements/template_list.html", {
        "templates": [(t, MessageKind(t.kind).label) for t in templates],
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    region = _require_template_editor(request)
    if kind not in MessageKind.values:
        raise Http404("No such message")
    current = template_for(region.pk, kind)
    form = MessageTemplateForm(request.POST or None, initial={
        "subject": current.subject, "body": current.body, "is_active": current.is_active,
    })
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_message_template(region, kind, by=request.user, **form.cleaned_data)
        except actions.PipelineError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"E-mail for “{MessageKind(kind).label}” saved")
            return HttpResponseRedirect(reverse("placements:template-list"))
    return render(request, "placements/template_form.html", {
        "form": form, "kind": kind, "label": MessageKind(kind).label, "placeholders": PLACEHOLDERS,
        "is_default": current.is_default,
    }, status=400 if form.errors else 200)
