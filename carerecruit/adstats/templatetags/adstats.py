"""Template filters for ad-platform figures: money, counts, and who may manage them."""

from django import template

from carerecruit.adstats.formatting import format_count, format_money
from carerecruit.organisations.access import can_manage_campaigns

register = template.Library()


@register.filter
def money(minor_units, currency):
    """``{{ 36481|money:"GBP" }}`` → £364.81 ("" for None)."""
    return format_money(minor_units, currency)


@register.filter
def count(value):
    """``{{ 89163|count }}`` → 89,163; None → "not reported"."""
    return format_count(value)


@register.filter
def can_manage_ads(user) -> bool:
    """True when ``user`` may import ad figures (regional admins, campaign managers)."""
    return can_manage_campaigns(user)
