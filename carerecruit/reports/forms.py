"""Forms of the reports pages: who receives the weekly report, and finding a week."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from carerecruit.reports.actions import eligible_recipients, week_is_over
from carerecruit.reports.weeks import BadWeek, parse_week


class RecipientChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name() or user.username
        # No e-mail address here: a long one cannot wrap and would overflow a 320px phone.
        return f"{name} ({user.get_role_display().lower()})"


class RecipientsForm(forms.Form):
    """The report's subscribers, chosen among :func:`eligible_recipients`."""

    recipients = RecipientChoiceField(
        queryset=eligible_recipients(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Who receives the weekly report",
        help_text=(
            "The report shows every figure in full, small numbers included, so only the "
            "regional body's admins and campaign managers can receive it."
        ),
        error_messages={"invalid_choice": "Choose people from the list", "invalid_pk_value": "Choose people from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A fresh queryset per form: who is eligible changes as staff change roles.
        self.fields["recipients"].queryset = eligible_recipients()


class WeekForm(forms.Form):
    """An ISO week to open, typed as ``2020-W18``."""

    week = forms.CharField(
        label="Week",
        help_text="The ISO week, for example 2020-W18 (weeks run Monday to Sunday).",
        max_length=20,
        error_messages={"required": "Enter a week, for example 2020-W18"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )

    def clean_week(self):
        try:
            week = parse_week(self.cleaned_data["week"])
        except BadWeek as error:
            raise forms.ValidationError(str(error)) from None
        if not week_is_over(week, timezone.now()):
            raise forms.ValidationError(f"{week.key} has not ended yet: choose a week that has")
        return week
