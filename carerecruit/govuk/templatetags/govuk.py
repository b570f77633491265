"""Template tags for GOV.UK components that sit outside a single field."""

from django import template

register = template.Library()


@register.inclusion_tag("govuk/includes/error_summary.html")
def govuk_error_summary(form):
    """The GOV.UK error summary for ``form``: every error, each linking to its field."""
    return {"form": form}
