"""Template helpers for staff pages that link to the candidates app's staff tools."""

from django import template

from carerecruit.organisations.access import can_manage_campaigns

register = template.Library()


@register.filter
def can_import_applications(user) -> bool:
    """True when ``user`` may upload lists of expressions of interest (regional admins
    and campaign managers)."""
    return can_manage_campaigns(user)
