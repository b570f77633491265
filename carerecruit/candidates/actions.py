"""Writes over candidates and applications. Views, commands, the API and tests call these;
nothing else writes those models."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from carerecruit.candidates.models import Application, Candidate
from carerecruit.lib.names import fold_name
from carerecruit.tracking.actions import record_application

if TYPE_CHECKING:
    import datetime

    from carerecruit.campaigns.models import Campaign
    from carerecruit.tracking.actions import Attribution

logger = logging.getLogger(__name__)

# A fresh attempt sees the row a concurrent submit committed, so two attempts settle any
# race between two requests; the third covers a rare three-way race.
MAX_ATTEMPTS = 3


def normalise_email(email: str) -> str:
    """The identity key for an e-mail address: trimmed and lower-cased, whole address.

    The design treats e-mail identity as case-insensitive (``Ann.Lee@Example.org`` is
    ``ann.lee@example.org``). Dots and ``+tags`` are left alone: they are meaningful
    on most providers other than Gmail.
    """
    return email.strip().lower()


def application_reference(application: Application) -> str:
    """The reference shown to the candidate: the first 8 hex digits of the application's
    code, upper-case (e.g. ``"3F2A9C01"``). Not a secret and not a lookup key."""
    return application.code.hex[:8].upper()


def do_submit_application(
    campaign: Campaign,
    cleaned_data: dict[str, Any],
    attribution: Attribution | None,
    *,
    now: datetime.datetime | None = None,
    is_simulated: bool = False,
    send_email: bool = True,
) -> tuple[Application, bool]:
    """Record an application to ``campaign``; return ``(application, created)``.

    ``cleaned_data`` has the shapes of :class:`carerecruit.candidates.forms.ApplicationForm`
    (``phone`` already E.164, ``postcode`` canonical, ``job_roles``/``council_areas``
    iterables of model instances). ``attribution`` (None means direct, untracked) gives
    the application's link, channel, UTM values, referrer host and click id. ``now`` is
    the submission time (aware, UTC); ``is_simulated`` and ``send_email`` are for the
    demo's generated activity.

    The person is found by e-mail (case-insensitive), else by phone (E.164), else
    created. An existing application to the same campaign is returned with
    ``created=False`` and nothing changes, no event is recorded and no e-mail is sent;
    the database's one-per-candidate-per-campaign constraint settles concurrent submits
    (a double-clicked button). On a new application the "application" funnel event is
    recorded in the same transaction and the confirmation e-mail is sent after commit.
    """
    now = now or timezone.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                application, created = _submit(
                    campaign, cleaned_data, attribution, now=now, is_simulated=is_simulated
                )
                if created and send_email:
                    # robust: a mail server outage must not turn a saved application
                    # into an error page; the failure is logged instead.
                    transaction.on_commit(
                        lambda pk=application.pk, to=cleaned_data["email"]: (
                            send_confirmation_email(pk, to)
                        ),
                        robust=True,
                    )
                return application, created
        except IntegrityError:
            # Another request created this candidate or application between our lookup
            # and our insert; the next attempt finds its row.
            if attempt == MAX_ATTEMPTS:
                raise
            logger.info("application submit raced on campaign %s; retrying", campaign.pk)
    raise AssertionError("unreachable")


def _find_candidate(email_normalised: str, phone_e164: str) -> Candidate | None:
    # FOR UPDATE (PostgreSQL) queues a second submit by the same person behind the first,
    # so it then sees the first one's application instead of racing it.
    candidates = Candidate.objects.select_for_update()
    return (
        candidates.filter(email_normalised=email_normalised).first()
        or candidates.filter(phone_e164=phone_e164).first()
    )


def _submit(campaign, data, attribution, *, now, is_simulated) -> tuple[Application, bool]:
    email_normalised = normalise_email(data["email"])
    phone = data["phone"]
    consent = bool(data.get("talent_bank_consent"))
    candidate = _find_candidate(email_normalised, phone)
    if candidate is None:
        candidate = Candidate.objects.create(
            full_name=data["full_name"],
            name_folded=fold_name(data["full_name"])[:200],
            email=data["email"].strip(),
            email_normalised=email_normalised,
            phone_e164=phone,
            postcode=data["postcode"],
            talent_bank_consent=consent,
            talent_bank_consent_at=now if consent else None,
            created_at=now,
            last_active_at=now,
            is_simulated=is_simulated,
        )
    else:
        existing = Application.objects.filter(candidate=candidate, campaign=campaign).first()
        if existing is not None:
            return existing, False
        _update_known_candidate(candidate, data, phone, consent, now)

    application = Application.objects.create(
        candidate=candidate,
        campaign=campaign,
        submitted_at=now,
        full_name_given=data["full_name"],
        years_experience=data["years_experience"],
        current_role=data.get("current_role", ""),
        swe_registration=data.get("swe_registration", ""),
        earliest_start=data["earliest_start"],
        hours_wanted=data["hours_wanted"],
        right_to_work=data["right_to_work"],
        is_simulated=is_simulated,
        **(attribution.as_model_fields() if attribution is not None else {}),
    )
    application.job_roles.set(data["job_roles"])
    application.council_areas.set(data.get("council_areas") or [])
    record_application(application, occurred_at=now)
    return application, True


def _update_known_candidate(candidate, data, phone, consent, now) -> None:
    """Refresh a returning person's record from an unauthenticated form, conservatively.

    The form proves nothing about who typed it, so identity and contact details already
    held (name, e-mail, phone) are never overwritten from it: someone who knows a
    person's e-mail must not be able to redirect their messages. A missing phone is
    filled in. The postcode follows the latest application (people move; routing uses
    it). Consent given now is recorded with its time; an unticked box is not a
    withdrawal (withdrawing is its own action).
    """
    fields = ["postcode", "last_active_at", "updated_at"]
    candidate.postcode = data["postcode"]
    candidate.last_active_at = now
    if not candidate.phone_e164 and not Candidate.objects.filter(phone_e164=phone).exists():
        candidate.phone_e164 = phone
        fields.append("phone_e164")
    if consent and not candidate.talent_bank_consent:
        candidate.talent_bank_consent = True
        candidate.talent_bank_consent_at = now
        fields += ["talent_bank_consent", "talent_bank_consent_at"]
    candidate.save(update_fields=fields)


def send_confirmation_email(application_pk: int, to: str | None = None) -> None:
    """Send the confirmation e-mail for one application (plain text and HTML).

    ``to`` is the address typed on the form (default: the candidate's stored address).
    The body uses the name typed on this application, so whoever reads it learns
    nothing they did not type themselves, even when the person was matched by phone.
    No images, no tracking pixels, no tracked links.
    """
    application = (
        Application.objects.select_related("candidate", "campaign").filter(pk=application_pk).first()
    )
    if application is None:  # erased before the mail went out
        return
    context = {
        "application": application,
        "campaign": application.campaign,
        "name": application.full_name_given or application.candidate.full_name,
        "reference": application_reference(application),
        "consent": application.candidate.talent_bank_consent,
        "site_name": settings.CARERECRUIT_SITE_NAME,
        "site_contact_email": settings.CARERECRUIT_CONTACT_EMAIL,
    }
    subject = f"Your application to {application.campaign.name}"
    text = render_to_string("candidates/email/confirmation.txt", context)
    html = render_to_string("candidates/email/confirmation.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[to or application.candidate.email],
        reply_to=[application.campaign.contact_email or settings.CARERECRUIT_CONTACT_EMAIL],
    )
    message.attach_alternative(html, "text/html")
    message.send()
