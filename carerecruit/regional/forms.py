"""The dashboard's filters: a GET form (changing the view writes nothing)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings

from carerecruit.govuk.forms import GovukDateField
from carerecruit.lib.localtime import local_today
from carerecruit.regional.datasets import Filters

#: The longest period one request may ask for (ten years of monthly rows is plenty).
MAX_PERIOD_DAYS = 3660


def _council_choices():
    from carerecruit.organisations.models import Organisation

    councils = Organisation.objects.filter(
        kind=Organisation.Kind.COUNCIL, region__gss_code=settings.CARERECRUIT_REGION_CODE,
    ).order_by("short_name")
    # Keyed by GSS code, as the forecast page and the API are, so addresses can be shared.
    return [("", "All councils")] + [(c.gss_code, c.short_name) for c in councils]


def _role_choices():
    from carerecruit.reference.models import JobRole

    return [("", "All job roles")] + [
        (str(code), name) for code, name in JobRole.objects.order_by("name").values_list("code", "name")
    ]


def _council_id(gss_code: str) -> int:
    from carerecruit.organisations.models import Organisation

    return Organisation.objects.values_list("pk", flat=True).get(gss_code=gss_code)


class FilterForm(forms.Form):
    """Period (local dates, Europe/London; either end may be left blank for "open"),
    council (ONS GSS code) and job role (ASC-WDS main job role code).

    ``cleaned_data["filters"]`` is a :class:`~carerecruit.regional.datasets.Filters`.
    """

    start = GovukDateField(label="From", label_lower="start date", required=False,
                           help_text="For example, 1 4 2026. Leave blank for no start.")
    end = GovukDateField(label="To", label_lower="end date", required=False,
                         help_text="For example, 30 4 2026. Leave blank for up to today.")
    council = forms.ChoiceField(label="Council", required=False, choices=())
    job_role = forms.ChoiceField(label="Job role", required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = _council_choices()
        self.fields["job_role"].choices = _role_choices()
        self.fields["council"].error_messages["invalid_choice"] = "Choose a council from the list"
        self.fields["job_role"].error_messages["invalid_choice"] = "Choose a job role from the list"

    def clean(self):
        cleaned = super().clean()
        # A shared address with a filter twice (?council=A&council=B) would otherwise show
        # the last one without a word, while the API refuses it.
        for name, what in (("council", "council"), ("job_role", "job role")):
            if hasattr(self.data, "getlist") and len(self.data.getlist(name)) > 1:
                self.add_error(name, f"Choose one {what}, not several")
        if self.errors:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
            return cleaned
        if start and ((end or local_today()) - start).days + 1 > MAX_PERIOD_DAYS:
            self.add_error("end" if end else "start", "The period must be 10 years or shorter")
            return cleaned
        council, role = cleaned.get("council"), cleaned.get("job_role")
        cleaned["filters"] = Filters(
            start=start, end=end, council_id=_council_id(council) if council else None,
            job_role_code=int(role) if role else None,
        )
        return cleaned


def filters_query(filters: Filters) -> str:
    """The query string (without ``?``) that asks :class:`FilterForm` for ``filters``."""
    params: dict[str, object] = {}
    for name, day in (("start", filters.start), ("end", filters.end)):
        if day:
            params[f"{name}_0"], params[f"{name}_1"], params[f"{name}_2"] = day.day, day.month, day.year
    if filters.council_id is not None:
        from carerecruit.organisations.models import Organisation

        params["council"] = Organisation.objects.values_list("gss_code", flat=True).get(pk=filters.council_id)
    if filters.job_role_code is not None:
        params["job_role"] = filters.job_role_code
    return urlencode(params)
