"""Filters for the staff home page: which sections a user is offered. The views behind
the links check again; these only avoid offering a link that would answer 403."""

from django import template

register = template.Library()


@register.filter
def can_read_regional_figures(user) -> bool:
    """Any active staff user with an organisation (the regional dashboard and forecasts
    show aggregates, suppressed outside their owner)."""
    return bool(user.is_authenticated and user.is_active and user.organisation_id)


@register.filter
def can_read_weekly_reports(user) -> bool:
    from carerecruit.reports.views import can_read_reports

    return can_read_reports(user)


@register.filter
def can_manage_api_tokens(user) -> bool:
    from carerecruit.api.access import can_manage_api_tokens as allowed

    return allowed(user)
