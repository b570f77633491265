"""The staff form for a new API token."""

from __future__ import annotations

from django import forms

from carerecruit.api.access import token_organisations
from carerecruit.lib.names import has_visible_character


class ApiTokenForm(forms.Form):
    """A name and, for users who manage several organisations, whose token it is.
    ``chosen_organisation()`` after ``is_valid()``."""

    organisation = forms.ChoiceField(
        label="Which organisation is the token for?",
        help_text="The token reads what a viewer of this organisation can read.",
        error_messages={
            "required": "Choose the organisation the token is for",
            # Django's default ("Select a valid choice. X is not one of the available choices.")
            # echoes what was posted and is not GOV.UK wording.
            "invalid_choice": "Choose the organisation the token is for from the list",
        },
    )
    name = forms.CharField(
        label="Name", max_length=100,
        help_text="What the token is for, so you know which to revoke, for example “Power BI workforce report”.",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The name must be 100 characters or fewer",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in token_organisations(user).order_by("kind", "short_name")}
        if len(self.organisations) == 1:
            self._fixed = next(iter(self.organisations.values()))
            del self.fields["organisation"]
        else:
            self._fixed = None
            self.fields["organisation"].choices = [("", "Choose an organisation")] + [
                (slug, f"{o.short_name} ({o.get_kind_display().lower()})") for slug, o in self.organisations.items()
            ]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name for the token")
        if not has_visible_character(name):
            raise forms.ValidationError(
                "Enter a name for the token using letters, numbers or symbols – it cannot be only spaces or "
                "invisible characters"
            )
        return name

    def chosen_organisation(self):
        return self._fixed or self.organisations[self.cleaned_data["organisation"]]
