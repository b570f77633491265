"""Every way a field of the staff forms can fail is worded the GOV.UK way, never with
Django's defaults ("Ensure this value has at most 20 characters (it has 5000).",
"Select a valid choice. X is not one of the available choices.", "This field is
required."), which echo what was posted and do not say what to do."""

import pytest
from django import forms

from carerecruit.adstats.actions import PlatformCampaignSummary
from carerecruit.adstats.forms import AdUploadForm, MappingForm, PlatformCampaignMappingForm
from carerecruit.api.forms import ApiTokenForm
from carerecruit.campaigns.models import Campaign
from carerecruit.placements import forms as placement_forms
from carerecruit.placements.checks import FIELDS
from carerecruit.vacancies.forms import PublicVacancyFilterForm, VacancyForm

pytestmark = pytest.mark.django_db


def _defaults(field: forms.Field) -> dict[str, str]:
    """Django's own messages for ``field``'s class, as its constructor would set them."""
    messages = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return {k: str(v) for k, v in messages.items()}


def default_wording(form: forms.Form) -> list[str]:
    """``"field: key"`` for each failure of ``form``'s fields still in Django's words."""
    found = []
    for name, field in form.fields.items():
        keys = []
        if field.required and not isinstance(field, forms.MultiValueField):
            keys.append("required")
        if getattr(field, "max_length", None) is not None:
            keys.append("max_length")
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            keys.append("invalid_choice")
        if isinstance(field, forms.IntegerField | forms.DecimalField):
            keys += ["invalid"] + [k for k in ("min_value", "max_value") if getattr(field, k, None) is not None]
        defaults = _defaults(field)
        # A missing key means Django's wording too: max_length, min_value and max_value
        # come from validators, whose own message is used unless the field has one.
        found += [
            f"{name}: {key}" for key in keys
            if key not in field.error_messages or str(field.error_messages[key]) == defaults.get(key)
        ]
    return found


def staff_forms(personas):
    campaigns = list(Campaign.objects.all())
    summary = PlatformCampaignSummary(name="Returners", first_line=2)
    yield placement_forms.ApplicationFilterForm(campaigns=campaigns)
    yield placement_forms.MoveStageForm(stage="new")
    yield placement_forms.BulkMoveForm()
    yield placement_forms.NoteForm()
    for kind in FIELDS:
        yield placement_forms.CheckForm(kind=kind)
    yield placement_forms.WaiveCheckForm()
    yield placement_forms.PlacementForm(organisation=personas.council_a)
    yield placement_forms.RetentionForm()
    yield placement_forms.MessageTemplateForm()
    yield AdUploadForm()
    yield MappingForm(totals=[summary], campaigns=campaigns, platform="meta")
    yield PlatformCampaignMappingForm(campaigns=campaigns)
    yield VacancyForm(organisations=None)
    yield PublicVacancyFilterForm()
    yield ApiTokenForm(user=personas.regional_admin)


def test_no_staff_form_field_fails_in_djangos_words(personas, campaign):
    found = {type(form).__name__ + (f"({form.kind})" if hasattr(form, "kind") else ""): default_wording(form)
             for form in staff_forms(personas)}
    assert {name: fields for name, fields in found.items() if fields} == {}


@pytest.mark.parametrize(("form", "field", "message"), [
    (lambda: placement_forms.CheckForm({"dbs_certificate_number": "1" * 5000}, kind="dbs"),
     "dbs_certificate_number", "DBS certificate number must be 20 characters or fewer"),
    (lambda: placement_forms.CheckForm({"dbs_update_service": "maybe"}, kind="dbs"),
     "dbs_update_service", "Select whether the certificate is on the DBS Update Service"),
    (lambda: placement_forms.CheckForm({"care_certificate_status": "X"}, kind="care_certificate"),
     "care_certificate_status", "Select the care certificate status"),
    (lambda: placement_forms.NoteForm({"text": "a" * 5001}),
     "text", "Note must be 5,000 characters or fewer"),
    (lambda: placement_forms.RetentionForm({"status": "left", "leaving_reason": "X"}),
     "leaving_reason", "Select why they left from the list"),
    (lambda: AdUploadForm({"platform": "myspace", "currency": "GBP"}),
     "platform", "Select the ad platform, or “Work it out from the file”"),
])
def test_examples_of_govuk_wording(form, field, message):
    bound = form()
    assert not bound.is_valid()
    assert bound.errors[field] == [message]


def test_vacancy_campaign_outside_the_list(personas):
    form = VacancyForm({"campaign": "999999"}, organisations=None)
    assert not form.is_valid()
    assert form.errors["campaign"] == ["Select a campaign from the list"]
