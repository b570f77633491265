"""Template filters for workforce figures: counts, percentages and code names."""

from __future__ import annotations

from django import template

from carerecruit.workforce import codes
from carerecruit.workforce.suppression import SUPPRESSED, WITHHELD

register = template.Library()


@register.filter
def figure(value):
    """A count with thousands separators; "Not known" for None; "<5" as it is."""
    if value is None:
        return "Not known"
    if value == SUPPRESSED:
        return value
    return f"{value:,}"


@register.filter
def percent(value):
    """``Decimal("21.4")`` → "21.4%"; "Not known" for None; "Withheld" when withheld."""
    if value is None:
        return "Not known"
    if value == WITHHELD:
        return "Withheld"
    return f"{value}%"


@register.filter
def contract_type(code):
    """ASC-WDS EMPLSTATUS code → its name."""
    return codes.EMPLSTATUS.get(code, code)


@register.filter
def employer_type(code):
    """ASC-WDS ESTTYPE code → its name."""
    return codes.ESTTYPE.get(code, code)


@register.filter
def main_service(code):
    """ASC-WDS MAINSERVICE code → its name."""
    return codes.MAINSERVICE.get(code, code)
