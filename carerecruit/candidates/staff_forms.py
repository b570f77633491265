"""Staff forms of the candidates app: uploading a list of expressions of interest."""

from __future__ import annotations

from pathlib import PurePath

from django import forms

from carerecruit.candidates.importer import MAX_FILE_BYTES
from carerecruit.organisations.access import campaigns_visible_to

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".txt")


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_status_display().lower()})"


class ApplicationImportForm(forms.Form):
    """``cleaned_data``: ``campaign`` (one the user may see) and ``file`` (an uploaded
    file of at most MAX_FILE_BYTES, named .csv, .xlsx or .txt)."""

    campaign = CampaignChoiceField(
        label="Campaign",
        help_text="The campaign these people expressed interest in.",
        queryset=None,
        empty_label="Choose a campaign",
        error_messages={
            "required": "Choose the campaign to import into",
            "invalid_choice": "Choose a campaign from the list",
        },
    )
    file = forms.FileField(
        label="File of expressions of interest",
        help_text="A CSV file (UTF-8 or Windows-1252) or an Excel workbook (.xlsx), with the "
        "question names in the first row, as Microsoft Forms exports them.",
        error_messages={
            "required": "Choose a file to upload",
            "empty": "The file is empty",
            "invalid": "Choose a file to upload",
        },
    )

    use_required_attribute = False

    def __init__(self, user, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns_visible_to(user).order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError("The file must be a CSV or an Excel workbook (.xlsx)")
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {MAX_FILE_BYTES // 1024 // 1024} MB"
            )
        return upload
