"""Public vacancy pages: ``/vacancies/``, ``/vacancies/<code>/`` (with schema.org
JobPosting markup), the apply form ``/vacancies/<code>/apply/`` and its confirmation.

What the public sees of a vacancy:

- open, closing date (local) not passed: the page, JobPosting JSON-LD, the apply form;
- closed, or open but past its closing date: 410 Gone, a page saying so and pointing to
  open vacancies, no JSON-LD, no form (Google drops postings that answer 404 or 410);
- draft or unknown code: 404. Staff who may read a draft get a preview without markup.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from carerecruit.campaigns.views import attribution_query
from carerecruit.candidates.models import Application
from carerecruit.candidates.views import make_done_token, read_done_token
from carerecruit.organisations.access import vacancies_visible_to
from carerecruit.pages.views import deployment_region
from carerecruit.tracking.actions import attribution_for, record_form_start, record_microsite_view
from carerecruit.vacancies.actions import do_apply_to_vacancy
from carerecruit.vacancies.forms import PublicVacancyFilterForm, VacancyApplicationForm
from carerecruit.vacancies.jobposting import job_posting, json_ld_script, paragraphs
from carerecruit.vacancies.models import Vacancy
from carerecruit.vacancies.queries import open_vacancies

PUBLIC_PAGE_SIZE = 20


def _public_vacancy(request: HttpRequest, code: str) -> tuple[Vacancy, bool]:
    """``(vacancy, is_preview)``; Http404 for an unknown code or a draft the user may not
    preview."""
    vacancy = (
        Vacancy.objects.select_related("organisation", "organisation__region", "job_role", "council_area", "campaign")
        .filter(code=code)
        .first()
    )
    if vacancy is None:
        raise Http404("No such vacancy")
    if vacancy.status == Vacancy.Status.DRAFT:
        if not vacancies_visible_to(request.user).filter(pk=vacancy.pk).exists():
            raise Http404("No such vacancy")
        return vacancy, True
    return vacancy, False


def _gone(request: HttpRequest, vacancy: Vacancy) -> HttpResponse:
    region = vacancy.organisation.region
    others = open_vacancies(region).filter(job_role=vacancy.job_role)[:5]
    return render(request, "vacancies/closed.html", {"vacancy": vacancy, "others": others}, status=410)


@require_safe
def vacancy_list(request: HttpRequest) -> HttpResponse:
    """``/vacancies/``: the region's open vacancies, 20 a page, newest first; optional
    filters ``role`` (JobRole id), ``council`` (council id) and ``town`` (case-insensitive,
    whole name). A tampered filter shows the GOV.UK error summary and no filtering."""
    region = deployment_region()
    form = PublicVacancyFilterForm(request.GET or None, region=region)
    vacancies = open_vacancies(region)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["role"]:
            vacancies = vacancies.filter(job_role=form.cleaned_data["role"])
        if form.cleaned_data["council"]:
            vacancies = vacancies.filter(council_area=form.cleaned_data["council"])
        if form.cleaned_data["town"].strip():
            vacancies = vacancies.filter(town__iexact=form.cleaned_data["town"].strip())
    page = Paginator(vacancies, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "vacancies/list.html",
        {
            "region": region,
            "form": form,
            "page": page,
            "filter_query": query.urlencode(),
            "filtered": bool(form.is_bound and any(request.GET.get(k) for k in ("role", "council", "town"))),
        },
    )


@require_safe
@never_cache  # each view must reach us to be counted as a visit to the campaign
def vacancy_detail(request: HttpRequest, code: str) -> HttpResponse:
    """``/vacancies/<code>/``: the vacancy and its JobPosting JSON-LD (see module
    docstring for closed, expired and draft vacancies). A view counts as a visit to the
    vacancy's campaign (first view per visitor per local day)."""
    vacancy, preview = _public_vacancy(request, code)
    if not preview and not vacancy.is_public():
        return _gone(request, vacancy)
    if request.method == "GET" and not preview:
        record_microsite_view(request, vacancy.campaign)
    query = attribution_query(request)
    url = request.build_absolute_uri(vacancy.get_absolute_url())
    context = {
        "vacancy": vacancy,
        "preview": preview,
        "paragraphs": paragraphs(vacancy.description),
        "apply_url": reverse("vacancies:apply", args=[vacancy.code]) + (f"?{query}" if query else ""),
        "json_ld": None if preview else json_ld_script(job_posting(vacancy, url=url)),
    }
    return render(request, "vacancies/detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def vacancy_apply(request: HttpRequest, code: str) -> HttpResponse:
    """``/vacancies/<code>/apply/``: the GOV.UK application form, for this vacancy.

    The application goes to the vacancy's campaign through
    :func:`carerecruit.vacancies.actions.do_apply_to_vacancy` and is linked to the
    vacancy. GET counts a form start on the campaign; the attribution query string
    (``cid``, ``utm_*``) is kept on the form's action. Closed or expired: 410; draft: 404.
    """
    vacancy, preview = _public_vacancy(request, code)
    if preview:
        raise Http404("No such vacancy")
    if not vacancy.is_public():
        return _gone(request, vacancy)
    query = attribution_query(request)
    if request.method == "POST":
        form = VacancyApplicationForm(vacancy, request.POST)
        if form.is_valid():
            application, _created = do_apply_to_vacancy(
                vacancy, form.cleaned_data, attribution_for(request, vacancy.campaign)
            )
            # No "created" in the token: it is readable, and the page must not tell
            # whoever typed someone's details that they had applied (the e-mail does).
            token = make_done_token(application)
            return redirect(reverse("vacancies:apply-done", args=[vacancy.code]) + f"?ref={token}")
    else:
        form = VacancyApplicationForm(vacancy)
        if request.method == "GET":
            record_form_start(request, vacancy.campaign)
    action = reverse("vacancies:apply", args=[vacancy.code]) + (f"?{query}" if query else "")
    back = vacancy.get_absolute_url() + (f"?{query}" if query else "")
    return render(
        request, "vacancies/apply.html", {"vacancy": vacancy, "form": form, "action": action, "back_url": back}
    )


@require_safe
@never_cache
def vacancy_apply_done(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation, reached with the signed ``?ref=`` token of the candidates app
    (valid one hour). A missing, tampered or expired token: 404 with an explanation."""
    vacancy = Vacancy.objects.select_related("organisation", "campaign").filter(code=code).first()
    if vacancy is None or vacancy.status == Vacancy.Status.DRAFT:
        raise Http404("No such vacancy")
    decoded = read_done_token(request.GET.get("ref", ""))
    application = None
    if decoded is not None:
        application = Application.objects.filter(
            code=decoded[0], vacancy_links__vacancy=vacancy
        ).first()
    if application is None:
        return render(request, "vacancies/done_expired.html", {"vacancy": vacancy}, status=404)
    return render(request, "vacancies/done.html", {"vacancy": vacancy})
