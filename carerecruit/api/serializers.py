"""Response shapes of the API (for rendering and for the OpenAPI document).

Counts that may be suppressed are :class:`SuppressibleCount` (an integer, or ``"<5"``);
rates that may be withheld are :class:`SuppressibleRate` (a percentage with one decimal
place, or ``"withheld"``); both may be null where a figure is not known.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from carerecruit.workforce.suppression import SUPPRESSED, WITHHELD

COUNT_SCHEMA = {
    "oneOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "enum": [SUPPRESSED], "description": "A count of 1 to 4 outside its owner."},
    ],
}
RATE_SCHEMA = {
    "oneOf": [
        {"type": "number", "description": "Percentage, one decimal place."},
        {"type": "string", "enum": [WITHHELD], "description": "Computed from a count of 1 to 4 outside its owner."},
    ],
}


@extend_schema_field({**COUNT_SCHEMA, "nullable": True})
class SuppressibleCount(serializers.Field):
    """An integer count, ``"<5"``, or null (not known). Passed through as computed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value


@extend_schema_field({**RATE_SCHEMA, "nullable": True})
class SuppressibleRate(serializers.Field):
    """A percentage (number), ``"withheld"``, or null (cannot be computed)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        if value is None or isinstance(value, str):
            return value
        return float(value)


class ErrorSerializer(serializers.Serializer):
    """Every error body (:mod:`carerecruit.api.errors`)."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(
        help_text="invalid_parameter, not_authenticated, forbidden, not_found, method_not_allowed, rate_limited"
    )
    message = serializers.CharField(help_text="What went wrong, in plain English.")
    parameters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="400 only: each bad query parameter and what is wrong with it.",
    )


class JobRoleSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="ASC-WDS main job role code.")
    name = serializers.CharField()


class CampaignSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["draft", "live", "closed"],
        help_text="As stored by staff: a live campaign past its end date stays live (see accepting_applications).",
    )
    accepting_applications = serializers.BooleanField(
        help_text=(
            "Whether the microsite takes applications now: live and its end date (a local date) "
            "not passed (Campaign.takes_applications)."
        ),
    )
    audience = serializers.CharField()
    starts_on = serializers.DateField(allow_null=True, help_text="Local date (Europe/London).")
    ends_on = serializers.DateField(allow_null=True, help_text="Local date (Europe/London).")
    owner = serializers.CharField(help_text="The organisation running the campaign.")
    job_roles = JobRoleSerializer(many=True)
    partner_councils = serializers.ListField(
        child=serializers.CharField(), help_text="GSS codes of the councils taking part."
    )
    microsite_url = serializers.CharField()
    funnel_url = serializers.CharField()


class FunnelCountsSerializer(serializers.Serializer):
    impressions = serializers.IntegerField(help_text="Ad-platform impressions.")
    platform_clicks = serializers.IntegerField(help_text="Clicks counted by the ad platforms.")
    clicks = serializers.IntegerField(help_text="Tracked-link clicks (bots left out).")
    visits = serializers.IntegerField(help_text="Microsite visits (one per visitor per local day).")
    form_starts = serializers.IntegerField(help_text="Application forms started (anonymous events: never suppressed).")
    # Counts of people: "<5" for 1 to 4 outside the campaign's owner (as the regional
    # endpoints; carerecruit.insights.suppression).
    applications = SuppressibleCount(help_text='Applications submitted; "<5" for 1 to 4 outside the campaign\'s owner.')
    shortlisted = SuppressibleCount(help_text='Applications shortlisted; "<5" for 1 to 4 outside the campaign\'s owner.')
    placed = SuppressibleCount(help_text='Applications placed; "<5" for 1 to 4 outside the campaign\'s owner.')
    retained_6m = SuppressibleCount(
        help_text='Placed people still in post at 6 months; "<5" for 1 to 4 outside the campaign\'s owner.',
    )
    spend_pence = serializers.IntegerField(help_text="Ad spend in GBP pence.")


class FunnelPeriodSerializer(FunnelCountsSerializer):
    period = serializers.CharField(help_text="A local date (2020-04-01) or an ISO week (2020-W14).")
    start = serializers.DateField(help_text="First local date counted in this row.")
    end = serializers.DateField(help_text="Last local date counted in this row.")


class FunnelChannelSerializer(FunnelCountsSerializer):
    channel = serializers.CharField(help_text='Channel value, e.g. "facebook"; "" for ad figures mapped to no channel.')
    label = serializers.CharField()


class FunnelSerializer(serializers.Serializer):
    campaign = serializers.CharField(help_text="The campaign's slug.")
    start = serializers.DateField()
    end = serializers.DateField()
    granularity = serializers.ChoiceField(choices=["day", "week"])
    currency = serializers.CharField(help_text="Always GBP; spend in other currencies is left out.")
    steps = serializers.ListField(child=serializers.CharField(), help_text="The funnel's steps, in order.")
    totals = FunnelCountsSerializer(help_text="The period's figures (ad period totals lying inside it included).")
    periods = FunnelPeriodSerializer(many=True, help_text="One row per local day or ISO week, every one listed.")
    channels = FunnelChannelSerializer(many=True)


class VacancySerializer(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.CharField(help_text="The public page, with schema.org JobPosting markup.")
    title = serializers.CharField()
    employer = serializers.CharField()
    council_gss = serializers.CharField(help_text="ONS GSS code of the council area.")
    council_name = serializers.CharField()
    job_role_code = serializers.IntegerField(help_text="ASC-WDS main job role code.")
    job_role_name = serializers.CharField()
    contract_type_code = serializers.IntegerField(help_text="ASC-WDS EMPLSTATUS code.")
    contract_type = serializers.CharField()
    hours_per_week = serializers.FloatField()
    pay_min_pence = serializers.IntegerField()
    pay_max_pence = serializers.IntegerField(allow_null=True)
    pay_unit = serializers.ChoiceField(choices=["HOUR", "DAY", "WEEK", "MONTH", "YEAR"])
    town = serializers.CharField()
    postcode = serializers.CharField(help_text="The workplace's postcode, as on the public page.")
    number_of_posts = serializers.IntegerField()
    published_on = serializers.DateField(allow_null=True, help_text="Local date first opened.")
    closing_date = serializers.DateField(help_text="Local date; applications close at its end.")
    starts_on = serializers.DateField(allow_null=True)


def _retention_fields(months: int) -> dict:
    """The four retention fields of one checkpoint (3, 6 or 12 months)."""
    return {
        f"retention_{months}m_due": SuppressibleCount(help_text=f"{months}-month checkpoints due by today."),
        f"retention_{months}m_in_post": SuppressibleCount(help_text=f"{months}-month answers: still in post."),
        f"retention_{months}m_left": SuppressibleCount(help_text=f"{months}-month answers: left."),
        f"retention_{months}m_rate": SuppressibleRate(
            help_text=f"Percentage still in post at {months} months, of those answered in post or left."
        ),
    }


PlacementAggregateSerializer = type("PlacementAggregateSerializer", (serializers.Serializer,), {
    "__module__": __name__,
    "__doc__": "One council × month of start × job role (carerecruit.api.aggregates).",
    "council_gss": serializers.CharField(help_text="ONS GSS code of the placing council."),
    "council_name": serializers.CharField(),
    "month": serializers.CharField(help_text="Month of the start dates, YYYY-MM (local dates)."),
    "job_role_code": serializers.IntegerField(),
    "job_role_name": serializers.CharField(),
    "placements": SuppressibleCount(help_text="Placements starting in the month."),
    **_retention_fields(3),
    **_retention_fields(6),
    **_retention_fields(12),
})


class WorkforceSerializer(serializers.Serializer):
    council_gss = serializers.CharField()
    council_name = serializers.CharField()
    job_role_code = serializers.IntegerField()
    job_role_name = serializers.CharField()
    as_at = serializers.DateField(allow_null=True, help_text="Newest as-at date of the returns counted.")
    workplaces = serializers.IntegerField(help_text="Workplaces contributing (not people: never suppressed).")
    filled_posts = SuppressibleCount()
    directly_employed = SuppressibleCount()
    permanent = SuppressibleCount()
    temporary = SuppressibleCount()
    pool_bank = SuppressibleCount()
    agency = SuppressibleCount()
    other_contract = SuppressibleCount()
    starters = SuppressibleCount()
    leavers = SuppressibleCount()
    vacancies = SuppressibleCount()
    vacancy_rate = SuppressibleRate(help_text="Skills for Care vacancy rate, percent.")
    turnover_rate = SuppressibleRate(help_text="Skills for Care turnover rate, percent.")


def paginated(serializer_class: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The page envelope of a list of ``serializer_class`` rows, for the OpenAPI
    document (:class:`carerecruit.api.pagination.ApiPagination` makes it)."""
    name = serializer_class.__name__.removesuffix("Serializer")
    return type(f"Paginated{name}ListSerializer", (serializers.Serializer,), {
        "count": serializers.IntegerField(help_text="Rows on every page together."),
        "next": serializers.URLField(allow_null=True, help_text="The next page, null on the last."),
        "previous": serializers.URLField(allow_null=True, help_text="The previous page, null on the first."),
        "results": serializer_class(many=True),
        "__module__": __name__,
    })
