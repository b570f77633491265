"""Staff forms: upload an export, map its platform campaigns, change a mapping."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django import forms

from carerecruit.adstats.actions import CampaignMapping, PlatformCampaignSummary
from carerecruit.adstats.models import DEFAULT_CHANNEL, Platform
from carerecruit.adstats.parsers import CURRENCY_EXPONENT
from carerecruit.campaigns.forms import LINK_CHANNELS
from carerecruit.campaigns.models import Campaign

# Larger exports belong to the command line (`carerecruit import-ad-stats`).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

CHANNEL_CHOICES = [("", "No channel")] + LINK_CHANNELS


class AdUploadForm(forms.Form):
    """The file, and what the file may not say itself: the platform and the currency."""

    file = forms.FileField(
        label="Export file",
        help_text="A CSV or XLSX file exported from Meta Ads Manager, LinkedIn Campaign Manager or Google Ads, up to 20 MB.",
        error_messages={"required": "Choose the file to import", "empty": "The file is empty"},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )
    platform = forms.ChoiceField(
        label="Ad platform",
        choices=[("", "Work it out from the file")] + list(Platform.choices),
        required=False,
        widget=forms.RadioSelect,
        initial="",
        error_messages={"invalid_choice": "Select the ad platform, or “Work it out from the file”"},
    )
    currency = forms.CharField(
        label="Ad account currency",
        help_text="Used only when the file does not say (LinkedIn's exports do not). A three-letter code, like GBP.",
        initial="GBP",
        error_messages={"required": "Enter the ad account's currency, like GBP"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 20 MB (use the import-ad-stats command for larger files)")
        return upload

    def clean_currency(self):
        code = self.cleaned_data["currency"].strip().upper()
        if code not in CURRENCY_EXPONENT:
            raise forms.ValidationError("Enter a three-letter currency code, like GBP")
        return code


def _campaign_choices(campaigns: Sequence[Campaign], blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(c.slug, c.name) for c in campaigns]


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def suggest_campaign(platform_campaign_name: str, campaigns: Sequence[Campaign]) -> Campaign | None:
    """Our campaign whose hashtag, name or slug begins the platform campaign's name
    (ignoring case, spaces and punctuation: "ComeBackToCare - Returners" → the campaign
    with hashtag #ComeBackToCare), when exactly one does. Only a pre-filled guess."""
    squashed = _squash(platform_campaign_name)
    found = []
    for campaign in campaigns:
        keys = {_squash(campaign.hashtag), _squash(campaign.name), _squash(campaign.slug)}
        if any(len(key) >= 5 and squashed.startswith(key) for key in keys):
            found.append(campaign)
    return found[0] if len(found) == 1 else None


class MappingForm(forms.Form):
    """One campaign select and one channel select per platform campaign in the file,
    pre-filled from the remembered mapping (or a guess for a new platform campaign)."""

    def __init__(self, *args, totals: Sequence[PlatformCampaignSummary], campaigns: Sequence[Campaign], platform: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.totals = list(totals)
        self.campaigns = {c.slug: c for c in campaigns}
        for i, summary in enumerate(self.totals):
            campaign = summary.campaign or suggest_campaign(summary.name, campaigns)
            channel = summary.channel if summary.campaign else DEFAULT_CHANNEL.get(platform, "")
            self.fields[f"campaign_{i}"] = forms.ChoiceField(
                label="Our campaign",
                choices=_campaign_choices(campaigns, "Choose a campaign"),
                initial=campaign.slug if campaign else "",
                error_messages={
                    "required": f"Choose our campaign for “{summary.name}”",
                    "invalid_choice": f"Choose our campaign for “{summary.name}” from the list",
                },
            )
            self.fields[f"channel_{i}"] = forms.ChoiceField(
                label="Channel", choices=CHANNEL_CHOICES, required=False, initial=channel,
                error_messages={"invalid_choice": f"Choose the channel for “{summary.name}” from the list"},
            )

    def groups(self):
        """``(summary, campaign field, channel field)`` per platform campaign, for the template."""
        return [(s, self[f"campaign_{i}"], self[f"channel_{i}"]) for i, s in enumerate(self.totals)]

    def mapping(self) -> dict[str, CampaignMapping]:
        """After is_valid(): ``{platform campaign name: CampaignMapping}``."""
        return {
            s.name: CampaignMapping(self.campaigns[self.cleaned_data[f"campaign_{i}"]], self.cleaned_data[f"channel_{i}"])
            for i, s in enumerate(self.totals)
        }


class PlatformCampaignMappingForm(forms.Form):
    """Change one platform campaign's mapping ("Not mapped" clears it)."""

    campaign = forms.ChoiceField(
        label="Our campaign", required=False,
        error_messages={"invalid_choice": "Select one of our campaigns from the list, or “Not mapped”"},
    )
    channel = forms.ChoiceField(
        label="Channel", choices=CHANNEL_CHOICES, required=False,
        error_messages={"invalid_choice": "Select a channel from the list, or “No channel”"},
    )

    def __init__(self, *args, campaigns: Sequence[Campaign], **kwargs):
        super().__init__(*args, **kwargs)
        self.campaigns = {c.slug: c for c in campaigns}
        self.fields["campaign"].choices = _campaign_choices(campaigns, "Not mapped")
        self.fields["campaign"].help_text = "Its figures count in this campaign's dashboard. Choose “Not mapped” to leave them out."

    def clean(self):
        data = super().clean()
        if data.get("channel") and not data.get("campaign"):
            self.add_error("channel", "Choose a campaign as well, or no channel")
        return data

    def mapping(self) -> CampaignMapping | None:
        slug = self.cleaned_data["campaign"]
        return CampaignMapping(self.campaigns[slug], self.cleaned_data["channel"]) if slug else None
