"""Number formats for dashboards (GOV.UK style: commas in thousands, "66.7%")."""

from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# A constant string of our own markup, no data in it.
NOT_AVAILABLE = mark_safe(  # noqa: S308
    '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">not available</span>'
)


@register.filter
def cr_number(value) -> str:
    """An integer with thousands separators: 3245 → "3,245"."""
    if value is None:
        return ""
    return f"{int(value):,}"


@register.filter
def cr_percent(value: Decimal | None) -> str:
    """A rate from :func:`carerecruit.insights.funnel.percent` as "66.7%"; a dash with a
    hidden "not available" for screen readers when it is None (nothing to divide by)."""
    if value is None:
        return NOT_AVAILABLE
    return f"{value}%"


@register.filter
def cr_count(counts, step_key: str) -> int:
    """``counts.count(step_key)`` for templates (Django templates cannot pass arguments)."""
    return counts.count(step_key)


@register.filter
def cr_rate(counts, rate_key: str):
    """``counts.rate(rate_key)`` for templates: a percentage Decimal or None."""
    return counts.rate(rate_key)
