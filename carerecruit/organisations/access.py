"""The one access layer: what a staff user may see and change.

Every view, export, search and API response over campaigns or people asks these
functions; no view filters by organisation on its own. Rules follow the "Who may see
what" table in docs/architecture.md:

- regional admins and campaign managers (at the regional body) see and edit everything;
- council recruiters read every campaign's aggregate funnel and only their council's
  applications;
- provider recruiters see their own organisation's records;
- viewers read aggregates only.

Another organisation's record answers 404 (never 403, which would confirm it exists);
a read-only role asking to change something gets 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from carerecruit.campaigns.models import Campaign
    from carerecruit.organisations.models import User


def is_regional_staff(user: User) -> bool:
    """True for the regional body's staff and platform superusers: they see all records."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    org = user.organisation
    return org is not None and org.is_regional_body


def can_manage_campaigns(user: User) -> bool:
    """True for regional admins and campaign managers (create, edit, make links)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return is_regional_staff(user) and user.role in (user.Role.ADMIN, user.Role.CAMPAIGN_MANAGER)


def can_read_campaign_aggregates(user: User) -> bool:
    """Campaign funnels are aggregate data: every active staff member may read them."""
    return bool(user.is_authenticated and user.is_active and (user.organisation_id or user.is_superuser))


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    """Campaigns whose aggregate funnel ``user`` may read (all, for any staff member)."""
    from carerecruit.campaigns.models import Campaign

    if not can_read_campaign_aggregates(user):
        return Campaign.objects.none()
    return Campaign.objects.all()


def get_campaign_for_user(user: User, slug: str, *, edit: bool = False) -> Campaign:
    """Return the campaign ``slug`` if ``user`` may read it (or edit it, with ``edit``).

    Raises Http404 when it does not exist or is not visible; PermissionDenied (403) when
    it is visible but the user may not change it.
    """
    try:
        campaign = campaigns_visible_to(user).get(slug=slug)
    except campaigns_visible_to(user).model.DoesNotExist:
        raise Http404("No such campaign") from None
    if edit and not can_manage_campaigns(user):
        raise PermissionDenied("Your role can read this campaign but not change it.")
    return campaign


def _is_pipeline_reader(user: User) -> bool:
    """Active staff who may see applications at all: everyone but viewers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.organisation_id is not None and user.role != user.Role.VIEWER


def applications_visible_to(user: User):
    """Applications (``candidates.Application``) ``user`` may see.

    - regional staff (admins, campaign managers) and superusers: all;
    - council and provider recruiters and admins: those routed to their organisation
      (``placements.ApplicationRoute``). Councils get routes from
      ``placements.actions.route_application``; a provider gets one when an application
      answers its vacancy (``placements.actions.route_to_organisation`` with reason
      "vacancy", the vacancies app's hook), so until then a provider sees none;
    - viewers (any organisation): none.
    """
    from django.db.models import Exists, OuterRef

    from carerecruit.candidates.models import Application
    from carerecruit.placements.models import ApplicationRoute

    if not _is_pipeline_reader(user):
        return Application.objects.none()
    if is_regional_staff(user):
        return Application.objects.all()
    routed_here = ApplicationRoute.objects.filter(
        application=OuterRef("pk"), organisation_id=user.organisation_id
    )
    return Application.objects.filter(Exists(routed_here))


def routes_visible_to(user: User):
    """Pipeline routes (``placements.ApplicationRoute``) ``user`` may see: all for regional
    staff and superusers; their own organisation's for council and provider recruiters and
    admins; none for viewers. Every applications list, search and export starts here."""
    from carerecruit.placements.models import ApplicationRoute

    if not _is_pipeline_reader(user):
        return ApplicationRoute.objects.none()
    if is_regional_staff(user):
        return ApplicationRoute.objects.all()
    return ApplicationRoute.objects.filter(organisation_id=user.organisation_id)


def can_read_pipeline(user: User) -> bool:
    """True for staff who may open the applications pages (everyone but viewers, who get
    403 there: they read aggregates only)."""
    return _is_pipeline_reader(user)


def can_work_route(user: User, route) -> bool:
    """May ``user`` move, note and assign ``route``? Its organisation's recruiters and
    admins, and the regional body's admins and campaign managers. (Visibility is checked
    separately: this assumes ``route`` came from :func:`routes_visible_to`.)"""
    if not _is_pipeline_reader(user):
        return False
    if user.is_superuser or is_regional_staff(user):
        return True
    return route.organisation_id == user.organisation_id


def can_see_check_details(user: User, route) -> bool:
    """May ``user`` see and record ``route``'s pre-employment check details (DBS
    certificate numbers, right-to-work documents, references), confirm its placement and
    answer its retention checkpoints? Only the owning organisation's recruiters and
    admins, and the regional body's admins: not other councils, campaign managers or
    viewers. Others see each check's status only."""
    if not _is_pipeline_reader(user):
        return False
    if user.is_superuser:
        return True
    if route.organisation_id == user.organisation_id:
        return user.role in (user.Role.RECRUITER, user.Role.ADMIN)
    return is_regional_staff(user) and user.role == user.Role.ADMIN


def can_edit_message_templates(user: User) -> bool:
    """The candidate e-mail templates are the regional admin's (and superusers')."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (is_regional_staff(user) and user.role == user.Role.ADMIN)


def get_route_for_user(user: User, code, *, edit: bool = False):
    """Return the route with public ``code`` (UUID) if ``user`` may see it (or work it,
    with ``edit``), with its application, candidate, campaign and organisation loaded.

    Raises PermissionDenied (403) for viewers asking to change anything (before any
    lookup, so it reveals nothing); Http404 when the route does not exist, ``code`` is
    malformed, or it belongs to another organisation (viewers see none).
    """
    import uuid

    if edit and user.is_authenticated and not user.is_superuser and user.role == user.Role.VIEWER:
        raise PermissionDenied("Your role can read figures but not change applications.")
    try:
        code = uuid.UUID(str(code))
    except ValueError:
        raise Http404("No such application") from None
    route = (
        routes_visible_to(user)
        .select_related(
            "application__candidate", "application__campaign", "application__link",
            "organisation", "owner",
        )
        .filter(code=code)
        .first()
    )
    if route is None:
        raise Http404("No such application")
    if edit and not can_work_route(user, route):
        raise PermissionDenied("Your role cannot change this application.")
    return route


def talent_bank_visible_to(user: User, *, identities: bool = True):
    """Talent-bank candidates (``candidates.Candidate``, consent given) ``user`` may see.

    Talent bank rules ("Who may see what"): regional staff, council and provider staff
    search every consenting candidate; viewers see counts only. So with
    ``identities=True`` (names, contact details, search hits, exports) viewers get none;
    with ``identities=False`` (counting only) every active staff member gets the whole
    consenting set. Candidates who have not consented (or withdrew) are never included,
    for anyone: ``Candidate.talent_bank_consent`` is the authority.
    """
    from carerecruit.candidates.models import Candidate

    if not user.is_authenticated or not user.is_active:
        return Candidate.objects.none()
    if not (user.is_superuser or user.organisation_id):
        return Candidate.objects.none()
    if identities and not user.is_superuser and user.role == user.Role.VIEWER:
        return Candidate.objects.none()
    return Candidate.objects.filter(talent_bank_consent=True)


def vacancies_visible_to(user: User):
    """Vacancies (``vacancies.Vacancy``, any status) ``user`` may read in the staff area:
    all for regional staff; their own organisation's for council and provider staff
    (viewers included, read only); none otherwise."""
    from carerecruit.vacancies.models import Vacancy

    if not user.is_authenticated or not user.is_active:
        return Vacancy.objects.none()
    if is_regional_staff(user):
        return Vacancy.objects.all()
    if user.organisation_id is None:
        return Vacancy.objects.none()
    return Vacancy.objects.filter(organisation_id=user.organisation_id)


def get_vacancy_for_user(user: User, code: str, *, edit: bool = False):
    """Return the vacancy with public ``code`` if ``user`` may read it (or change it:
    edit, open, close, invite and shortlist, with ``edit``).

    Changing is for recruiters and admins of the owning organisation, and the regional
    body's admins and campaign managers. Raises Http404 when the vacancy does not exist
    or belongs to another organisation; PermissionDenied (403) when it is visible but
    the user's role is read-only.
    """
    vacancy = (
        vacancies_visible_to(user)
        .select_related("organisation", "organisation__region", "job_role", "council_area", "campaign")
        .filter(code=code)
        .first()
    )
    if vacancy is None:
        raise Http404("No such vacancy")
    if edit:
        if user.is_superuser:
            return vacancy
        editors = (
            (user.Role.ADMIN, user.Role.CAMPAIGN_MANAGER)
            if is_regional_staff(user)
            else (user.Role.ADMIN, user.Role.RECRUITER)
        )
        if user.role not in editors:
            raise PermissionDenied("Your role can read this vacancy but not change it.")
    return vacancy


# --- Workforce returns (ASC-WDS uploads) ------------------------------------------------


def _is_workforce_reader(user: User) -> bool:
    """Active staff who may open workforce returns: everyone but viewers (who read
    workforce aggregates only, in the dashboards)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.organisation_id is not None and user.role != user.Role.VIEWER


def can_read_workforce_returns(user: User) -> bool:
    """May ``user`` open the workforce returns pages at all? Viewers get 403 there."""
    return _is_workforce_reader(user)


def workforce_returns_visible_to(user: User):
    """Workforce returns (``workforce.WorkforceReturn``, current and replaced) ``user``
    may open: all for regional staff and superusers; their own organisation's for
    council and provider recruiters and admins; none for viewers."""
    from carerecruit.workforce.models import WorkforceReturn

    if not _is_workforce_reader(user):
        return WorkforceReturn.objects.none()
    if is_regional_staff(user):
        return WorkforceReturn.objects.all()
    return WorkforceReturn.objects.filter(organisation_id=user.organisation_id)


def get_workforce_return_for_user(user: User, code):
    """Return the workforce return with public ``code`` (UUID) if ``user`` may open it.

    Raises PermissionDenied (403) for viewers, before any lookup; Http404 when the code
    is malformed, the return does not exist or belongs to another organisation.
    """
    import uuid

    if not _is_workforce_reader(user):
        raise PermissionDenied("Your role can read workforce figures but not organisations' returns.")
    try:
        code = uuid.UUID(str(code))
    except ValueError:
        raise Http404("No such workforce return") from None
    found = (
        workforce_returns_visible_to(user)
        .select_related("organisation", "council", "uploaded_by", "replaced_by")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404("No such workforce return")
    return found


def workforce_upload_organisations(user: User):
    """Organisations ``user`` may upload ASC-WDS returns for: any active council or
    provider for the regional body's admins and superusers; their own organisation for
    council and provider recruiters and admins; none for anyone else (viewers, campaign
    managers)."""
    from carerecruit.organisations.models import Organisation

    employers = Organisation.objects.filter(
        is_active=True, kind__in=[Organisation.Kind.COUNCIL, Organisation.Kind.PROVIDER],
    )
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser or (is_regional_staff(user) and user.role == user.Role.ADMIN):
        return employers
    if user.organisation_id is None or user.role not in (user.Role.ADMIN, user.Role.RECRUITER):
        return Organisation.objects.none()
    return employers.filter(pk=user.organisation_id)


def can_upload_workforce_return(user: User, organisation=None) -> bool:
    """May ``user`` upload a return for ``organisation`` (for any, when None)?"""
    allowed = workforce_upload_organisations(user)
    if organisation is None:
        return allowed.exists()
    return allowed.filter(pk=organisation.pk).exists()
