"""Number formats for dashboards (GOV.UK style: commas in thousands, "66.7%").

A suppressed figure (:mod:`carerecruit.insights.suppression`) arrives as the string
``"<5"`` or ``"withheld"`` and is shown as it is, with a fuller text for screen readers,
as on the regional dashboard.
"""

import html
from decimal import Decimal

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from carerecruit.insights.funnel import format_money

register = template.Library()

# A constant string of our own markup, no data in it.
NOT_AVAILABLE = mark_safe(  # noqa: S308
    '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">not available</span>'
)
# The same words as the regional dashboard (regional/templatetags/regional.py).
SUPPRESSED_TEXT = {
    "<5": ("<5", "fewer than 5"),
    "withheld": ("withheld", "withheld: computed from fewer than 5"),
}


def _suppressed(value: str) -> str:
    """A suppression marker as shown, with its spoken form; any other text escaped."""
    if value in SUPPRESSED_TEXT:
        shown, spoken = SUPPRESSED_TEXT[value]
        return format_html(
            '<span aria-hidden="true">{}</span><span class="govuk-visually-hidden">{}</span>', shown, spoken,
        )
    return escape(value)


@register.filter
def cr_number(value) -> str:
    """An integer with thousands separators: 3245 → "3,245"; "<5" as suppressed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _suppressed(value)
    return f"{int(value):,}"


@register.filter
def cr_percent(value: Decimal | None) -> str:
    """A rate from :func:`carerecruit.insights.funnel.percent` as "66.7%"; a dash with a
    hidden "not available" for screen readers when it is None (nothing to divide by)."""
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, str):
        return _suppressed(value)
    return f"{value}%"


@register.filter
def cr_count(counts, step_key: str) -> int:
    """``counts.count(step_key)`` for templates (Django templates cannot pass arguments)."""
    return counts.count(step_key)


@register.filter
def cr_rate(counts, rate_key: str):
    """``counts.rate(rate_key)`` for templates: a percentage Decimal or None."""
    return counts.rate(rate_key)


@register.filter
def cr_money(pence: int | None) -> str:
    """Pence as "£1,234.56"; a dash with a hidden "not available" when None."""
    if pence is None:
        return NOT_AVAILABLE
    if isinstance(pence, str):
        return _suppressed(pence)
    return format_money(pence)


@register.filter
def cr_cost(counts, cost_key: str):
    """``counts.cost(cost_key)`` for templates: whole pence or None."""
    return counts.cost(cost_key)


@register.filter
def cr_column(counts, column) -> str:
    """A breakdown cell: ``column`` (:class:`carerecruit.insights.tables.Column`) of
    ``counts``, formatted as a count, money or a rate."""
    value = column.value(counts)
    if column.kind == "money":
        return cr_money(value)
    if column.kind == "rate":
        return cr_percent(value)
    return cr_number(value)


@register.filter
def cr_change_value(change, which: str = "current") -> str:
    """One side of a :class:`carerecruit.insights.funnel.Change` formatted by its kind."""
    value = getattr(change, which)
    if change.kind == "money":
        return cr_money(value)
    if change.kind == "rate":
        return cr_percent(value)
    return cr_number(value) if value is not None else NOT_AVAILABLE


@register.filter
def cr_change(change) -> str:
    """The change from the comparison period: "+3 (+50.0%)", "−£2.50 (−10.0%)",
    "+1.5 points" for a rate, "no change"; "not comparable" when either side is missing.
    A true minus sign (U+2212) reads better than a hyphen."""
    difference = change.difference
    if difference is None:
        return "not comparable"
    if difference == 0:
        return "no change"
    sign = "+" if difference > 0 else "\u2212"
    magnitude = abs(difference)
    if change.kind == "money":
        text = f"{sign}{format_money(magnitude)}"
    elif change.kind == "rate":
        text = f"{sign}{magnitude} points"
    else:
        text = f"{sign}{magnitude:,}"
    if change.kind != "rate" and change.percent_change is not None:
        text += f" ({sign}{abs(change.percent_change)}%)"
    return text


@register.filter
def cr_direction(change) -> str:
    """"up", "down" or "same" (for a CSS hook; the text says it in words too)."""
    difference = change.difference
    if not difference:
        return "same"
    return "up" if difference > 0 else "down"


@register.simple_tag
def cr_cells(counts, columns) -> str:
    """A breakdown row's figure cells (``<td data-metric|data-rate=…>``), one per column.

    Built in Python rather than a template include per row: a year of days by fifteen
    columns is over 5,000 cells, which an include and a filter per cell (and Django's
    lazy-aware escaping) render slowly. Column keys are constants of ours; every value
    is a formatted number or the constant "not available" markup, escaped all the same.
    """
    cells = []
    for column in columns:
        value = cr_column(counts, column)
        # Our own markup (not available, a suppression marker) is safe; numbers escaped.
        text = value if isinstance(value, SafeString) else html.escape(value)
        cells.append(
            f'<td class="govuk-table__cell govuk-table__cell--numeric" '
            f'{column.attribute}="{html.escape(column.key)}">{text}</td>'
        )
    return mark_safe("".join(cells))  # noqa: S308 (escaped above)
