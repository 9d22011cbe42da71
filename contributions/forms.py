"""The residents' form: a memory, an identification or a correction, with consent."""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import filesizeformat
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from media.privacy import public_copy
from media.validation import inspect_upload

from .models import Contribution

# Control characters other than line breaks and tabs never belong in a memory.
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def plain_text(value: str) -> str:
    """The text as typed, without markup or control characters, spaces trimmed."""
    return strip_tags(value.translate(_CONTROL)).replace("\r\n", "\n").strip()


class ContributionForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_(
            "I have read the information on how my data is processed and I agree that the "
            "archive may keep and, after checking, publish what I have written."
        ),
        required=True,
        error_messages={"required": _("Without your consent we cannot accept the form.")},
    )
    # A field people do not see and robots fill in.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    class Meta:
        model = Contribution
        fields = ["kind", "text", "name", "email", "photo"]
        labels = {
            "kind": _("What would you like to tell us?"),
            "text": _("Your text"),
            "name": _("Name to show with your text (optional)"),
            "email": _("E-mail, if you would like a reply (optional)"),
            "photo": _("Your own photograph (optional)"),
        }
        help_texts = {
            "text": _(
                "For example: who is second from the left, when the photograph was taken, "
                "what you remember of this place. Plain text, no links needed."
            ),
            "name": _("Leave empty to be shown as “anonymous”."),
            "email": _("We never show it; we use it only to answer you."),
            "photo": _(
                "A JPEG, PNG or WebP picture you took or own. We remove location and camera "
                "data from it. Largest file: %(size)s."
            ),
        }
        error_messages = {
            "kind": {
                "required": _("Choose what you would like to tell us."),
                "invalid_choice": _("Choose what you would like to tell us."),
            },
            "text": {"required": _("Please write a few words.")},
            "name": {
                "max_length": _("The name to show can have at most %(limit_value)d characters.")
            },
            "email": {"invalid": _("The e-mail address is not valid, e.g. jan@example.com.")},
        }
        widgets = {
            "kind": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.KRONIKA_CONTRIBUTION_MAX_TEXT
        self.fields["text"].widget.attrs["maxlength"] = limit
        self.fields["text"].validators.append(MaxLengthValidator(limit))
        self.fields["photo"].help_text = self.fields["photo"].help_text % {
            "size": filesizeformat(settings.KRONIKA_CONTRIBUTION_MAX_PHOTO_BYTES)
        }
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        self.fields["kind"].choices = Contribution.Kind.choices
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        for name in ("name", "email"):
            self.fields[name].widget.attrs["autocomplete"] = {"name": "name", "email": "email"}[
                name
            ]
        self.photo_bytes: bytes | None = None

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(
                _("The form could not be accepted. Please leave the last field empty."),
                code="honeypot",
            )
        return ""

    def clean_text(self) -> str:
        text = plain_text(self.cleaned_data.get("text", ""))
        if len(text) < 3:
            raise ValidationError(_("Please write a few words."), code="too_short")
        return text

    def clean_name(self) -> str:
        return plain_text(self.cleaned_data.get("name", ""))

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return photo
        if photo.size > settings.KRONIKA_CONTRIBUTION_MAX_PHOTO_BYTES:
            raise ValidationError(
                _("The photograph is %(size)s; the largest file accepted is %(limit)s.")
                % {
                    "size": filesizeformat(photo.size),
                    "limit": filesizeformat(settings.KRONIKA_CONTRIBUTION_MAX_PHOTO_BYTES),
                },
                code="too_big",
            )
        inspection = inspect_upload(photo)
        if inspection.kind != "image" or inspection.extension not in (".jpg", ".png", ".webp"):
            raise ValidationError(
                _("Please send a photograph as a JPEG, PNG or WebP file."), code="not_a_photo"
            )
        # Only a copy without EXIF, GPS or XMP is ever stored.
        self.photo_bytes = public_copy(photo)
        self.photo_size = (inspection.width, inspection.height)
        self.photo_extension = inspection.extension
        photo.seek(0)
        return photo

    def stripped_photo(self) -> io.BytesIO | None:
        return io.BytesIO(self.photo_bytes) if self.photo_bytes is not None else None
