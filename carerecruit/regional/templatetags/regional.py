"""Showing a dataset value by its column kind (see :class:`carerecruit.regional.datasets.Column`)."""

import datetime
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from carerecruit.insights.funnel import format_money

register = template.Library()

# Constant markup of our own, no data in it.
NOT_AVAILABLE = mark_safe(  # noqa: S308
    '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">not available</span>'
)
SUPPRESSED_TEXT = {
    "<5": ("<5", "fewer than 5"),
    "withheld": ("withheld", "withheld: computed from fewer than 5"),
}


@register.filter
def cell(row: dict, key: str):
    """``row[key]`` for templates."""
    return row.get(key)


@register.simple_tag
def show_value(value, kind: str):
    """A value as people read it: counts with thousands commas, rates as "21.4%", pence
    as "£300.00", days as "9.5 days", dates as "1 April 2026"; a suppressed value as
    shown (with a fuller text for screen readers); None as a dash ("not available")."""
    if value is None or value == "":
        return NOT_AVAILABLE
    if isinstance(value, str):
        if value in SUPPRESSED_TEXT:
            shown, spoken = SUPPRESSED_TEXT[value]
            return format_html('<span aria-hidden="true">{}</span><span class="govuk-visually-hidden">{}</span>', shown, spoken)
        return value
    if kind == "count" and isinstance(value, int):
        return f"{value:,}"
    if kind == "rate":
        return f"{value}%"
    if kind == "pence":
        return format_money(int(value))
    if kind == "days":
        return f"{value} days" if value != 1 else "1 day"
    if kind == "date" and isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, Decimal):
        return f"{value}"
    return str(value)


@register.filter
def is_numeric(kind: str) -> bool:
    return kind in ("count", "rate", "pence", "days", "number")
