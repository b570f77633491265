"""Public application pages: the form ``/c/<slug>/apply/`` and its confirmation."""

from __future__ import annotations

import uuid

from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from carerecruit.campaigns.models import Campaign
from carerecruit.campaigns.views import attribution_query, live_campaigns
from carerecruit.candidates.actions import do_submit_application
from carerecruit.candidates.forms import ApplicationForm
from carerecruit.candidates.models import Application
from carerecruit.tracking.actions import attribution_for, record_form_start

# The confirmation link is a POST-redirect-GET target carrying a signed, expiring token
# rather than a session: candidates get no cookie, and the URL holds no personal data,
# only the application's random code.
DONE_TOKEN_SALT = "carerecruit.candidates.apply-done"  # noqa: S105 (a namespace, not a secret)
DONE_TOKEN_MAX_AGE = 60 * 60  # seconds


def make_done_token(application: Application, *, created: bool | None = None) -> str:
    """A signed token for the confirmation page, valid for one hour: the application
    code and, only when ``created`` is given, whether this submit created it.

    The token is signed, not encrypted: anyone holding it can read it. The campaign form
    therefore leaves ``created`` out, so neither the page nor its address tells whoever
    typed someone's e-mail or phone whether that person had applied already.
    """
    data = {"a": application.code.hex}
    if created is not None:
        data["n"] = int(created)
    return signing.dumps(data, salt=DONE_TOKEN_SALT)


def read_done_token(token: str) -> tuple[str, bool | None] | None:
    """Return ``(application code hex, created)`` from a token (``created`` None when
    the token does not carry it), or None if it is tampered with, malformed or older
    than an hour."""
    try:
        data = signing.loads(token, salt=DONE_TOKEN_SALT, max_age=DONE_TOKEN_MAX_AGE)
        created = data.get("n")
        return uuid.UUID(hex=data["a"]).hex, None if created is None else bool(created)
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return None


def _public_campaign_or_404(slug: str) -> Campaign:
    campaign = Campaign.objects.select_related("region").filter(slug=slug).first()
    if campaign is None or campaign.status == Campaign.Status.DRAFT:
        raise Http404("No such campaign")
    return campaign


def _closed_page(request, campaign: Campaign):
    return render(
        request,
        "candidates/closed.html",
        {"campaign": campaign, "live_campaigns": live_campaigns(campaign.region_id, exclude=campaign)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def apply(request, slug: str):
    """The application form. GET records a form start; a valid POST submits through
    :func:`do_submit_application` and redirects to the confirmation.

    The form's action keeps the attribution query string (``cid``, ``utm_*``) so the
    POST is credited like the visit. Closed campaign: a friendly page, no form, nothing
    recorded. Draft: 404.
    """
    campaign = _public_campaign_or_404(slug)
    if not campaign.takes_applications:
        return _closed_page(request, campaign)
    query = attribution_query(request)
    if request.method == "POST":
        form = ApplicationForm(campaign, request.POST)
        if form.is_valid():
            # Whether this made a new application is deliberately not passed on: the
            # answer is the same either way (the person is told by e-mail).
            application, _created = do_submit_application(
                campaign, form.cleaned_data, attribution_for(request, campaign)
            )
            token = make_done_token(application)
            done = reverse("candidates:apply-done", args=[campaign.slug])
            return redirect(f"{done}?ref={token}")
    else:
        form = ApplicationForm(campaign)
        if request.method == "GET":
            record_form_start(request, campaign)
    action = reverse("candidates:apply", args=[campaign.slug]) + (f"?{query}" if query else "")
    context = {
        "campaign": campaign,
        "form": form,
        "action": action,
        "microsite_url": campaign.get_absolute_url() + (f"?{query}" if query else ""),
    }
    return render(request, "candidates/apply.html", context)


@require_safe
@never_cache
def apply_done(request, slug: str):
    """The confirmation page, reached by the signed ``?ref=`` token only.

    The same page whether the submit made a new application or found one already there:
    it says the application is complete, where and when we e-mail (in words true of
    every case: a new application, a person recognised by phone and name, a repeat that
    gets no e-mail or at most one a day), and what happens next. It shows no reference
    number (that is in the e-mail, to the person's own address) and not the address
    typed (the URL holds no personal data), so someone who typed another person's
    details learns nothing. A missing,
    tampered or expired token gets a 404 page explaining that the link has expired.
    """
    campaign = _public_campaign_or_404(slug)
    decoded = read_done_token(request.GET.get("ref", ""))
    application = None
    if decoded is not None:
        application = Application.objects.filter(code=decoded[0], campaign=campaign).first()
    if application is None:
        return render(request, "candidates/done_expired.html", {"campaign": campaign}, status=404)
    return render(request, "candidates/done.html", {"campaign": campaign})
