"""Forms for vacancies: the staff posting form, the public filters and the apply form."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms

from carerecruit.campaigns.models import Campaign
from carerecruit.candidates.forms import ApplicationForm
from carerecruit.govuk.forms import GovukDateField
from carerecruit.lib.localtime import local_today
from carerecruit.lib.postcodes import normalise_postcode
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.vacancies.models import MAX_HOURS_PER_WEEK, ContractType, PayUnit, Vacancy, pounds

# ASC-WDS caps annual salary at £250,000 (worker file SALARY); no rate per any unit is
# higher, so a bigger figure is a typo (pence typed as pounds).
MAX_PAY_POUNDS = Decimal("250000")
# The most a rate per unit can be, in pounds (VacancyForm's docstring says why).
MAX_PAY_POUNDS_PER_UNIT = {
    PayUnit.HOUR: Decimal("500"),
    PayUnit.DAY: Decimal("2000"),
    PayUnit.WEEK: Decimal("10000"),
    PayUnit.MONTH: Decimal("25000"),
    PayUnit.YEAR: MAX_PAY_POUNDS,
}
# A number as staff type it: commas only between groups of three digits ("28,000",
# "1,204.50"), a full stop before the decimals. "11,50" is someone's decimal comma,
# and reading it as 1150 would post a job at a hundred times its pay.
_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+", re.ASCII)
# A closing date further ahead than this is almost always a mistyped year.
MAX_CLOSING_AHEAD_DAYS = 366


class NamedChoiceField(forms.ModelChoiceField):
    """A select whose options show the object's ``name`` (organisations, roles)."""

    def label_from_instance(self, obj):
        return getattr(obj, "name", str(obj))


class CouncilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name


def _pounds_to_pence(value: Decimal | None) -> int | None:
    if value is None:
        return None
    return int((value * 100).to_integral_value())


class VacancyForm(forms.Form):
    """A vacancy as staff type it.

    ``cleaned_data`` shapes: ``organisation`` (only when the poster may choose one: the
    regional body's staff), ``campaign`` a Campaign or None (None = the region's standing
    vacancies campaign), ``job_role`` a JobRole (ASC-WDS main job role), ``contract_type``
    an int (ASC-WDS EMPLSTATUS), ``hours_per_week`` Decimal in steps of 0.5,
    ``pay_min_pence``/``pay_max_pence`` ints in pence (max None for a single rate),
    ``pay_unit`` a PayUnit value, ``postcode`` canonical, ``closing_date``/``starts_on``
    local dates, ``number_of_posts`` int ≥ 1, ``description`` plain text.

    Pay and hours are typed in pounds and hours, with an optional "£" and commas only
    as thousands separators: "28,000" and "1,204.50" are read, "11,50" (a decimal
    comma) and "1,15,000" are refused rather than guessed. Pay is more than £0 and at
    most, per unit: £500 an hour, £2,000 a day, £10,000 a week, £25,000 a month and
    £250,000 a year (ASC-WDS's cap on annual salary). The caps are generous on purpose:
    they catch pence typed as pounds or a misplaced unit (£28,000 "per hour"), not
    unusual but real rates.
    """

    organisation = NamedChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        help_text="The council or care provider employing the person.",
        error_messages={"required": "Select the organisation", "invalid_choice": "Select an organisation from the list"},
    )
    title = forms.CharField(
        label="Job title",
        max_length=120,
        help_text="The job title only, like 'Care worker (home care)'. No pay, codes or 'apply now'.",
        error_messages={"required": "Enter the job title", "max_length": "Job title must be 120 characters or fewer"},
    )
    reference = forms.CharField(
        label="Your reference",
        max_length=40,
        required=False,
        help_text="Your own job reference, if you have one.",
        error_messages={"max_length": "Reference must be 40 characters or fewer"},
    )
    job_role = NamedChoiceField(
        label="Job role",
        queryset=JobRole.objects.order_by("name"),
        help_text="The ASC-WDS main job role, used to match people from the talent bank.",
        error_messages={"required": "Select the job role", "invalid_choice": "Select a job role from the list"},
    )
    contract_type = forms.TypedChoiceField(
        label="Contract type",
        choices=ContractType.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the contract type", "invalid_choice": "Select the contract type"},
    )
    hours_per_week = forms.CharField(
        label="Hours per week",
        max_length=6,
        help_text="In steps of half an hour, like 37.5. For bank or flexible work, give typical hours.",
        error_messages={"required": "Enter the hours per week", "max_length": "Hours per week must be a number, like 37.5"},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
    )
    pay_min = forms.CharField(
        label="Pay (or lowest pay), in pounds",
        max_length=12,
        help_text="For example 12.75 for £12.75 an hour, or 28000 for £28,000 a year.",
        error_messages={"required": "Enter the pay", "max_length": "Pay must be a number, like 12.75"},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )
    pay_max = forms.CharField(
        label="Highest pay, in pounds",
        max_length=12,
        required=False,
        help_text="Leave blank if there is one rate.",
        error_messages={"max_length": "Highest pay must be a number, like 12.75"},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )
    pay_unit = forms.ChoiceField(
        label="Pay is",
        choices=PayUnit.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether pay is per hour, day, week, month or year",
            "invalid_choice": "Select whether pay is per hour, day, week, month or year",
        },
    )
    street_address = forms.CharField(
        label="Street address",
        max_length=200,
        required=False,
        help_text="Leave blank for jobs in people's homes across an area.",
        error_messages={"max_length": "Street address must be 200 characters or fewer"},
    )
    town = forms.CharField(
        label="Town or city",
        max_length=100,
        error_messages={"required": "Enter the town or city", "max_length": "Town or city must be 100 characters or fewer"},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=12,
        error_messages={"required": "Enter the postcode", "max_length": "Enter a full UK postcode, like WS1 1AA"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    council_area = CouncilChoiceField(
        label="Council area",
        queryset=Organisation.objects.none(),
        help_text="The council area the job is in.",
        error_messages={"required": "Select the council area", "invalid_choice": "Select a council area from the list"},
    )
    closing_date = GovukDateField(
        label="Closing date",
        label_lower="closing date",
        help_text="Applications close at the end of this day. For example, 27 3 2027.",
    )
    starts_on = GovukDateField(
        label="Expected start date",
        label_lower="expected start date",
        required=False,
        help_text="Used to rank talent-bank matches by when they can start.",
    )
    number_of_posts = forms.IntegerField(
        label="Number of posts",
        min_value=1,
        max_value=500,
        initial=1,
        error_messages={
            "required": "Enter the number of posts",
            "invalid": "Number of posts must be a whole number, like 3",
            "min_value": "Number of posts must be 1 or more",
            "max_value": "Number of posts must be 500 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    description = forms.CharField(
        label="Description",
        max_length=10000,
        help_text="What the job involves and what you offer. Leave a blank line between paragraphs.",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter a description", "max_length": "Description must be 10,000 characters or fewer"},
    )
    campaign = forms.ModelChoiceField(
        label="Campaign",
        queryset=Campaign.objects.none(),
        required=False,
        empty_label="None: the region's vacancies",
        help_text="Applications count in this campaign's figures.",
        error_messages={"invalid_choice": "Select a campaign from the list"},
    )

    use_required_attribute = False

    def __init__(self, *args, organisations=None, region=None, vacancy: Vacancy | None = None, **kwargs):
        """``organisations``: the ones the poster may choose from (None or one = fixed,
        the field is removed). ``region``: where the council areas and campaigns come
        from. ``vacancy``: the vacancy being edited (keeps its current campaign)."""
        kwargs.setdefault("label_suffix", "")
        if vacancy is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from_vacancy(vacancy)
        super().__init__(*args, **kwargs)
        self.vacancy = vacancy
        if organisations is None or vacancy is not None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        self.fields["council_area"].queryset = Organisation.objects.filter(
            region=region, kind=Organisation.Kind.COUNCIL, is_active=True
        ).order_by("short_name")
        campaigns = Campaign.objects.filter(region=region, status=Campaign.Status.LIVE)
        if vacancy is not None:
            campaigns = campaigns | Campaign.objects.filter(pk=vacancy.campaign_id)
        self.fields["campaign"].queryset = campaigns.order_by("name")

    def _decimal(self, name: str, label: str, *, comma_message: str) -> Decimal | None:
        """The field's number, or None when blank. Raises ValidationError for anything
        but digits with an optional "£", thousands commas and decimals after a full stop
        (``comma_message`` when the commas are the problem)."""
        raw = (self.cleaned_data.get(name) or "").strip().removeprefix("£").strip()
        if not raw:
            return None
        if not _NUMBER.fullmatch(raw):
            if "," in raw and _NUMBER.fullmatch(raw.replace(",", "")):
                raise forms.ValidationError(comma_message)
            raise forms.ValidationError(f"{label} must be a number, like 12.75")
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            raise forms.ValidationError(f"{label} must be a number, like 12.75") from None
        return value

    def clean_hours_per_week(self) -> Decimal:
        value = self._decimal(
            "hours_per_week", "Hours per week",
            comma_message="Hours per week must use a full stop for half hours, like 37.5",
        )
        if value is None:
            raise forms.ValidationError("Enter the hours per week")
        if value <= 0:
            raise forms.ValidationError("Hours per week must be more than 0")
        if value > MAX_HOURS_PER_WEEK:
            raise forms.ValidationError("Hours per week must be 168 or fewer")
        if (value * 2) % 1 != 0:
            raise forms.ValidationError("Hours per week must be in steps of 0.5, like 37.5")
        return value.quantize(Decimal("0.1"))

    def _pay(self, name: str, label: str) -> int | None:
        value = self._decimal(
            name, label,
            comma_message=f"{label} must use a full stop for pence, like 11.50, and commas only between thousands, like 28,000",
        )
        if value is None:
            return None
        if value <= 0:
            raise forms.ValidationError(f"{label} must be more than £0")
        if value > MAX_PAY_POUNDS:
            raise forms.ValidationError(f"{label} must be £250,000 or less")
        if value != value.quantize(Decimal("0.01")):
            raise forms.ValidationError(f"{label} must be in pounds and pence, like 12.75")
        return _pounds_to_pence(value)

    def clean_pay_min(self) -> int:
        pence = self._pay("pay_min", "Pay")
        if pence is None:
            raise forms.ValidationError("Enter the pay")
        return pence

    def clean_pay_max(self) -> int | None:
        return self._pay("pay_max", "Highest pay")

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except ValueError:
            raise forms.ValidationError("Enter a full UK postcode, like WS1 1AA") from None

    def clean_closing_date(self) -> datetime.date:
        closing = self.cleaned_data["closing_date"]
        today = local_today()
        unchanged = self.vacancy is not None and self.vacancy.closing_date == closing
        if closing < today and not unchanged:
            raise forms.ValidationError("The closing date must be today or in the future")
        if closing > today + datetime.timedelta(days=MAX_CLOSING_AHEAD_DAYS):
            raise forms.ValidationError("The closing date must be within the next year")
        return closing

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("pay_min"), cleaned.get("pay_max")
        unit = cleaned.get("pay_unit")
        if unit in MAX_PAY_POUNDS_PER_UNIT:
            most = MAX_PAY_POUNDS_PER_UNIT[unit]
            for name, label, pence in (("pay_min", "Pay", low), ("pay_max", "Highest pay", high)):
                if pence is not None and pence > _pounds_to_pence(most):
                    self.add_error(name, f"{label} must be £{most:,} or less {PayUnit(unit).label}")
                    if name == "pay_min":
                        low = None
                    else:
                        high = None
        if low is not None and high is not None:
            if high < low:
                self.add_error("pay_max", "Highest pay must be the same as or more than the lowest pay")
            elif high == low:
                cleaned["pay_max"] = None
        starts, closing = cleaned.get("starts_on"), cleaned.get("closing_date")
        if starts is not None and closing is not None and starts < closing - datetime.timedelta(days=366):
            self.add_error("starts_on", "The expected start date must be within a year of the closing date")
        return cleaned

    def vacancy_fields(self) -> dict:
        """``cleaned_data`` as ``Vacancy`` field values (``pay_*_pence``), without
        ``organisation`` and ``campaign``."""
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        data.pop("campaign", None)
        data["pay_min_pence"] = data.pop("pay_min")
        data["pay_max_pence"] = data.pop("pay_max")
        return data


def initial_from_vacancy(vacancy: Vacancy) -> dict:
    """Form values for editing ``vacancy`` (pay back in pounds)."""
    return {
        "title": vacancy.title,
        "reference": vacancy.reference,
        "job_role": vacancy.job_role_id,
        "contract_type": vacancy.contract_type,
        "hours_per_week": f"{vacancy.hours_per_week.normalize():f}",
        "pay_min": pounds(vacancy.pay_min_pence),
        "pay_max": pounds(vacancy.pay_max_pence),
        "pay_unit": vacancy.pay_unit,
        "street_address": vacancy.street_address,
        "town": vacancy.town,
        "postcode": vacancy.postcode,
        "council_area": vacancy.council_area_id,
        "closing_date": vacancy.closing_date,
        "starts_on": vacancy.starts_on,
        "number_of_posts": vacancy.number_of_posts,
        "description": vacancy.description,
        "campaign": vacancy.campaign_id,
    }


class PublicVacancyFilterForm(forms.Form):
    """Filters on ``/vacancies/`` (all optional, GET): job role, council area, town."""

    role = NamedChoiceField(
        label="Job role", queryset=JobRole.objects.none(), required=False, empty_label="Any job role",
    )
    council = CouncilChoiceField(
        label="Council area", queryset=Organisation.objects.none(), required=False,
        empty_label="Any council area",
    )
    town = forms.CharField(
        label="Town or city", max_length=100, required=False,
        error_messages={"max_length": "Town or city must be 100 characters or fewer"},
    )

    use_required_attribute = False

    def __init__(self, *args, region=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = JobRole.objects.filter(
            vacancies__status=Vacancy.Status.OPEN
        ).distinct().order_by("name")
        self.fields["council"].queryset = Organisation.objects.filter(
            region=region, kind=Organisation.Kind.COUNCIL, is_active=True
        ).order_by("short_name")
        # Error messages for a tampered query string, in GOV.UK wording.
        self.fields["role"].error_messages["invalid_choice"] = "Select a job role from the list"
        self.fields["council"].error_messages["invalid_choice"] = "Select a council area from the list"


class VacancyApplicationForm(ApplicationForm):
    """The campaign application form, for one vacancy: its job role is always offered
    (even when the campaign seeks other roles, or it is a back-office role not offered
    on public forms) and ticked to begin with."""

    def __init__(self, vacancy: Vacancy, *args, **kwargs):
        super().__init__(vacancy.campaign, *args, **kwargs)
        roles = self.fields["job_roles"].queryset
        self.fields["job_roles"].queryset = (
            JobRole.objects.filter(pk__in=roles.values("pk")) | JobRole.objects.filter(pk=vacancy.job_role_id)
        ).order_by("name")
        if not self.is_bound:
            self.initial.setdefault("job_roles", [vacancy.job_role_id])
