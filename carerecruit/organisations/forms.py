"""Staff sign-in and password reset forms, worded and rendered the GOV.UK way.

They subclass Django's auth forms, so authentication, token checks and password
validation stay Django's; only the labels, hints and error messages change (GOV.UK
Design System error-message guidance: say what to do, not what went wrong).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError


class StaffAuthenticationForm(AuthenticationForm):
    """Username and password sign-in.

    A wrong username and a wrong password give the same message, attached to the password
    field so the error summary can link to it; neither reveals whether the username exists.
    """

    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "Enter a correct username and password",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        # GOV.UK pages do not move focus on load: it skips the heading for screen readers.
        username.widget.attrs.pop("autofocus", None)
        username.widget.attrs.update({"spellcheck": "false", "autocomplete": "username"})
        username.error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            self.add_error("password", error)
            return self.cleaned_data


class StaffPasswordResetForm(PasswordResetForm):
    """Asks for the e-mail address of the account. Whether or not an account has that
    address, the next page is the same (Django sends mail only to active accounts)."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        help_text="The address you use for your staff account",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


class StaffSetPasswordForm(SetPasswordForm):
    """Choose a new password from a reset link; validators from AUTH_PASSWORD_VALIDATORS."""

    error_messages = {"password_mismatch": "The passwords do not match"}

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.help_text = (
            "At least 8 characters. It must not be a common password, only numbers, "
            "or like your name or username."
        )
        first.error_messages["required"] = "Enter a new password"
        second.label = "Confirm new password"
        second.help_text = ""
        second.error_messages["required"] = "Confirm your new password"

    def clean(self):
        # Django reports weak passwords on the confirmation box; show them on the first
        # box instead, where the password is chosen.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data
