"""Forms for the staff pipeline pages. Domain rules live in ``pipeline``, ``checks`` and
``actions``; these forms collect and clean input and show errors the GOV.UK way."""

from __future__ import annotations

import uuid

from django import forms

from carerecruit.govuk.forms import GovukDateField
from carerecruit.lib.localtime import local_today
from carerecruit.lib.names import has_visible_character
from carerecruit.placements import pipeline
from carerecruit.placements.checks import FIELDS, clean_check_values
from carerecruit.placements.messaging import PLACEHOLDERS, template_errors
from carerecruit.placements.models import (
    CareCertificateStatus,
    ContractType,
    IdentityDocument,
    LeavingReason,
    RetentionCheckpoint,
    RightToWorkDocument,
    RightToWorkMethod,
)
from carerecruit.placements.pipeline import Stage
from carerecruit.reference.models import JobRole

OWNER_ANY, OWNER_ME, OWNER_NOBODY = "", "me", "nobody"


class ApplicationFilterForm(forms.Form):
    """Filters for the applications list and its exports (GET). An invalid value (a
    campaign the user cannot see, an unknown owner or stage, a search over 100
    characters) makes the form invalid: the list then shows the errors and no rows, the
    export answers 400. It must never fall back to no filter, which would widen the result."""

    q = forms.CharField(
        label="Name, e-mail or reference", required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
        error_messages={"max_length": "Name, e-mail or reference must be 100 characters or fewer"},
    )
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any stage"), *Stage.choices],
        error_messages={"invalid_choice": "Select a stage from the list"},
    )
    campaign = forms.ChoiceField(
        label="Campaign", required=False,
        error_messages={"invalid_choice": "Select a campaign from the list"},
    )
    owner = forms.ChoiceField(
        label="Owner", required=False,
        choices=[(OWNER_ANY, "Anyone"), (OWNER_ME, "Me"), (OWNER_NOBODY, "Nobody yet")],
        error_messages={"invalid_choice": "Select an owner from the list"},
    )

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", "Any campaign"), *((c.slug, c.name) for c in campaigns)]


def _reason_field(label="Reason", help_text=""):
    return forms.CharField(
        label=label, required=False, max_length=2000, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"{label} must be 2,000 characters or fewer"},
    )


class MoveStageForm(forms.Form):
    """Move one route: the stages allowed from its current stage, a reason, and whether
    to send the candidate the stage's e-mail."""

    to_stage = forms.ChoiceField(label="Move to", widget=forms.RadioSelect)
    reason = _reason_field(help_text="Required for “Not suitable”. The candidate does not see this.")
    notify = forms.BooleanField(
        label="Send the candidate the e-mail for this stage (if it is switched on)",
        required=False, initial=True,
    )

    def __init__(self, *args, stage: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(s, pipeline.stage_label(s)) for s in pipeline.moves_from(stage)]
        self.fields["to_stage"].error_messages["required"] = "Choose the stage to move to"
        self.fields["to_stage"].error_messages["invalid_choice"] = "Choose one of the stages listed"

    def clean(self):
        data = super().clean()
        if data.get("to_stage") in pipeline.REASON_REQUIRED and not (data.get("reason") or "").strip():
            self.add_error("reason", f"Give the reason for “{pipeline.stage_label(data['to_stage'])}”")
        return data


class BulkMoveForm(forms.Form):
    """Move many routes at once. The selected routes come as repeated ``routes`` values
    (route codes) from the list's checkboxes; see :func:`selected_codes`."""

    to_stage = forms.ChoiceField(
        label="Move the selected applications to",
        choices=[("", "Choose a stage"), *((s, pipeline.stage_label(s)) for s in Stage.values
                                          if s not in pipeline.ACTION_ONLY)],
        error_messages={"required": "Choose the stage to move them to", "invalid_choice": "Choose one of the stages listed"},
    )
    reason = _reason_field(help_text="Required for “Not suitable”.")
    notify = forms.BooleanField(
        label="Send each candidate the e-mail for this stage (if it is switched on)",
        required=False, initial=True,
    )

    def clean(self):
        data = super().clean()
        if data.get("to_stage") in pipeline.REASON_REQUIRED and not (data.get("reason") or "").strip():
            self.add_error("reason", f"Give the reason for “{pipeline.stage_label(data['to_stage'])}”")
        return data


MAX_BULK = 500


def selected_codes(data) -> list[uuid.UUID]:
    """The route codes ticked on the list (malformed values ignored; at most 500)."""
    codes = []
    for value in data.getlist("routes"):
        try:
            codes.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return list(dict.fromkeys(codes))[:MAX_BULK]


INVISIBLE_NOTE_MESSAGE = "Enter a note using letters, numbers or symbols – it cannot be only spaces or invisible characters"


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For your organisation's recruiters. The candidate can ask to see notes "
                  "about them (subject access), so keep them factual.",
        error_messages={"required": "Enter a note", "max_length": "Note must be 5,000 characters or fewer"},
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not has_visible_character(text):
            raise forms.ValidationError(INVISIBLE_NOTE_MESSAGE)
        return text


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(
        label="Owner", queryset=None, required=False, empty_label="Nobody",
        error_messages={"invalid_choice": "Choose someone from the list"},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = choices
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


# ---------------------------------------------------------------------------------------
# Checks

_YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


class CheckForm(forms.Form):
    """Record one check as complete. Only the kind's fields (``checks.FIELDS``) are kept;
    the rules are :func:`carerecruit.placements.checks.clean_check_values`."""

    dbs_certificate_number = forms.CharField(
        label="DBS certificate number", required=False, max_length=20,
        help_text="12 digits, printed on the certificate",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"max_length": "DBS certificate number must be 20 characters or fewer"},
    )
    dbs_issue_date = GovukDateField(label="Date of issue", label_lower="date of issue", required=False)
    dbs_barred_list_checked = forms.BooleanField(
        label="The certificate is an enhanced check that includes the adults' barred list",
        required=False,
    )
    dbs_update_service = forms.TypedChoiceField(
        label="Is the certificate on the DBS Update Service?", choices=_YES_NO, coerce=_yes_no,
        required=False, empty_value=None, widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"invalid_choice": "Select whether the certificate is on the DBS Update Service"},
    )
    dbs_status_checked_on = GovukDateField(
        label="Date of the last Update Service status check", label_lower="status check date",
        required=False, help_text="Only when the certificate is on the Update Service",
    )
    rtw_method = forms.ChoiceField(
        label="How was the right to work checked?", choices=RightToWorkMethod.choices,
        required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select how the right to work was checked"},
    )
    rtw_document = forms.ChoiceField(
        label="Document or evidence seen", choices=RightToWorkDocument.choices, required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the document or evidence seen"},
    )
    rtw_time_limited = forms.BooleanField(
        label="The permission to work is time-limited (a follow-up check is needed before it ends)",
        required=False,
    )
    rtw_expires_on = GovukDateField(
        label="Date the permission to work ends", label_lower="end date", required=False,
        help_text="Only for time-limited permission",
    )
    referee_organisation = forms.CharField(
        label="Referee's organisation", required=False, max_length=200,
        error_messages={"max_length": "Referee's organisation must be 200 characters or fewer"},
    )
    reference_satisfactory = forms.BooleanField(label="The reference is satisfactory", required=False)
    identity_document = forms.ChoiceField(
        label="Identity document seen", choices=IdentityDocument.choices, required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the identity document seen"},
    )
    identity_photo_seen = forms.BooleanField(
        label="A recent photograph of the candidate was seen", required=False
    )
    swe_number = forms.CharField(
        label="Social Work England registration number", required=False, max_length=20,
        help_text="For example, SW104233. Check it on the Social Work England register.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"max_length": "Social Work England registration number must be 20 characters or fewer"},
    )
    care_certificate_status = forms.TypedChoiceField(
        label="Has the candidate completed the Care Certificate?", choices=CareCertificateStatus.choices,
        coerce=int, required=False, empty_value=None, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the care certificate status"},
    )
    verified_on = GovukDateField(label="Date checked", label_lower="date", required=False)

    VERIFIED_LABELS = {
        "conduct_reference": "Date the reference was received",
        "second_reference": "Date the reference was received",
        "swe_registration": "Date checked on the register",
    }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = FIELDS[kind]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        # Show the kind's fields in its order.
        self.order_fields(keep)
        if "verified_on" in self.fields and kind in self.VERIFIED_LABELS:
            self.fields["verified_on"].label = self.VERIFIED_LABELS[kind]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        cleaned, errors = clean_check_values(self.kind, data, local_today())
        for name, message in errors.items():
            self.add_error(name, message)
        return cleaned


class WaiveCheckForm(forms.Form):
    waived_by_name = forms.CharField(
        label="Name of the person who decided to waive this check", max_length=200,
        help_text="Their full name and job title, for example “Priya Shah, Head of Adult Social Care”",
        error_messages={
            "required": "Enter the name of the person waiving the check",
            "max_length": "Name of the person waiving the check must be 200 characters or fewer",
        },
    )
    reason = forms.CharField(
        label="Why is this check being waived?", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the reason for waiving the check",
            "max_length": "Reason for waiving the check must be 2,000 characters or fewer",
        },
    )

    def clean_waived_by_name(self):
        value = " ".join(self.cleaned_data["waived_by_name"].split())
        if not value:
            raise forms.ValidationError("Enter the name of the person waiving the check")
        return value

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError("Enter the reason for waiving the check")
        return value


# ---------------------------------------------------------------------------------------
# Placement and retention


class PlacementForm(forms.Form):
    job_role = forms.ModelChoiceField(
        label="Job role", queryset=JobRole.objects.order_by("name"),
        help_text="ASC-WDS main job role", empty_label="Choose a job role",
        error_messages={"required": "Choose the job role", "invalid_choice": "Choose a job role from the list"},
    )
    contract_type = forms.TypedChoiceField(
        label="Contract type", choices=ContractType.choices, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "Choose the contract type", "invalid_choice": "Choose the contract type"},
    )
    start_date = GovukDateField(label="Start date", label_lower="start date", help_text="For example, 27 3 2026")
    vacancy = forms.ModelChoiceField(
        label="Vacancy filled (optional)", queryset=None, required=False,
        empty_label="None: not one of our posted vacancies",
        help_text="Your organisation's vacancy this person fills, if it was posted here",
        error_messages={"invalid_choice": "Choose one of your organisation's vacancies from the list"},
    )

    field_order = ["job_role", "vacancy", "contract_type", "start_date"]

    def __init__(self, *args, organisation, **kwargs):
        from carerecruit.vacancies.models import Vacancy

        super().__init__(*args, **kwargs)
        # Only the placing organisation's own vacancies: another's would leak its titles.
        self.fields["vacancy"].queryset = (
            Vacancy.objects.filter(organisation=organisation)
            .exclude(status=Vacancy.Status.DRAFT).select_related("job_role").order_by("-created_at")
        )
        self.fields["vacancy"].label_from_instance = lambda v: f"{v.title} ({v.job_role}, {v.get_status_display().lower()})"

    def clean(self):
        data = super().clean()
        vacancy, role = data.get("vacancy"), data.get("job_role")
        if vacancy is not None and role is not None and vacancy.job_role_id != role.pk:
            self.add_error("vacancy", f"This vacancy is for {vacancy.job_role}: choose that job role, or no vacancy")
        return data


class RetentionForm(forms.Form):
    status = forms.ChoiceField(
        label="Is the person still in post?",
        choices=[
            (RetentionCheckpoint.Status.IN_POST, "Yes, still in post"),
            (RetentionCheckpoint.Status.LEFT, "No, they have left"),
            (RetentionCheckpoint.Status.UNKNOWN, "We do not know"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the person is still in post",
            "invalid_choice": "Choose whether the person is still in post",
        },
    )
    leaving_reason = forms.TypedChoiceField(
        label="Why did they leave?", choices=[("", "Choose a reason"), *LeavingReason.choices],
        coerce=int, empty_value=None, required=False, help_text="ASC-WDS reason for leaving",
        error_messages={"invalid_choice": "Select why they left from the list"},
    )
    left_on = GovukDateField(label="Date they left", label_lower="date they left", required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == RetentionCheckpoint.Status.LEFT:
            if data.get("leaving_reason") is None and "leaving_reason" not in self.errors:
                self.add_error("leaving_reason", "Choose why they left")
            left_on = data.get("left_on")
            if left_on is not None and left_on > local_today():
                self.add_error("left_on", "The date they left must be today or in the past")
        return data


class MessageTemplateForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=200,
                              error_messages={"required": "Enter the subject",
                                              "max_length": "Subject must be 200 characters or fewer"})
    body = forms.CharField(
        label="Message", max_length=5000, widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the message", "max_length": "Message must be 5,000 characters or fewer"},
        help_text="Placeholders you can use: " + ", ".join("{{ %s }}" % p for p in PLACEHOLDERS),  # noqa: UP031
    )
    is_active = forms.BooleanField(
        label="Send this e-mail automatically when an application moves to this stage",
        required=False,
    )

    def clean_subject(self):
        value = " ".join(self.cleaned_data["subject"].split())
        for error in template_errors(value):
            raise forms.ValidationError(error)
        return value

    def clean_body(self):
        value = self.cleaned_data["body"].strip()
        errors = template_errors(value)
        if errors:
            raise forms.ValidationError(errors)
        return value
