"""Writes for campaigns and tracked links."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from carerecruit.campaigns.models import DEFAULT_UTM_MEDIUM, Campaign, TrackedLink, new_link_code
from carerecruit.lib import utm


def do_create_tracked_link(
    campaign: Campaign, *, channel: str, label: str, created_by=None, utm_source: str = "",
    utm_medium: str = "", utm_campaign: str = "", utm_content: str = "", utm_term: str = "",
    destination_path: str = "",
) -> TrackedLink:
    """Create a tracked link with a fresh unguessable code and normalised UTM values.

    Blank ``utm_source`` becomes the channel, blank ``utm_medium`` the channel's usual
    medium, blank ``utm_campaign`` the campaign slug. Retries on the (astronomically
    unlikely) code collision. Returns the saved link.
    """
    fields = utm.normalise_utm(
        {
            "utm_source": utm_source or channel,
            "utm_medium": utm_medium or DEFAULT_UTM_MEDIUM.get(channel, "referral"),
            "utm_campaign": utm_campaign or campaign.slug,
            "utm_content": utm_content,
            "utm_term": utm_term,
        }
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return TrackedLink.objects.create(
                    campaign=campaign, code=new_link_code(), channel=channel, label=label.strip(),
                    destination_path=destination_path, created_by=created_by, **fields,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not allocate a unique tracked-link code after 5 tries")
