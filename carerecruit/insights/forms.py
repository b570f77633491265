"""The dashboard's period chooser (a GET form: changing the view writes nothing)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms

from carerecruit.govuk.forms import GovukDateField
from carerecruit.insights.funnel import MAX_PERIOD_DAYS, Period


class PeriodForm(forms.Form):
    """From and to local dates (Europe/London), both or neither; at most a year apart.

    ``cleaned_data["period"]`` is a :class:`Period`, or None when both are left blank
    (the caller then uses the campaign's default period).
    """

    start = GovukDateField(label="From", label_lower="start date", required=False,
                           help_text="For example, 20 4 2020")
    end = GovukDateField(label="To", label_lower="end date", required=False,
                         help_text="For example, 24 5 2020")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        if start is None and end is None:
            cleaned["period"] = None
        elif start is None:
            self.add_error("start", "Enter the start date")
        elif end is None:
            self.add_error("end", "Enter the end date")
        elif end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        elif (end - start).days + 1 > MAX_PERIOD_DAYS:
            self.add_error("end", f"The period must be {MAX_PERIOD_DAYS} days or shorter")
        else:
            cleaned["period"] = Period(start, end)
        return cleaned


def period_query(period: Period) -> str:
    """The query string (without ``?``) that asks :class:`PeriodForm` for ``period``."""
    params = {}
    for name, day in (("start", period.start), ("end", period.end)):
        params[f"{name}_0"] = day.day
        params[f"{name}_1"] = day.month
        params[f"{name}_2"] = day.year
    return urlencode(params)
