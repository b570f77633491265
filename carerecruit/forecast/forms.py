"""The forecast page's filters (a GET form: choosing a view writes nothing)."""

from __future__ import annotations

from django import forms

from carerecruit.forecast.models import Measure
from carerecruit.forecast.read import ALL
from carerecruit.forecast.series import region_councils
from carerecruit.reference.models import JobRole


class ForecastFilterForm(forms.Form):
    """Council (GSS code, or "all" for the region), ASC-WDS job role (code, or "all")
    and measure. All optional: a blank choice means the region, all roles and
    applications. ``cleaned_data`` gives ``council`` (Organisation or None),
    ``job_role`` (JobRole or None) and ``measure`` (a :class:`Measure` value)."""

    council = forms.ChoiceField(
        label="Council area", required=False,
        error_messages={"invalid_choice": "Choose a council area from the list"},
    )
    job_role = forms.ChoiceField(
        label="Job role", required=False, error_messages={"invalid_choice": "Choose a job role from the list"},
    )
    measure = forms.ChoiceField(
        label="What to forecast", choices=Measure.choices, required=False, widget=forms.RadioSelect,
        initial=Measure.APPLICATIONS, error_messages={"invalid_choice": "Choose what to forecast"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.councils = {c.gss_code: c for c in region_councils().order_by("short_name")}
        self.roles = {str(r.code): r for r in JobRole.objects.order_by("name")}
        self.fields["council"].choices = [(ALL, "All councils in the region")] + [
            (gss, c.short_name) for gss, c in self.councils.items()
        ]
        self.fields["job_role"].choices = [(ALL, "All job roles")] + [
            (code, r.name) for code, r in self.roles.items()
        ]

    def clean_council(self):
        value = self.cleaned_data.get("council") or ALL
        return None if value == ALL else self.councils[value]

    def clean_job_role(self):
        value = self.cleaned_data.get("job_role") or ALL
        return None if value == ALL else self.roles[value]

    def clean_measure(self):
        return self.cleaned_data.get("measure") or Measure.APPLICATIONS
