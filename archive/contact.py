"""How residents reach the institution: one reading of settings.KRONIKA_CONTACT, shared by
the contact page, the footer, the accessibility statement and `manage.py check`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings

# Lines of an address given in one environment variable: a newline or " | ".
_LINE_BREAK = re.compile(r"\s*(?:\n|\|)\s*")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_email(text: str) -> bool:
    """Looks like an e-mail address (one @, a dot in the domain, no spaces)."""
    return bool(_EMAIL.match(text))


@dataclass(frozen=True)
class Contact:
    address_lines: list[str] = field(default_factory=list)
    email: str = ""
    phone: str = ""
    website: str = ""
    hours: str = ""

    @property
    def phone_uri(self) -> str:
        """The telephone number for a `tel:` link (digits and a leading +)."""
        return re.sub(r"[^\d+]", "", self.phone)

    @property
    def email_is_valid(self) -> bool:
        return is_email(self.email)


def contact_details() -> Contact:
    raw = {key: str(value or "").strip() for key, value in settings.KRONIKA_CONTACT.items()}
    return Contact(
        address_lines=[line for line in _LINE_BREAK.split(raw.get("address", "")) if line],
        email=raw.get("email", ""),
        phone=raw.get("phone", ""),
        website=raw.get("website", ""),
        hours=raw.get("hours", ""),
    )
