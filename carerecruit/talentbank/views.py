"""Staff talent-bank pages: search ``/staff/talent-bank/`` with CSV/XLSX export, and the
review of possible duplicates ``/staff/duplicates/`` (regional admins only).

Candidates are read only through
:func:`carerecruit.organisations.access.talent_bank_visible_to`: consenting people only,
for everyone; viewers get counts. Every search, export, review and merge is audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carerecruit.candidates.models import Application, Candidate
from carerecruit.lib.localtime import local_date, local_today
from carerecruit.lib.spreadsheet import write_csv, write_xlsx
from carerecruit.organisations.access import is_regional_staff, talent_bank_visible_to
from carerecruit.organisations.audit import log_access
from carerecruit.organisations.models import PersonalDataAccess, User
from carerecruit.talentbank.actions import MergeError, do_dismiss_duplicate, do_merge_candidates
from carerecruit.talentbank.duplicates import postcode_district
from carerecruit.talentbank.forms import MergeForm, TalentSearchForm
from carerecruit.talentbank.models import DuplicateCandidatePair
from carerecruit.talentbank.paging import page_number
from carerecruit.talentbank.search import Ranked, TalentSearch, rank, ranked
from carerecruit.workforce.suppression import SUPPRESSED, suppress, suppression_viewer

PAGE_SIZE = 25
# An export is for contacting people, not copying the bank: the best-ranked this many.
MAX_EXPORT_ROWS = 5000
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORT_HEADER = (
    "Rank", "Score", "Name", "Email", "Phone", "Postcode district", "Distance (km)", "Job roles",
    "Years of experience", "Social Work England number given", "Hours wanted", "Can start from",
    "Would work in", "Last active",
)


def _staff_region(user: User):
    org = user.organisation
    return org.region if org is not None else None


def _search_form(request: HttpRequest, *, names: bool) -> tuple[TalentSearchForm, TalentSearch | None]:
    """The filters from the query string: (form, search), search None when invalid.
    ``names`` False drops the name filter (for counts-only roles)."""
    form = TalentSearchForm(request.GET or None, region=_staff_region(request.user), names=names)
    if not form.is_bound:
        return form, TalentSearch()
    if form.is_valid():
        return form, form.search()
    return form, None


def result_rows(ranked: list[Ranked], start: int = 1) -> list[dict]:
    """Display rows for ``ranked`` results (three queries: people with their profiles,
    job roles, council areas): rank, score, distance, the Candidate and its profile."""
    people = Candidate.objects.select_related("talent_profile").prefetch_related(
        "talent_roles__job_role", "talent_profile__council_areas"
    ).in_bulk([r.candidate_id for r in ranked])
    rows = []
    for number, result in enumerate(ranked, start=start):
        person = people.get(result.candidate_id)
        if person is None:  # erased between ranking and reading
            continue
        profile = person.talent_profile
        rows.append({
            "rank": number,
            "result": result,
            "candidate": person,
            "profile": profile,
            "district": postcode_district(person.postcode),
            "roles": ", ".join(sorted(r.job_role.name for r in person.talent_roles.all())),
            "councils": ", ".join(sorted(c.short_name for c in profile.council_areas.all())),
            "last_active": local_date(person.last_active_at),
        })
    return rows


@login_required
@require_GET
def talent_bank_search(request: HttpRequest) -> HttpResponse:
    """``/staff/talent-bank/``: search consenting candidates with the filters of
    :class:`TalentSearchForm`, ranked (:mod:`carerecruit.talentbank.search`), 25 a page.
    Viewers see the number of matching people only. Every search is audited (the
    candidates shown, or the count)."""
    shows_people = not talent_bank_visible_to(request.user).query.is_empty()
    countable = talent_bank_visible_to(request.user, identities=False)
    if countable.query.is_empty():
        raise PermissionDenied("Your account cannot use the talent bank.")
    form, search = _search_form(request, names=shows_people)
    context = {"form": form, "shows_people": shows_people, "searched": search is not None}
    if search is not None:
        today = local_today()
        pool = talent_bank_visible_to(request.user, identities=shows_people)
        if shows_people:
            page = rank(pool, search, today, page=page_number(request.GET.get("page")), per_page=PAGE_SIZE)
            rows = result_rows(page.rows, start=page.start_index())
            query = request.GET.copy()
            query.pop("page", None)
            context.update(
                total=page.count, page=page, rows=rows, page_query=query.urlencode(),
                export_query=query.urlencode(),
            )
            log_access(
                request.user, PersonalDataAccess.Action.SEARCH, "talent-bank search",
                candidate_codes=[row["candidate"].code for row in rows],
                detail=f"{search.audit_detail()}; {page.count} found; page {page.number}",
            )
        else:
            total = ranked(pool, search, today).count()
            # Viewers see counts only, so small ones are suppressed like every other
            # count of people shown outside its owner: 1 to 4 reads "fewer than 5" (the
            # pool spans organisations, so no viewer owns it). The audit keeps the exact
            # number.
            shown = suppress(total, viewer_org=suppression_viewer(request.user), owner_org=None)
            context.update(total=total, total_suppressed=shown == SUPPRESSED)
            log_access(
                request.user, PersonalDataAccess.Action.SEARCH, "talent-bank search (count)",
                count=total, detail=search.audit_detail(),
            )
    return render(request, "talentbank/search.html", context)


def export_cells(row: dict) -> tuple:
    """One export line; the same facts the results page shows."""
    profile = row["profile"]
    distance = row["result"].distance_km
    return (
        row["rank"],
        row["result"].score,
        row["candidate"].full_name,
        row["candidate"].email,
        row["candidate"].phone_e164,
        row["district"],
        round(distance, 1) if distance is not None else None,
        row["roles"],
        profile.years_experience,
        profile.swe_registered,
        profile.get_hours_wanted_display() if profile.hours_wanted else "",
        profile.available_from,
        row["councils"],
        row["last_active"],
    )


@login_required
@require_GET
def talent_bank_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """``/staff/talent-bank/export.<csv|xlsx>?<filters>``: the search's results, best
    first, up to 5,000 rows, with the columns the page shows; strings neutralised
    against formula injection. Viewers (counts only) 403; invalid filters 400;
    audited."""
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format")
    people = talent_bank_visible_to(request.user)
    if people.query.is_empty():
        raise PermissionDenied("Your role sees counts only, so it cannot export people.")
    form, search = _search_form(request, names=True)
    if search is None:
        return HttpResponse("The search filters are not valid.", status=400, content_type="text/plain")
    results = rank(people, search, local_today(), per_page=MAX_EXPORT_ROWS).rows
    rows = []
    for start in range(0, len(results), 1000):
        rows += result_rows(results[start:start + 1000], start=start + 1)
    cells = [export_cells(row) for row in rows]
    if fmt == "csv":
        content = write_csv(cells, EXPORT_HEADER)
    else:
        content = write_xlsx(cells, EXPORT_HEADER, sheet_title="Talent bank")
    log_access(
        request.user, PersonalDataAccess.Action.EXPORT, f"talent-bank.{fmt}",
        candidate_codes=[row["candidate"].code for row in rows], count=len(rows),
        detail=search.audit_detail(),
    )
    filename = f"talent-bank-{local_today().isoformat()}.{fmt}"
    return HttpResponse(
        content, content_type=EXPORT_FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- Duplicates ---------------------------------------------------------------------


def can_merge_candidates(user: User) -> bool:
    """Reviewing and merging duplicates is for the regional body's admins (and platform
    superusers): a merge touches every organisation's records of a person."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (is_regional_staff(user) and user.role == User.Role.ADMIN)


def _require_merger(user: User) -> None:
    if not can_merge_candidates(user):
        raise PermissionDenied("Only regional administrators review possible duplicates.")


def _person_summary(candidate: Candidate) -> dict:
    applications = list(
        Application.objects.filter(candidate=candidate).select_related("campaign").order_by("submitted_at")
    )
    return {"candidate": candidate, "applications": applications}


@login_required
@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """``/staff/duplicates/``: pairs waiting for review, most similar first (50 a page)."""
    _require_merger(request.user)
    pairs = DuplicateCandidatePair.objects.filter(
        status=DuplicateCandidatePair.Status.PENDING
    ).select_related("candidate_a", "candidate_b")
    page = Paginator(pairs, 50).get_page(request.GET.get("page"))
    codes = [c.code for pair in page for c in (pair.candidate_a, pair.candidate_b)]
    if codes:
        log_access(request.user, PersonalDataAccess.Action.VIEW, "possible duplicates", candidate_codes=codes)
    return render(request, "talentbank/duplicates.html", {"page": page})


def _pending_pair(code) -> DuplicateCandidatePair:
    pair = DuplicateCandidatePair.objects.select_related("candidate_a", "candidate_b").filter(
        code=code, status=DuplicateCandidatePair.Status.PENDING
    ).first()
    if pair is None:
        raise Http404("No such pair waiting for review")
    return pair


@login_required
@require_http_methods(["GET", "POST"])
def duplicate_review(request: HttpRequest, code) -> HttpResponse:
    """``/staff/duplicates/<code>/``: both records side by side; POST merges them into
    the one chosen (:func:`carerecruit.talentbank.actions.do_merge_candidates`)."""
    _require_merger(request.user)
    pair = _pending_pair(code)
    a, b = pair.candidate_a, pair.candidate_b
    choices = [(str(c.code), f"{c.full_name}, {c.email}") for c in (a, b)]
    form = MergeForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        survivor = a if form.cleaned_data["keep"] == str(a.code) else b
        try:
            do_merge_candidates(pair, survivor=survivor, user=request.user)
        except MergeError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("talentbank:duplicates"))
        messages.success(request, f"Records merged into {survivor.full_name}'s.")
        return HttpResponseRedirect(reverse("talentbank:duplicates"))
    log_access(
        request.user, PersonalDataAccess.Action.VIEW, "possible duplicate", candidate_codes=[a.code, b.code]
    )
    return render(
        request, "talentbank/duplicate_review.html",
        {"pair": pair, "people": [_person_summary(a), _person_summary(b)], "form": form},
    )


@login_required
@require_POST
def duplicate_dismiss(request: HttpRequest, code) -> HttpResponse:
    """Mark a pair "not the same person"."""
    _require_merger(request.user)
    pair = _pending_pair(code)
    try:
        do_dismiss_duplicate(pair, user=request.user)
    except MergeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Marked as different people. This pair will not be raised again.")
    return HttpResponseRedirect(reverse("talentbank:duplicates"))
