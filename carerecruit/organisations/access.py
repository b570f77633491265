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


def applications_visible_to(user: User):
    """Applications ``user`` may see: all for regional staff; for a council's recruiters
    and admins, those routed to their council (until routing exists, those where the
    candidate chose the council's area); none for viewers and providers.
    """
    from carerecruit.candidates.models import Application

    if not user.is_authenticated or not user.is_active:
        return Application.objects.none()
    if is_regional_staff(user):
        return Application.objects.all()
    org = user.organisation
    if org is None or user.role == user.Role.VIEWER:
        return Application.objects.none()
    if org.is_council:
        return Application.objects.filter(council_areas=org).distinct()
    return Application.objects.none()
