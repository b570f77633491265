"""The dashboards' period chooser (a GET form: changing the view writes nothing) and the
campaign target form."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django import forms

from carerecruit.govuk.forms import GovukDateField
from carerecruit.insights.funnel import DAY, MAX_PERIOD_DAYS, WEEK, Period


class PeriodForm(forms.Form):
    """From and to local dates (Europe/London), both or neither; at most a year apart;
    and whether to show the trend by local day or ISO week (Monday to Sunday).

    ``cleaned_data["period"]`` is a :class:`Period`, or None when both dates are left
    blank (the caller then uses its default period); ``cleaned_data["by"]`` is "day" or
    "week".
    """

    start = GovukDateField(label="From", label_lower="start date", required=False,
                           help_text="For example, 20 4 2020")
    end = GovukDateField(label="To", label_lower="end date", required=False,
                         help_text="For example, 24 5 2020")
    by = forms.ChoiceField(
        label="Show the trend by", choices=[(DAY, "Day"), (WEEK, "Week (Monday to Sunday)")],
        widget=forms.RadioSelect, required=False, initial=DAY,
    )

    def clean_by(self):
        return self.cleaned_data.get("by") or DAY

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


def period_query(period: Period | None, by: str = DAY) -> str:
    """The query string (without ``?``) that asks :class:`PeriodForm` for ``period``
    (None: the default period) shown by ``by``; "" when both are defaults."""
    params: dict[str, object] = {}
    if period is not None:
        for name, day in (("start", period.start), ("end", period.end)):
            params[f"{name}_0"] = day.day
            params[f"{name}_1"] = day.month
            params[f"{name}_2"] = day.year
    if by != DAY:
        params["by"] = by
    return urlencode(params)


class PoundsField(forms.DecimalField):
    """An amount of money in pounds; a typed "£", spaces and thousands commas are allowed
    ("£1,250.50" is 1250.50)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace(" ", "").removeprefix("£")
        return super().to_python(value)


class CampaignTargetForm(forms.Form):
    """The campaign's target cost per application, typed in pounds; blank clears it.

    ``cleaned_data["pence"]`` is the target in whole pence, or None.
    """

    target = PoundsField(
        label="Target cost per application, in pounds",
        help_text="For example, 45.00. Leave it blank for no target.",
        required=False, max_digits=9, decimal_places=2,
        min_value=Decimal("0.01"), max_value=Decimal("1000000"),
        error_messages={
            "invalid": "Enter the target as an amount in pounds, like 45.00",
            "min_value": "The target must be more than £0",
            "max_value": "The target must be £1,000,000 or less",
            "max_decimal_places": "Enter the target in pounds and pence, like 45.50",
            "max_digits": "The target must be £1,000,000 or less",
            "max_whole_digits": "The target must be £1,000,000 or less",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("target")
        cleaned["pence"] = None if value is None else int(value * 100)
        return cleaned
