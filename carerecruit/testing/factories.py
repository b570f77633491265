"""Small builders for test data. Plain functions with keyword overrides, no magic."""

from __future__ import annotations

import datetime

from carerecruit.campaigns.models import Campaign, TrackedLink
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole, Region


def make_campaign(slug: str = "come-back-to-care", **overrides) -> Campaign:
    """A live campaign owned by the regional body, seeking social workers (code 6)."""
    region = Region.objects.get(gss_code="E12000005")
    owner = Organisation.objects.get(kind=Organisation.Kind.REGIONAL_BODY, region=region)
    fields = {
        "region": region,
        "owner": owner,
        "name": "Come Back to Care",
        "slug": slug,
        "hashtag": "#ComeBackToCare",
        "audience": "Former social workers",
        "status": Campaign.Status.LIVE,
        "starts_on": datetime.date(2020, 4, 20),
        "ends_on": datetime.date(2030, 5, 31),
        "headline": "Come back to social work",
        "introduction": "Councils across the region need experienced social workers.",
        "why_join": ["Flexible hours", "Support to return to the register"],
        "faqs": [{"question": "Do I need to be registered?", "answer": "We help you return."}],
        "contact_email": "comeback@example.org",
    }
    fields.update(overrides)
    campaign = Campaign.objects.create(**fields)
    campaign.job_roles.set(JobRole.objects.filter(code__in=[6, 15]))
    return campaign


def make_link(campaign: Campaign, channel: str = "facebook", **overrides) -> TrackedLink:
    """A tracked link on ``channel`` with UTM values derived from the campaign."""
    fields = {
        "campaign": campaign,
        "channel": channel,
        "utm_source": channel,
        "utm_medium": "social",
        "utm_campaign": campaign.slug,
        "label": f"{channel} post",
    }
    fields.update(overrides)
    return TrackedLink.objects.create(**fields)
