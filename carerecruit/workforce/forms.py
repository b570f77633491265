"""The staff upload form for an ASC-WDS workforce return."""

from __future__ import annotations

from django import forms

from carerecruit.govuk.forms import GovukDateField
from carerecruit.lib.localtime import local_today
from carerecruit.organisations.access import workforce_upload_organisations
from carerecruit.organisations.models import Organisation

# Larger returns belong to the command line (`carerecruit import-ascwds`).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _csv_file(label: str, which: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text=f"The ASC-WDS bulk upload {which} file: a CSV file with ASC-WDS's 44 columns, up to 20 MB.",
        error_messages={"required": f"Choose the {which} file", "empty": f"The {which} file is empty"},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class WorkforceUploadForm(forms.Form):
    """Whose return (only when the user may upload for several organisations), the
    council area (only when the return may be a provider's), the as-at date and the
    two ASC-WDS files.

    After ``is_valid()``, :meth:`chosen_organisation` and :meth:`chosen_council` give the chosen
    organisations.
    """

    organisation = forms.ChoiceField(
        label="Whose workforce return is this?",
        error_messages={"required": "Choose the organisation whose return this is"},
    )
    council = forms.ChoiceField(
        label="Council area",
        help_text="The council area the provider's workplaces are in. A council's own return always counts in its own area.",
        required=False,
    )
    as_at = GovukDateField(
        label="Date the figures are as at", label_lower="date the figures are as at",
        help_text="The day the staff records describe, for example 31 3 2026. Uploading a return for the same date again replaces it.",
    )
    workplace_file = _csv_file("Workplace file", "workplace")
    worker_file = _csv_file("Worker file", "worker")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in workforce_upload_organisations(user).order_by("kind", "short_name")}
        self.councils = {
            o.slug: o for o in Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, is_active=True).order_by("short_name")
        }
        if len(self.organisations) == 1:
            self._fixed = next(iter(self.organisations.values()))
            del self.fields["organisation"]
            if self._fixed.is_council:
                del self.fields["council"]
        else:
            self._fixed = None
            self.fields["organisation"].choices = [("", "Choose an organisation")] + [
                (slug, f"{o.short_name} ({o.get_kind_display().lower()})") for slug, o in self.organisations.items()
            ]
        if "council" in self.fields:
            self.fields["council"].choices = [("", "Choose a council")] + [(slug, o.short_name) for slug, o in self.councils.items()]

    def chosen_organisation(self) -> Organisation:
        return self._fixed or self.organisations[self.cleaned_data["organisation"]]

    def chosen_council(self) -> Organisation:
        organisation = self.chosen_organisation()
        if organisation.is_council:
            return organisation
        return self.councils[self.cleaned_data["council"]]

    def clean_as_at(self):
        as_at = self.cleaned_data["as_at"]
        if as_at is not None and as_at > local_today():
            raise forms.ValidationError("The date the figures are as at must be today or in the past")
        return as_at

    def _clean_file(self, name: str, which: str):
        upload = self.cleaned_data[name]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The {which} file must be smaller than 20 MB (use the import-ascwds command for larger returns)")
        return upload

    def clean_workplace_file(self):
        return self._clean_file("workplace_file", "workplace")

    def clean_worker_file(self):
        return self._clean_file("worker_file", "worker")

    def clean(self):
        data = super().clean()
        if "council" in self.fields and not data.get("council"):
            chosen = self._fixed or self.organisations.get(data.get("organisation") or "")
            if chosen is not None and not chosen.is_council:
                self.add_error("council", "Choose the council area the provider's workplaces are in")
        return data
