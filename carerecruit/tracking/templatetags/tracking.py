"""``{% clicks_waiting_warning %}``: on staff pages that count clicks, a GOV.UK warning
when spooled clicks are not being moved into the database (no worker running)."""

from django import template

from carerecruit.tracking.spool import clicks_waiting

register = template.Library()


@register.inclusion_tag("tracking/_clicks_waiting.html")
def clicks_waiting_warning() -> dict:
    """``{"waiting": bool}`` from :func:`carerecruit.tracking.spool.clicks_waiting`."""
    return {"waiting": clicks_waiting()}
