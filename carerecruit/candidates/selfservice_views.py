"""Candidate self-service: ``/me/`` (ask for a link) and ``/me/<token>/`` (see and change
your record, download it, erase it).

No account and no session: the signed, expiring token in the URL is the credential
(:mod:`carerecruit.candidates.selfservice`), so every page under it re-checks it. Writes
are POST with CSRF; outcomes are shown after a redirect through a fixed ``?done=`` key
rather than a message cookie. Every page that shows the person's data, and every
change, is written to the personal-data audit log with no staff user (the candidate).
Pages are never cached, never indexed, and send no Referer to other sites (the URL
holds the token).
"""

from __future__ import annotations

import functools
import json

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from carerecruit.candidates.actions import (
    application_reference,
    do_erase_candidate,
    do_request_selfservice_link,
    do_set_talent_bank_consent,
    do_update_availability,
    do_update_contact_details,
    do_withdraw_application,
)
from carerecruit.candidates.models import Application
from carerecruit.candidates.selfservice import MAX_LINKS_PER_WINDOW, link_max_age, read_token
from carerecruit.candidates.selfservice_forms import (
    AvailabilityForm,
    ConsentForm,
    ContactDetailsForm,
    RequestLinkForm,
)
from carerecruit.candidates.status import application_status
from carerecruit.candidates.subject_access import build_subject_access, subject_access_csv
from carerecruit.organisations.audit import log_access
from carerecruit.organisations.models import PersonalDataAccess

Action = PersonalDataAccess.Action

# What to say after a change (the ``?done=`` key of the redirect back to the record).
DONE_MESSAGES = {
    "contact": "Your contact details have been updated",
    "availability": "Your availability has been updated",
    "consent-given": "You're in the talent bank",
    "consent-withdrawn": "You're no longer in the talent bank",
    "withdrawn": "Your application has been withdrawn",
}


def private_page(view):
    """Never cached, never indexed, and no Referer sent to other sites (the page's URL is
    a credential). "same-origin" rather than "no-referrer": with no referrer the browser
    sends ``Origin: null`` on the page's own form posts, which CSRF protection refuses."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapper)


def with_candidate(view):
    """Resolve ``token`` to the candidate, or answer with the expired (410) or
    not-valid (404) page, each offering a new link."""

    @functools.wraps(view)
    def wrapper(request, token: str, *args, **kwargs):
        check = read_token(token)
        if check.status == "expired":
            return render(request, "candidates/selfservice/link_expired.html", status=410)
        if check.status != "ok":
            return render(request, "candidates/selfservice/link_invalid.html", status=404)
        return view(request, check.candidate, token, *args, **kwargs)

    return wrapper


def _home_url(token: str, done: str = "") -> str:
    url = reverse("selfservice:home", args=[token])
    return f"{url}?done={done}" if done else url


# ---------------------------------------------------------------------------------------
# Asking for a link


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def request_link(request):
    """``/me/``: ask for a link by e-mail address. A valid POST always redirects to the
    same "check your email" page, known address or not; the mail (if any) is sent by
    the worker (:func:`do_request_selfservice_link`)."""
    form = RequestLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        do_request_selfservice_link(
            form.cleaned_data["email"], base_url=request.build_absolute_uri("/")
        )
        return redirect("selfservice:sent")
    return render(request, "candidates/selfservice/request.html", {"form": form})


@require_safe
@private_page
def link_sent(request):
    return render(
        request,
        "candidates/selfservice/sent.html",
        {"days": link_max_age().days, "max_links": MAX_LINKS_PER_WINDOW},
    )


@require_safe
@private_page
def erased(request):
    return render(request, "candidates/selfservice/erased.html")


# ---------------------------------------------------------------------------------------
# The record


def _applications(candidate):
    return list(
        candidate.applications.select_related("campaign")
        .prefetch_related("job_roles")
        .order_by("-submitted_at", "-pk")
    )


@require_safe
@private_page
@with_candidate
def home(request, candidate, token):
    """The person's record: applications with their status in plain words, contact
    details, availability, talent-bank consent, download and erase."""
    applications = _applications(candidate)
    rows = [
        {
            "application": application,
            "reference": application_reference(application),
            "status": application_status(application),
        }
        for application in applications
    ]
    current = next((a for a in applications if a.withdrawn_at is None), None)
    log_access(None, Action.VIEW, "self-service record", candidate_codes=[candidate.code])
    context = {
        "candidate": candidate,
        "token": token,
        "rows": rows,
        "current": current,
        "done": DONE_MESSAGES.get(request.GET.get("done", "")),
    }
    return render(request, "candidates/selfservice/home.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
@with_candidate
def contact(request, candidate, token):
    """Change phone and postcode. The e-mail address is how we recognise the person, so
    it is not changed here (the page says how to change it)."""
    initial = {"phone": candidate.phone_e164, "postcode": candidate.postcode}
    form = ContactDetailsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Any valid number is saved, also one someone else has given: no answer here
        # may tell the visitor whether a phone number is known.
        do_update_contact_details(candidate, **form.cleaned_data)
        return redirect(_home_url(token, "contact"))
    return render(
        request, "candidates/selfservice/contact.html",
        {"form": form, "token": token, "candidate": candidate},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
@with_candidate
def availability(request, candidate, token):
    """Change the earliest start date and hours wanted (on every application still open)."""
    current = next((a for a in _applications(candidate) if a.withdrawn_at is None), None)
    if current is None:
        raise Http404("No open application")
    initial = {"earliest_start": current.earliest_start, "hours_wanted": current.hours_wanted}
    form = AvailabilityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        do_update_availability(candidate, **form.cleaned_data)
        return redirect(_home_url(token, "availability"))
    return render(request, "candidates/selfservice/availability.html", {"form": form, "token": token})


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
@with_candidate
def consent(request, candidate, token):
    """Give or withdraw talent-bank consent (timestamped, kept in the consent history)."""
    initial = {"talent_bank_consent": "yes" if candidate.talent_bank_consent else "no"}
    form = ConsentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["talent_bank_consent"] == "yes"
        do_set_talent_bank_consent(candidate, given)
        return redirect(_home_url(token, "consent-given" if given else "consent-withdrawn"))
    return render(
        request, "candidates/selfservice/consent.html",
        {"form": form, "token": token, "candidate": candidate},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
@with_candidate
def withdraw(request, candidate, token, code):
    """Confirm (GET), then withdraw (POST) one of the person's applications."""
    application = (
        Application.objects.select_related("campaign")
        .filter(candidate=candidate, code=code, withdrawn_at__isnull=True)
        .first()
    )
    if application is None:
        raise Http404("No such open application")
    if request.method == "POST":
        do_withdraw_application(application)
        return redirect(_home_url(token, "withdrawn"))
    return render(
        request, "candidates/selfservice/withdraw.html",
        {"application": application, "reference": application_reference(application), "token": token},
    )


@require_safe
@private_page
@with_candidate
def download(request, candidate, token, fmt: str):
    """Everything we hold about the person (subject access), as JSON or CSV."""
    data = build_subject_access(candidate)
    log_access(None, Action.SUBJECT_ACCESS, f"self-service download ({fmt})", candidate_codes=[candidate.code])
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(subject_access_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.{fmt}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
@with_candidate
def erase(request, candidate, token):
    """Confirm (GET), then erase (POST) everything about the person."""
    if request.method == "POST":
        do_erase_candidate(candidate)
        return redirect("selfservice:erased")
    return render(
        request, "candidates/selfservice/erase.html",
        {"token": token, "applications": len(_applications(candidate))},
    )
