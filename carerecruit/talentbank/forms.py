"""Forms for the talent bank: the search filters and the merge decision."""

from __future__ import annotations

from django import forms

from carerecruit.candidates.models import HoursWanted
from carerecruit.govuk.forms import GovukDateField
from carerecruit.lib.postcodes import normalise_postcode
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.talentbank.geo import postcode_point
from carerecruit.talentbank.search import TalentSearch

MAX_RADIUS_KM = 200


class _NameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name if isinstance(obj, Organisation) else obj.name


class TalentSearchForm(forms.Form):
    """The talent bank's filters (GET, all optional). :meth:`search` turns the cleaned
    form into a :class:`~carerecruit.talentbank.search.TalentSearch`; the postcode is
    located here, so an unknown postcode is a form error, not an empty result."""

    name = forms.CharField(
        label="Name", max_length=100, required=False,
        help_text="Part of a name is enough. Accents and apostrophes do not matter.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    job_role = _NameChoiceField(
        label="Job role", queryset=JobRole.objects.order_by("name"), required=False, empty_label="Any job role",
        error_messages={"invalid_choice": "Select a job role from the list"},
    )
    swe_registered = forms.BooleanField(
        label="Has given a Social Work England registration number", required=False
    )
    min_years = forms.IntegerField(
        label="Years of experience, at least", required=False, min_value=0, max_value=60,
        error_messages={
            "invalid": "Years of experience must be a whole number, like 2",
            "min_value": "Years of experience must be 0 or more",
            "max_value": "Years of experience must be 60 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    available_by = GovukDateField(
        label="Can start by", label_lower="date they can start by", required=False,
        help_text="For example, 1 3 2027.",
    )
    hours_wanted = forms.ChoiceField(
        label="Hours wanted", required=False, choices=[("", "Any hours"), *HoursWanted.choices],
        error_messages={"invalid_choice": "Select hours from the list"},
    )
    postcode = forms.CharField(
        label="Near postcode", max_length=12, required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    within_km = forms.IntegerField(
        label="Within (km)", required=False, min_value=1, max_value=MAX_RADIUS_KM,
        error_messages={
            "invalid": "Distance must be a whole number of kilometres, like 10",
            "min_value": "Distance must be 1 km or more",
            "max_value": f"Distance must be {MAX_RADIUS_KM} km or less",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    council_area = _NameChoiceField(
        label="Would work in council area", queryset=Organisation.objects.none(), required=False,
        empty_label="Any council area",
        error_messages={"invalid_choice": "Select a council area from the list"},
    )
    active_since = GovukDateField(
        label="Active since", label_lower="date they were active since", required=False,
        help_text="Applied or updated their details on or after this date.",
    )

    use_required_attribute = False

    def __init__(self, *args, region=None, names: bool = True, **kwargs):
        """``names`` False leaves out the name filter (viewers count people; a count
        of one name would tell them who is in the bank)."""
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not names:
            del self.fields["name"]
        councils = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, is_active=True)
        if region is not None:
            councils = councils.filter(region=region)
        self.fields["council_area"].queryset = councils.order_by("short_name")
        self.origin = None

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        try:
            return normalise_postcode(value)
        except ValueError:
            raise forms.ValidationError("Enter a full UK postcode, like B1 1AA") from None

    def clean(self):
        cleaned = super().clean()
        postcode, within = cleaned.get("postcode"), cleaned.get("within_km")
        if postcode and within is None and "within_km" not in self.errors:
            self.add_error("within_km", "Enter a distance in kilometres, like 10")
        if within is not None and not postcode and "postcode" not in self.errors:
            self.add_error("postcode", "Enter a postcode to search by distance")
        if postcode and within is not None:
            self.origin = postcode_point(postcode)
            if self.origin is None:
                self.add_error("postcode", "We could not find that postcode. Check it and try again")
        return cleaned

    def search(self) -> TalentSearch:
        """The cleaned filters as a TalentSearch (call after ``is_valid()``)."""
        data = self.cleaned_data
        return TalentSearch(
            name=data.get("name", "").strip(),
            job_role_id=data["job_role"].pk if data.get("job_role") else None,
            swe_registered=bool(data.get("swe_registered")),
            min_years=data.get("min_years"),
            available_by=data.get("available_by"),
            hours_wanted=data.get("hours_wanted") or "",
            origin=self.origin,
            within_km=data.get("within_km") if self.origin is not None else None,
            council_area_id=data["council_area"].pk if data.get("council_area") else None,
            active_since=data.get("active_since"),
        )


class MergeForm(forms.Form):
    """Which of a pair's two records to keep (the other is merged into it)."""

    keep = forms.ChoiceField(
        label="Which record should we keep?",
        widget=forms.RadioSelect,
        help_text="The other record's applications, history and contact details are merged into this one.",
        error_messages={"required": "Select the record to keep", "invalid_choice": "Select the record to keep"},
    )

    use_required_attribute = False

    def __init__(self, *args, choices=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = choices
