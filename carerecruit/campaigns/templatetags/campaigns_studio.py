"""Template helpers for linking to the campaign studio."""

from django import template

from carerecruit.organisations.access import can_manage_campaigns as _can_manage_campaigns

register = template.Library()


@register.filter
def can_manage_campaigns(user) -> bool:
    """``{% if user|can_manage_campaigns %}``: the access layer's rule, for templates."""
    return _can_manage_campaigns(user)
