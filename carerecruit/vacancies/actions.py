"""Writes over vacancies, their applicants, shortlists and invitations.

Views, commands and tests call these; nothing else writes the vacancies models.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from carerecruit.campaigns.models import Campaign
from carerecruit.candidates.actions import do_submit_application
from carerecruit.lib.localtime import local_today
from carerecruit.organisations.models import Organisation
from carerecruit.talentbank.geo import postcode_point
from carerecruit.vacancies.models import (
    Shortlist,
    Vacancy,
    VacancyApplication,
    VacancyInvitation,
    new_vacancy_code,
)

if TYPE_CHECKING:
    from carerecruit.candidates.models import Application, Candidate
    from carerecruit.organisations.models import User
    from carerecruit.reference.models import Region
    from carerecruit.tracking.actions import Attribution

logger = logging.getLogger(__name__)


class VacancyStateError(ValueError):
    """A vacancy cannot make this change (e.g. open with a closing date in the past);
    ``str()`` is a message fit to show staff."""


def standing_campaign(region: Region) -> Campaign:
    """The region's standing vacancies campaign, created on first use.

    Every application belongs to a campaign (``candidates.Application.campaign``), and
    a campaign's funnel is how the region judges what works. A vacancy posted without a
    campaign counts its visits, form starts and applications here: slug
    ``<region slug>-vacancies``, owned by the regional body, live, no end date. Its own
    microsite is a general expression of interest, which is what it is.
    """
    owner = Organisation.objects.filter(region=region, kind=Organisation.Kind.REGIONAL_BODY).order_by("pk").first()
    if owner is None:
        raise ValueError(f"Region {region} has no regional body to own its vacancies campaign")
    campaign, _ = Campaign.objects.get_or_create(
        slug=f"{region.slug}-vacancies",
        defaults={
            "region": region,
            "owner": owner,
            "name": f"Care jobs in the {region.name}",
            "audience": "Anyone applying for a care or social work vacancy in the region",
            "status": Campaign.Status.LIVE,
            "headline": f"Care and social work jobs across the {region.name}",
            "introduction": (
                "Councils and care providers across the region post their vacancies here. "
                "Apply for a vacancy, or apply here to be considered for jobs near you."
            ),
        },
    )
    return campaign


def locate_vacancy(postcode: str, council_area: Organisation) -> tuple[float | None, float | None]:
    """The vacancy's point for matching (WGS84 degrees): its postcode's (ONSPD), else
    the council area's centroid, else (None, None)."""
    point = postcode_point(postcode)
    if point is not None:
        return point.latitude, point.longitude
    if council_area.latitude is not None and council_area.longitude is not None:
        return float(council_area.latitude), float(council_area.longitude)
    return None, None


# The same person saving the same new vacancy again within this time is a double click.
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(seconds=10)


def do_create_vacancy(
    organisation: Organisation, fields: dict[str, Any], *, campaign: Campaign | None,
    created_by: User | None, now: datetime.datetime | None = None,
) -> Vacancy:
    """Create a draft vacancy for ``organisation`` (a council or provider).

    ``fields`` has ``Vacancy`` field values (see ``VacancyForm.vacancy_fields``).
    ``campaign`` None means the region's standing campaign (:func:`standing_campaign`).
    Raises ValueError when ``organisation`` is not a council or provider. Retries on the
    (astronomically unlikely) code collision. The same person creating the same vacancy
    again within :data:`DOUBLE_SUBMIT_WINDOW` (a double click) gets the first draft back.
    """
    if organisation.kind not in (Organisation.Kind.COUNCIL, Organisation.Kind.PROVIDER):
        raise ValueError("Only councils and care providers post vacancies")
    now = now or timezone.now()
    latitude, longitude = locate_vacancy(fields["postcode"], fields["council_area"])
    campaign = campaign or standing_campaign(organisation.region)
    for _attempt in range(5):
        code = new_vacancy_code()
        try:
            with transaction.atomic():
                # A double-clicked "Save" (same person, same vacancy, within seconds)
                # gives the first draft back; the organisation's row lock orders the two.
                Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
                repeat = Vacancy.objects.filter(
                    organisation=organisation, campaign=campaign, created_by=created_by,
                    created_at__gte=now - DOUBLE_SUBMIT_WINDOW, **fields,
                ).order_by("-created_at").first() if created_by is not None else None
                if repeat is not None:
                    return repeat
                return Vacancy.objects.create(
                    code=code,
                    organisation=organisation,
                    campaign=campaign,
                    latitude=latitude,
                    longitude=longitude,
                    created_by=created_by,
                    created_at=now,
                    **fields,
                )
        except IntegrityError:
            if not Vacancy.objects.filter(code=code).exists():
                raise  # another rule was broken, not a code collision
            continue
    raise RuntimeError("Could not allocate a unique vacancy code after 5 tries")


def do_update_vacancy(vacancy: Vacancy, fields: dict[str, Any], *, campaign: Campaign | None) -> Vacancy:
    """Change a vacancy's details (any status). ``campaign`` None keeps the region's
    standing campaign. The location is worked out again from the postcode."""
    for name, value in fields.items():
        setattr(vacancy, name, value)
    vacancy.campaign = campaign or standing_campaign(vacancy.organisation.region)
    vacancy.latitude, vacancy.longitude = locate_vacancy(vacancy.postcode, vacancy.council_area)
    vacancy.save()
    return vacancy


def do_open_vacancy(vacancy: Vacancy, *, now: datetime.datetime | None = None) -> Vacancy:
    """Publish a draft or reopen a closed vacancy. ``published_at`` keeps the first
    opening (JobPosting ``datePosted``). Raises VacancyStateError when the closing date
    has passed (change it first) or it is already open."""
    now = now or timezone.now()
    if vacancy.status == Vacancy.Status.OPEN:
        raise VacancyStateError("This vacancy is already open")
    if vacancy.closing_date < local_today():
        raise VacancyStateError("The closing date has passed: change it before opening the vacancy")
    vacancy.status = Vacancy.Status.OPEN
    vacancy.published_at = vacancy.published_at or now
    vacancy.closed_at = None
    vacancy.save(update_fields=["status", "published_at", "closed_at", "updated_at"])
    return vacancy


def do_close_vacancy(vacancy: Vacancy, *, now: datetime.datetime | None = None) -> Vacancy:
    """Close a vacancy: its public page answers 410 Gone with no JobPosting markup.
    Raises VacancyStateError unless it is open."""
    if vacancy.status != Vacancy.Status.OPEN:
        raise VacancyStateError("Only an open vacancy can be closed")
    vacancy.status = Vacancy.Status.CLOSED
    vacancy.closed_at = now or timezone.now()
    vacancy.save(update_fields=["status", "closed_at", "updated_at"])
    return vacancy


def do_apply_to_vacancy(
    vacancy: Vacancy, cleaned_data: dict[str, Any], attribution: Attribution | None
) -> tuple[Application, bool]:
    """Submit an application through ``vacancy``'s apply page; return
    ``(application, created)`` as :func:`do_submit_application` does.

    The application goes to the vacancy's campaign (one per person per campaign); it is
    linked to the vacancy with a :class:`VacancyApplication`, also when the person had
    already applied to that campaign (through another vacancy or its microsite), and
    routed to the vacancy's organisation (``placements.actions.route_to_organisation``,
    reason "vacancy"), so that organisation works it in its pipeline even when it is a
    provider, or a council the person did not choose.
    """
    from carerecruit.placements.actions import route_to_organisation

    with transaction.atomic():
        application, created = do_submit_application(vacancy.campaign, cleaned_data, attribution)
        VacancyApplication.objects.get_or_create(vacancy=vacancy, application=application)
        route_to_organisation(application, vacancy.organisation, reason="vacancy")
    return application, created


def do_shortlist_candidate(vacancy: Vacancy, candidate: Candidate, *, user: User | None) -> bool:
    """Put ``candidate`` on ``vacancy``'s shortlist; False if they were already on it."""
    try:
        with transaction.atomic():
            Shortlist.objects.create(vacancy=vacancy, candidate=candidate, added_by=user)
    except IntegrityError:
        return False
    return True


def do_remove_from_shortlist(vacancy: Vacancy, candidate: Candidate) -> bool:
    """Take ``candidate`` off ``vacancy``'s shortlist; False if they were not on it."""
    deleted, _ = Shortlist.objects.filter(vacancy=vacancy, candidate=candidate).delete()
    return bool(deleted)


def do_invite_candidate(
    vacancy: Vacancy, candidate: Candidate, *, user: User | None, vacancy_url: str
) -> tuple[VacancyInvitation, bool]:
    """Invite a talent-bank candidate to apply for ``vacancy``: return ``(invitation,
    created)``.

    One invitation per vacancy per candidate, ever (database-enforced): a second call
    returns the first with ``created=False`` and sends nothing. The e-mail (plain text,
    the vacancy's absolute ``vacancy_url``, no tracking) goes after commit; ``sent_at``
    records when the mail server took it. Raises VacancyStateError when the vacancy is
    not taking applications, ValueError when the candidate has not consented to the
    talent bank.
    """
    if not vacancy.is_public():
        raise VacancyStateError("You can only invite people to apply for an open vacancy")
    if not candidate.talent_bank_consent:
        raise ValueError("This person is not in the talent bank")
    try:
        with transaction.atomic():
            invitation = VacancyInvitation.objects.create(vacancy=vacancy, candidate=candidate, invited_by=user)
            transaction.on_commit(
                lambda pk=invitation.pk: send_invitation_email(pk, vacancy_url), robust=True
            )
    except IntegrityError:
        return VacancyInvitation.objects.get(vacancy=vacancy, candidate=candidate), False
    return invitation, True


def send_invitation_email(invitation_pk: int, vacancy_url: str) -> None:
    """Send one invitation e-mail and record ``sent_at``. A mail failure is logged by
    the caller's ``robust`` on-commit hook; the invitation stays unsent."""
    invitation = (
        VacancyInvitation.objects.select_related("vacancy", "vacancy__organisation", "candidate")
        .filter(pk=invitation_pk).first()
    )
    if invitation is None or invitation.sent_at is not None:
        return
    vacancy = invitation.vacancy
    context = {
        "name": invitation.candidate.full_name,
        "vacancy": vacancy,
        "organisation": vacancy.organisation,
        "vacancy_url": vacancy_url,
        "site_name": settings.CARERECRUIT_SITE_NAME,
        "site_contact_email": settings.CARERECRUIT_CONTACT_EMAIL,
    }
    subject = f"{vacancy.organisation.short_name} invites you to apply: {vacancy.title}"
    EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string("vacancies/email/invitation.txt", context),
        to=[invitation.candidate.email],
        reply_to=[settings.CARERECRUIT_CONTACT_EMAIL],
    ).send()
    VacancyInvitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
