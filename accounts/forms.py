"""The admin login with an optional second factor, and the forms of the two-factor pages."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import two_factor


class CodeField(forms.CharField):
    """Six digits from an authenticator app (spaces allowed: apps show "123 456")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code from the authenticator app"))
        kwargs.setdefault("max_length", 16)
        super().__init__(
            widget=forms.TextInput(
                attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
            ),
            **kwargs,
        )


class LoginForm(AdminAuthenticationForm):
    """Username and password; and the authenticator code, for people who have set one up.

    Without a device the code is not asked for (unless KRONIKA_REQUIRE_2FA, and then the
    admin sends the person to set one up right after the login)."""

    otp_token = CodeField(
        required=False,
        help_text=_("Only if you use two-factor authentication: the 6 digits your app shows."),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and two_factor.device_of(user) is not None:
            try:
                # django-otp keeps the device in the session when the login completes.
                user.otp_device = two_factor.check_code(
                    user, cleaned_data.get("otp_token", ""), self.request
                )
            except ValidationError as exc:
                self.add_error("otp_token", exc)
        return cleaned_data


class CodeForm(forms.Form):
    """A code checked against the person's device (or the one being set up)."""

    otp_token = CodeField()

    def __init__(self, *args, user, request, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.request, self.device = user, request, device

    def clean_otp_token(self):
        code = self.cleaned_data["otp_token"]
        self.accepted = two_factor.check_code(self.user, code, self.request, self.device)
        return code
