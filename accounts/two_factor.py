"""The second factor: a TOTP authenticator app (django-otp), optional for staff, or required
of them by KRONIKA_REQUIRE_2FA.

One device per person. A person who has one gives its current code at the admin login
(accounts.forms.LoginForm) and at POST auth/token/ (`otp_token`); a session that has not
given it yet (the device was set up in another session) is asked for it before the admin
opens, and counts as logged out elsewhere (accounts.middleware). A wrong code counts as a
failed login for the lockout (django-axes), as a wrong password does; a code is good once.
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

VERIFY = "verify"
SETUP = "setup"
DEVICE_NAME = "Kronika"
WRONG_CODE = object()


def device_of(user) -> TOTPDevice | None:
    """The person's confirmed authenticator, or None."""
    if user is None or not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def required_for(user) -> bool:
    """Must this person use a second factor (KRONIKA_REQUIRE_2FA: every staff user)?"""
    return bool(settings.KRONIKA_REQUIRE_2FA and user.is_authenticated and user.is_staff)


def pending_step(user) -> str | None:
    """What a logged-in session still owes: VERIFY (give the code), SETUP (set up a device
    first, when it is required), or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if device_of(user) is not None:
        return VERIFY
    if required_for(user):
        return SETUP
    return None


def normalise(code: str) -> str:
    """Apps show codes as "123 456"; people type them so."""
    return "".join((code or "").split())


def check_code(user, code: str, request=None, device: TOTPDevice | None = None) -> TOTPDevice:
    """The device that accepts `code` for `user` (its own confirmed one unless `device` is
    given), or ValidationError saying why not. A wrong code is reported to the lockout as a
    failed login for the account (from the request's address)."""
    code = normalise(code)
    if not code:
        raise ValidationError(
            _("Enter the 6-digit code from your authenticator app."), code="otp_required"
        )
    with transaction.atomic():
        queryset = TOTPDevice.objects.select_for_update().filter(user=user)
        device = queryset.filter(pk=device.pk).first() if device else None
        device = device or queryset.filter(confirmed=True).order_by("pk").first()
        if device is None:
            raise ValidationError(_("No authenticator app is set up."), code="otp_no_device")
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            refusal = ValidationError(
                _("Too many wrong codes in a row: wait a minute, then enter the newest code."),
                code="otp_throttled",
            )
        elif code.isascii() and code.isdigit() and len(code) <= 10:
            # verify_token counts a wrong code itself, and refuses a code used before.
            refusal = None if device.verify_token(code) else WRONG_CODE
        else:
            device.throttle_increment()
            refusal = WRONG_CODE
    if refusal is not None:
        # Every refused code is a failed login for the lockout, as a wrong password is.
        if request is not None:
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=request
            )
        if refusal is WRONG_CODE:
            refusal = ValidationError(
                _(
                    "The code is wrong, has expired or was already used. Enter the newest "
                    "code from your authenticator app."
                ),
                code="otp_invalid",
            )
        raise refusal
    return device


def start_setup(user) -> TOTPDevice:
    """A new, unconfirmed device with a fresh secret (any earlier unconfirmed one goes)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def confirm(device: TOTPDevice) -> None:
    """The new device replaces the person's old one."""
    TOTPDevice.objects.filter(user=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def remove(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()


def secret_of(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_url(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG in a data: URL (allowed by the CSP)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
