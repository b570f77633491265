"""Small-number suppression for the campaign dashboards, their downloads and live
panels, and the API's funnel endpoint (issue 5).

The rule and the helpers are the regional dashboard's
(:mod:`carerecruit.workforce.suppression`): outside the organisation that owns a figure,
a count of 1 to 4 people shows as ``"<5"`` and a rate or cost computed from such a count
as ``"withheld"``; zero is shown. Viewers come from
:func:`~carerecruit.workforce.suppression.suppression_viewer` (the API:
``api.authentication.suppression_viewer_for``): regional admins and campaign managers
(and superusers) are :data:`~carerecruit.workforce.suppression.UNRESTRICTED`, everyone
else is their organisation.

Owners:

- a campaign's funnel (every row: totals, previous period, channels, days, weeks,
  tracked links, the last 30 minutes): the organisation running the campaign
  (``Campaign.owner``, usually the regional body); several campaigns together (the
  overview's totals, an audience): all their owners, so only a viewer owning every one
  of them, or an unrestricted one, sees small counts;
- a row of the table by council preference: that council (its area's applicants) and
  the campaign's owner (every one of those applications is in its campaign already, so
  hiding them from it would protect nobody). A council sees its own row exactly and
  every other council's small counts as ``"<5"``; the "no preference given" row
  belongs to the campaign's owner(s) alone.

People counts (:data:`carerecruit.insights.funnel.PEOPLE_STEPS`): applications,
shortlisted, placed, retained at 6 months, and the council rows' applications and
placed. Not suppressed: impressions and platform clicks (ad-platform totals), tracked
clicks, visits and form starts (anonymous, cookieless events: nobody is identified by
them, and a visit is not a person's record), spend. Rates and costs between two of
those stay; any rate or cost with a people count on either side is withheld when that
count is suppressed.
"""

from __future__ import annotations

from collections.abc import Iterable

from carerecruit.insights.funnel import Funnel
from carerecruit.workforce.suppression import UNRESTRICTED, suppress, viewer_owns

__all__ = ["campaign_owners", "suppress_funnel", "suppress_live", "suppress_overview"]


def campaign_owners(campaigns: Iterable) -> set[int]:
    """The organisation ids running ``campaigns`` (``Campaign.owner_id``)."""
    return {campaign.owner_id for campaign in campaigns}


def suppress_funnel(funnel: Funnel, viewer) -> Funnel:
    """Mark every figure of ``funnel`` (built by
    :func:`carerecruit.insights.funnel.build_funnel`) for ``viewer`` and suppress its
    council rows, in place; returns the funnel. ``viewer`` as in
    :func:`carerecruit.workforce.suppression.viewer_owns` (UNRESTRICTED: no change)."""
    if viewer is UNRESTRICTED:
        return funnel
    owners = campaign_owners(funnel.campaigns)
    for counts in (funnel.totals, funnel.dated_totals, funnel.previous):
        counts.suppress_for(viewer, owners)
    for row in (*funnel.channels, *funnel.days, *funnel.weeks, *funnel.links):
        row.counts.suppress_for(viewer, owners)
    by_id = {campaign.pk: campaign for campaign in funnel.campaigns}
    for per_campaign in (funnel.campaign_totals, funnel.campaign_previous):
        for campaign_id, counts in per_campaign.items():
            owner = by_id[campaign_id].owner_id if campaign_id in by_id else None
            counts.suppress_for(viewer, owner)
    if not viewer_owns(viewer, owners):
        for row in funnel.councils:
            owner = row.council_id if row.council_id is not None else owners
            row.applications = suppress(row.applications, viewer_org=viewer, owner_org=owner)
            row.placed = suppress(row.placed, viewer_org=viewer, owner_org=owner)
    return funnel


def suppress_overview(overview, viewer):
    """As :func:`suppress_funnel` for an :class:`carerecruit.insights.overview.Overview`:
    its funnel, each campaign's row (owned by that campaign's owner) and each audience's
    (owned by the owners of its campaigns). In place; returns the overview."""
    if viewer is UNRESTRICTED:
        return overview
    suppress_funnel(overview.funnel, viewer)
    for row in overview.campaign_rows:
        row.counts.suppress_for(viewer, row.campaign.owner_id)
        row.previous.suppress_for(viewer, row.campaign.owner_id)
    for row in overview.audience_rows:
        row.counts.suppress_for(viewer, row.owner_ids)
    return overview


def suppress_live(panel, viewer, campaigns: Iterable):
    """Mark the live panel's buckets and totals (applications among them) for ``viewer``,
    owned by the campaigns' owners. In place; returns the panel."""
    if viewer is UNRESTRICTED:
        return panel
    owners = campaign_owners(campaigns)
    panel.totals.suppress_for(viewer, owners)
    for bucket in panel.buckets:
        bucket.counts.suppress_for(viewer, owners)
    return panel


def hides_campaign_figures(viewer, campaign) -> bool:
    """True when ``viewer`` does not own ``campaign``'s figures (alerts' texts)."""
    return not viewer_owns(viewer, campaign.owner_id)
