"""Forms of the candidate self-service pages (``/me/``), worded to the GOV.UK patterns."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from carerecruit.candidates.forms import MAX_START_AHEAD_YEARS
from carerecruit.candidates.models import HoursWanted
from carerecruit.govuk.forms import GovukDateField
from carerecruit.lib.phones import normalise_phone
from carerecruit.lib.postcodes import normalise_postcode


class GovukForm(forms.Form):
    # GOV.UK forms validate on the server only (the <form> has novalidate).
    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class RequestLinkForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Use the email address you applied with.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class ContactDetailsForm(GovukForm):
    """``cleaned_data``: ``phone`` E.164, ``postcode`` canonical (``B1 1AA``)."""

    phone = forms.CharField(
        label="Mobile phone number",
        max_length=40,
        help_text="For international numbers include the country code, like +33.",
        error_messages={
            "required": "Enter your mobile phone number",
            "max_length": "Enter a phone number, like 07700 900 982 or +44 7700 900 982",
        },
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=12,
        error_messages={
            "required": "Enter your postcode",
            "max_length": "Enter a full UK postcode, like B1 1AA",
        },
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}),
    )

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except ValueError:
            raise forms.ValidationError(
                "Enter a phone number, like 07700 900 982 or +44 7700 900 982"
            ) from None

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except ValueError:
            raise forms.ValidationError("Enter a full UK postcode, like B1 1AA") from None


class AvailabilityForm(GovukForm):
    """``cleaned_data``: ``earliest_start`` a local date (today up to 5 years ahead),
    ``hours_wanted`` a HoursWanted value."""

    earliest_start = GovukDateField(
        label="When could you start?",
        label_lower="date you could start",
        help_text="For example, 27 3 2026.",
    )
    hours_wanted = forms.ChoiceField(
        label="How many hours would you like to work?",
        choices=HoursWanted.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how many hours you would like to work"},
    )

    def clean_earliest_start(self) -> datetime.date:
        start = self.cleaned_data["earliest_start"]
        today = timezone.localdate()
        if start < today:
            raise forms.ValidationError("The date you could start must be today or in the future")
        if start > today + datetime.timedelta(days=365 * MAX_START_AHEAD_YEARS + 1):
            raise forms.ValidationError(
                f"The date you could start must be within the next {MAX_START_AHEAD_YEARS} years"
            )
        return start


class ConsentForm(GovukForm):
    """``cleaned_data["talent_bank_consent"]``: ``"yes"`` or ``"no"``."""

    talent_bank_consent = forms.ChoiceField(
        label="Do you want to be in the regional talent bank?",
        help_text="Councils and care providers in the region can find people in the talent bank "
        "and contact them about care jobs. Your applications are not affected.",
        choices=[
            ("yes", "Yes, keep my details in the talent bank"),
            ("no", "No, take me out of the talent bank"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you want to be in the talent bank"},
    )
