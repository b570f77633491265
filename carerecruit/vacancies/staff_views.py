"""Staff vacancy pages under ``/staff/vacancies/``: list, post, edit, open, close, the
vacancy's applicants, and talent-bank matches with invitations and a shortlist.

Every vacancy is read through :func:`carerecruit.organisations.access.get_vacancy_for_user`
(another organisation's vacancy answers 404; a read-only role trying to change one 403)
and every candidate through ``talent_bank_visible_to``. Pages that show people are
audited with :func:`carerecruit.organisations.audit.log_access`; viewers see counts.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carerecruit.candidates.actions import application_reference
from carerecruit.candidates.models import Candidate
from carerecruit.lib.localtime import local_date, local_today
from carerecruit.organisations.access import (
    get_vacancy_for_user,
    is_regional_staff,
    talent_bank_visible_to,
    vacancies_visible_to,
)
from carerecruit.organisations.audit import log_access
from carerecruit.organisations.models import Organisation, PersonalDataAccess, User
from carerecruit.talentbank.matching import (
    DEFAULT_RADIUS_KM,
    RADIUS_CHOICES_KM,
    VacancyTerms,
    explain,
    find_matches,
    max_points,
    ranked_matches,
)
from carerecruit.talentbank.paging import page_number
from carerecruit.vacancies.actions import (
    VacancyStateError,
    do_close_vacancy,
    do_create_vacancy,
    do_invite_candidate,
    do_open_vacancy,
    do_remove_from_shortlist,
    do_shortlist_candidate,
    do_update_vacancy,
)
from carerecruit.vacancies.forms import VacancyForm
from carerecruit.vacancies.models import Shortlist, Vacancy, VacancyApplication, VacancyInvitation

STAFF_PAGE_SIZE = 50
MATCH_PAGE_SIZE = 25


def posting_organisations(user: User) -> QuerySet[Organisation]:
    """The councils and providers ``user`` may post vacancies for: every active one in
    their region for the regional body's admins and campaign managers (and all for
    superusers); their own organisation for a council's or provider's admins and
    recruiters; none for viewers and everyone else. Same rule as editing in
    ``get_vacancy_for_user``."""
    kinds = (Organisation.Kind.COUNCIL, Organisation.Kind.PROVIDER)
    base = Organisation.objects.filter(kind__in=kinds, is_active=True).order_by("kind", "name")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.is_superuser:
        return base
    if is_regional_staff(user):
        if user.role in (User.Role.ADMIN, User.Role.CAMPAIGN_MANAGER):
            return base.filter(region_id=user.organisation.region_id)
        return base.none()
    if user.organisation_id and user.role in (User.Role.ADMIN, User.Role.RECRUITER):
        return base.filter(pk=user.organisation_id)
    return base.none()


def _shows_people(user: User) -> bool:
    """Whether the talent bank shows ``user`` people, or only counts (viewers)."""
    return not talent_bank_visible_to(user).query.is_empty()


def _can_edit(user: User, vacancy: Vacancy) -> bool:
    try:
        get_vacancy_for_user(user, vacancy.code, edit=True)
    except (PermissionDenied, Http404):
        return False
    return True


@login_required
@require_GET
def vacancy_list(request: HttpRequest) -> HttpResponse:
    """``/staff/vacancies/``: the vacancies the user may see (their organisation's, or
    all for the regional body), newest first, with applicant counts; ``?status=``
    draft/open/closed filters."""
    status = request.GET.get("status", "")
    vacancies = vacancies_visible_to(request.user).select_related("organisation", "job_role")
    if status in Vacancy.Status.values:
        vacancies = vacancies.filter(status=status)
    else:
        status = ""
    vacancies = vacancies.annotate(applicants=Count("vacancy_applications")).order_by("-created_at", "pk")
    page = Paginator(vacancies, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vacancies/staff/list.html",
        {
            "page": page,
            "status": status,
            "statuses": Vacancy.Status.choices,
            "page_query": f"status={status}" if status else "",
            "can_post": posting_organisations(request.user).exists(),
            "today": local_today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def vacancy_create(request: HttpRequest) -> HttpResponse:
    """``/staff/vacancies/new/``: post a vacancy (saved as a draft to check, then opened).
    Regional admins and campaign managers choose the organisation; a council's or
    provider's recruiters post for their own. Others 403."""
    organisations = posting_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied("Your role cannot post vacancies.")
    own = request.user.organisation if organisations.count() == 1 and not is_regional_staff(request.user) else None
    region = (own or request.user.organisation or organisations.first()).region
    form = VacancyForm(
        request.POST if request.method == "POST" else None,
        organisations=None if own else organisations,
        region=region,
    )
    if request.method == "POST" and form.is_valid():
        organisation = own or form.cleaned_data["organisation"]
        vacancy = do_create_vacancy(
            organisation, form.vacancy_fields(), campaign=form.cleaned_data["campaign"],
            created_by=request.user,
        )
        messages.success(request, "Vacancy saved as a draft. Check it, then open it to publish it.")
        return HttpResponseRedirect(reverse("vacancies_staff:detail", args=[vacancy.code]))
    return render(request, "vacancies/staff/form.html", {"form": form, "vacancy": None, "own": own})


@login_required
@require_http_methods(["GET", "POST"])
def vacancy_edit(request: HttpRequest, code: str) -> HttpResponse:
    """``/staff/vacancies/<code>/edit/``: change a vacancy's details (editors only)."""
    vacancy = get_vacancy_for_user(request.user, code, edit=True)
    form = VacancyForm(request.POST if request.method == "POST" else None, vacancy=vacancy, region=vacancy.organisation.region)
    if request.method == "POST" and form.is_valid():
        do_update_vacancy(vacancy, form.vacancy_fields(), campaign=form.cleaned_data["campaign"])
        messages.success(request, "Vacancy updated.")
        return HttpResponseRedirect(reverse("vacancies_staff:detail", args=[vacancy.code]))
    return render(request, "vacancies/staff/form.html", {"form": form, "vacancy": vacancy, "own": vacancy.organisation})


@login_required
@require_GET
def vacancy_detail(request: HttpRequest, code: str) -> HttpResponse:
    """``/staff/vacancies/<code>/``: the vacancy, its public page, and the people linked
    to it: applicants (through its apply page), shortlist and invitations. Viewers see
    how many, not who; showing names is audited."""
    vacancy = get_vacancy_for_user(request.user, code)
    shows_people = _shows_people(request.user)
    applicants = VacancyApplication.objects.filter(vacancy=vacancy).select_related(
        "application", "application__candidate"
    ).order_by("-application__submitted_at")
    shortlist = Shortlist.objects.filter(vacancy=vacancy).select_related("candidate")
    invitations = VacancyInvitation.objects.filter(vacancy=vacancy).select_related("candidate")
    context = {
        "vacancy": vacancy,
        "can_edit": _can_edit(request.user, vacancy),
        "is_public": vacancy.is_public(),
        "public_url": request.build_absolute_uri(vacancy.get_absolute_url()),
        "shows_people": shows_people,
        "counts": {
            "applicants": applicants.count(),
            "shortlist": shortlist.count(),
            "invitations": invitations.count(),
        },
    }
    if shows_people:
        applicants, shortlist, invitations = list(applicants), list(shortlist), list(invitations)
        context.update(
            applicants=[
                {"link": link, "reference": application_reference(link.application)} for link in applicants
            ],
            shortlist=shortlist,
            invitations=invitations,
        )
        codes = {link.application.candidate.code for link in applicants}
        codes |= {row.candidate.code for row in shortlist} | {row.candidate.code for row in invitations}
        if codes:
            log_access(
                request.user, PersonalDataAccess.Action.VIEW, "vacancy people",
                candidate_codes=sorted(codes), detail=f"vacancy {vacancy.code}",
            )
    return render(request, "vacancies/staff/detail.html", context)


@login_required
@require_POST
def vacancy_open(request: HttpRequest, code: str) -> HttpResponse:
    """Publish (or reopen) a vacancy: it appears on ``/vacancies/`` with JobPosting markup."""
    vacancy = get_vacancy_for_user(request.user, code, edit=True)
    try:
        do_open_vacancy(vacancy)
    except VacancyStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Vacancy open: it is now on the public vacancies page.")
    return HttpResponseRedirect(reverse("vacancies_staff:detail", args=[vacancy.code]))


@login_required
@require_POST
def vacancy_close(request: HttpRequest, code: str) -> HttpResponse:
    """Close a vacancy: its public page answers 410 Gone and loses its JobPosting markup."""
    vacancy = get_vacancy_for_user(request.user, code, edit=True)
    try:
        do_close_vacancy(vacancy)
    except VacancyStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Vacancy closed: it no longer takes applications.")
    return HttpResponseRedirect(reverse("vacancies_staff:detail", args=[vacancy.code]))


def _radius(value: str | None) -> int:
    try:
        radius = int(value or DEFAULT_RADIUS_KM)
    except ValueError:
        return DEFAULT_RADIUS_KM
    return radius if radius in RADIUS_CHOICES_KM else DEFAULT_RADIUS_KM


@login_required
@require_GET
def vacancy_matches(request: HttpRequest, code: str) -> HttpResponse:
    """``/staff/vacancies/<code>/matches/``: consenting talent-bank candidates ranked for
    the vacancy with the reasons for each score (:mod:`carerecruit.talentbank.matching`),
    25 a page, within ``?within=`` km (5, 10, 25, 50 or 100; default 10). Editors can
    invite and shortlist. Viewers see the number of matches only. Audited."""
    try:
        vacancy, can_edit = get_vacancy_for_user(request.user, code, edit=True), True
    except PermissionDenied:
        vacancy, can_edit = get_vacancy_for_user(request.user, code), False
    radius = _radius(request.GET.get("within"))
    terms = VacancyTerms.of(vacancy)
    today = local_today()
    shows_people = _shows_people(request.user)
    context = {
        "vacancy": vacancy,
        "radius": radius,
        "radius_choices": RADIUS_CHOICES_KM,
        "page_query": f"within={radius}",
        "terms": terms,
        "shows_people": shows_people,
        "can_edit": can_edit,
        "is_public": vacancy.is_public(today),
    }
    if terms is None:
        return render(request, "vacancies/staff/matches.html", context)
    pool = talent_bank_visible_to(request.user, identities=shows_people)
    if not shows_people:
        total = ranked_matches(terms, pool, radius_km=radius, today=today).count()
        context.update(total=total, max_points=max_points(terms))
        log_access(
            request.user, PersonalDataAccess.Action.SEARCH, "vacancy matches (count)",
            count=total, detail=f"vacancy {vacancy.code} within {radius}km",
        )
        return render(request, "vacancies/staff/matches.html", context)
    page = find_matches(
        terms, pool, radius_km=radius, today=today, page=page_number(request.GET.get("page")),
        per_page=MATCH_PAGE_SIZE,
    )
    context.update(total=page.count, max_points=max_points(terms))
    people = Candidate.objects.in_bulk([m.candidate_id for m in page])
    shortlisted = set(
        Shortlist.objects.filter(vacancy=vacancy, candidate_id__in=people).values_list("candidate_id", flat=True)
    )
    invited = dict(
        VacancyInvitation.objects.filter(vacancy=vacancy, candidate_id__in=people).values_list(
            "candidate_id", "invited_at"
        )
    )
    rows = []
    base = reverse("vacancies_staff:matches", args=[vacancy.code])
    for rank, match in enumerate(page, start=page.start_index()):
        person = people.get(match.candidate_id)
        if person is None:  # erased between ranking and reading
            continue
        rows.append({
            "rank": rank,
            "match": match,
            "candidate": person,
            "reasons": explain(terms, match, radius, today),
            "shortlisted": match.candidate_id in shortlisted,
            "invited_at": invited.get(match.candidate_id),
            # The three action URLs, built from one reverse() rather than three per row.
            "action_url": f"{base}{person.code}/",
        })
    context.update(page=page, rows=rows)
    log_access(
        request.user, PersonalDataAccess.Action.SEARCH, "vacancy matches",
        candidate_codes=[row["candidate"].code for row in rows],
        detail=f"vacancy {vacancy.code} within {radius}km page {page.number}",
    )
    return render(request, "vacancies/staff/matches.html", context)


def _match_target(request: HttpRequest, vacancy: Vacancy, candidate_code) -> tuple[Candidate, str]:
    """The candidate acted on (404 unless in the user's talent bank) and the matches
    page to go back to, keeping the radius and page."""
    candidate = talent_bank_visible_to(request.user).filter(code=candidate_code).first()
    if candidate is None:
        raise Http404("No such candidate in the talent bank")
    back = reverse("vacancies_staff:matches", args=[vacancy.code])
    back += f"?within={_radius(request.POST.get('within'))}&page={page_number(request.POST.get('page'))}"
    return candidate, f"{back}#candidate-{candidate.code}"


@login_required
@require_POST
def candidate_invite(request: HttpRequest, code: str, candidate) -> HttpResponse:
    """Invite a matched candidate to apply (one e-mail per vacancy per person, ever)."""
    vacancy = get_vacancy_for_user(request.user, code, edit=True)
    person, back = _match_target(request, vacancy, candidate)
    try:
        invitation, created = do_invite_candidate(
            vacancy, person, user=request.user,
            vacancy_url=request.build_absolute_uri(vacancy.get_absolute_url()),
        )
    except (VacancyStateError, ValueError) as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(back)
    if created:
        log_access(
            request.user, PersonalDataAccess.Action.CHANGE, "vacancy invitation",
            candidate_codes=[person.code], detail=f"vacancy {vacancy.code}",
        )
        messages.success(request, f"Invitation to apply sent to {person.full_name}.")
    else:
        messages.info(
            request,
            f"{person.full_name} was already invited on {local_date(invitation.invited_at):%-d %B %Y}: "
            "no e-mail sent.",
        )
    return HttpResponseRedirect(back)


@login_required
@require_POST
def candidate_shortlist(request: HttpRequest, code: str, candidate) -> HttpResponse:
    """Add a matched candidate to the vacancy's shortlist."""
    vacancy = get_vacancy_for_user(request.user, code, edit=True)
    person, back = _match_target(request, vacancy, candidate)
    if do_shortlist_candidate(vacancy, person, user=request.user):
        log_access(
            request.user, PersonalDataAccess.Action.CHANGE, "vacancy shortlist",
            candidate_codes=[person.code], detail=f"vacancy {vacancy.code} added",
        )
        messages.success(request, f"{person.full_name} added to the shortlist.")
    return HttpResponseRedirect(back)


@login_required
@require_POST
def candidate_unshortlist(request: HttpRequest, code: str, candidate) -> HttpResponse:
    """Take a candidate off the vacancy's shortlist."""
    vacancy = get_vacancy_for_user(request.user, code, edit=True)
    person, back = _match_target(request, vacancy, candidate)
    if do_remove_from_shortlist(vacancy, person):
        log_access(
            request.user, PersonalDataAccess.Action.CHANGE, "vacancy shortlist",
            candidate_codes=[person.code], detail=f"vacancy {vacancy.code} removed",
        )
        messages.success(request, f"{person.full_name} taken off the shortlist.")
    return HttpResponseRedirect(back)
