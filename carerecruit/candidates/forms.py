"""The public application form: one page, no account, GOV.UK wording for errors.

Error messages follow the GOV.UK Design System's patterns ("Enter …", "… must be …").
Normalisation happens here so ``cleaned_data`` is ready for
:func:`carerecruit.candidates.actions.do_submit_application`.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from carerecruit.candidates.models import HoursWanted, RightToWork
from carerecruit.govuk.forms import GovukDateField
from carerecruit.lib.names import has_visible_letter
from carerecruit.lib.phones import normalise_phone
from carerecruit.lib.postcodes import normalise_postcode
from carerecruit.lib.swe import InvalidRegistration, normalise_swe_registration
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole

# How far ahead a start date may be: beyond this it is almost always a typo in the year
# (2062 for 2026). Generous, because students may apply well before they qualify.
MAX_START_AHEAD_YEARS = 5

SWE_NOT_YET_LABEL = "I'm not registered with Social Work England yet"
# A name of only spaces or invisible characters (zero-width spaces, blank fillers).
INVISIBLE_NAME_MESSAGE = "Enter your full name using letters – it cannot be only numbers, symbols, spaces or invisible characters"


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CouncilChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name


class ConditionallyRequiredCharField(forms.CharField):
    """A text field that is required only in some answers' company, checked in the
    form's ``clean()``. It reports ``required`` so the renderer does not label it
    "(optional)", but an empty value passes field validation."""

    def __init__(self, **kwargs):
        super().__init__(required=True, **kwargs)

    def validate(self, value):
        if value in self.empty_values:
            return
        super().validate(value)


def roles_for_campaign(campaign):
    """Job roles offered on ``campaign``'s form: the roles it seeks, or, when it names
    none, every role marked ``offered_on_forms`` (ASC-WDS main job roles)."""
    roles = campaign.job_roles.all()
    if not roles.exists():
        roles = JobRole.objects.filter(offered_on_forms=True)
    return roles.order_by("name")


def councils_for_campaign(campaign):
    """The active councils of the campaign's region (14 in the West Midlands)."""
    return Organisation.objects.filter(
        region_id=campaign.region_id, kind=Organisation.Kind.COUNCIL, is_active=True
    ).order_by("short_name")


class ApplicationForm(forms.Form):
    """A candidate's application to one campaign.

    ``cleaned_data`` shapes: ``full_name`` as typed (trimmed); ``email`` as typed;
    ``phone`` E.164; ``postcode`` canonical (``B1 1AA``); ``job_roles`` and
    ``council_areas`` querysets; ``years_experience`` int 0–60; ``swe_registration``
    ``SW`` + digits or ""; ``earliest_start`` a local date, today or later;
    ``hours_wanted``/``right_to_work`` choice values; ``talent_bank_consent`` bool.

    Social Work England registration is required when a chosen role needs it
    (``JobRole.needs_swe_registration``, Social Workers Regulations 2018) unless the
    person ticks "not registered yet": final-year students (#StepUpNow) and people
    awaiting registration have no number, and the register check happens later, in
    pre-employment checks.
    """

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={
            "required": "Enter your full name",
            "max_length": "Full name must be 200 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We'll send your confirmation to this address.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
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
        help_text="We use this to find councils and care jobs near you.",
        error_messages={
            "required": "Enter your postcode",
            "max_length": "Enter a full UK postcode, like B1 1AA",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}
        ),
    )
    job_roles = RoleChoiceField(
        label="Which jobs are you interested in?",
        help_text="Select all that apply.",
        queryset=JobRole.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one job you are interested in",
            "invalid_choice": "Select jobs from the list",
            "invalid_pk_value": "Select jobs from the list",
        },
    )
    swe_registration = ConditionallyRequiredCharField(
        label="Social Work England registration number",
        max_length=20,
        help_text="If you chose a social work role, you need to give this. It starts with SW, "
        "like SW104233.",
        error_messages={
            "max_length": "Enter a Social Work England registration number in the correct "
            "format, like SW104233"
        },
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "spellcheck": "false", "autocomplete": "off"}
        ),
    )
    swe_not_yet_registered = forms.BooleanField(
        label=SWE_NOT_YET_LABEL,
        required=False,
        help_text="For example, you're a social work student or waiting for your registration.",
    )
    years_experience = forms.IntegerField(
        label="Years of experience in social care or social work",
        help_text="A whole number. Enter 0 if you're new to care.",
        min_value=0,
        max_value=60,
        error_messages={
            "required": "Enter your years of experience in social care or social work",
            "invalid": "Years of experience must be a whole number, like 3",
            "min_value": "Years of experience must be 0 or more",
            "max_value": "Years of experience must be 60 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    current_role = forms.CharField(
        label="Current or last job title",
        required=False,
        max_length=200,
        error_messages={"max_length": "Job title must be 200 characters or fewer"},
    )
    earliest_start = GovukDateField(
        label="When could you start?",
        label_lower="date you could start",
        help_text="For example, 27 3 2026.",
    )
    hours_wanted = forms.ChoiceField(
        label="How many hours would you like to work?",
        choices=HoursWanted.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how many hours you would like to work",
            "invalid_choice": "Select how many hours you would like to work",
        },
    )
    council_areas = CouncilChoiceField(
        label="Which council areas would you work in?",
        help_text="Select all that apply. If you leave this blank, we'll use your postcode "
        "to pass your application to the councils near you.",
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Select council areas from the list",
            "invalid_pk_value": "Select council areas from the list",
        },
    )
    right_to_work = forms.ChoiceField(
        label="Do you have the right to work in the UK?",
        choices=RightToWork.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you have the right to work in the UK",
            "invalid_choice": "Select whether you have the right to work in the UK",
        },
    )
    talent_bank_consent = forms.BooleanField(
        label="Keep my details in the regional talent bank and share them with councils "
        "and care providers in the region, so they can contact me about other care jobs",
        required=False,
        help_text="Optional. You can withdraw at any time.",
    )

    # GOV.UK forms validate on the server only (the <form> has novalidate); a "required"
    # attribute would also be wrong on the registration number, required only sometimes.
    use_required_attribute = False

    def __init__(self, campaign, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["job_roles"].queryset = roles_for_campaign(campaign)
        self.fields["council_areas"].queryset = councils_for_campaign(campaign)

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"]
        if any(ord(ch) < 32 for ch in name):
            raise forms.ValidationError("Full name must not contain control characters")
        if not has_visible_letter(name):
            raise forms.ValidationError(INVISIBLE_NAME_MESSAGE)
        return name

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

    def clean_swe_registration(self) -> str:
        value = self.cleaned_data["swe_registration"]
        if not value:
            return ""
        try:
            return normalise_swe_registration(value)
        except InvalidRegistration as exc:
            raise forms.ValidationError(str(exc)) from None

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

    def clean(self):
        cleaned = super().clean()
        roles = cleaned.get("job_roles")
        needs_swe = roles is not None and any(r.needs_swe_registration for r in roles)
        if (
            needs_swe
            and "swe_registration" not in self.errors
            and not cleaned.get("swe_registration")
            and not cleaned.get("swe_not_yet_registered")
        ):
            self.add_error(
                "swe_registration",
                "Enter your Social Work England registration number, or select "
                f"'{SWE_NOT_YET_LABEL}'",
            )
        return cleaned
