"""`manage.py check` for the settings residents depend on (registered in archive/apps.py).

The accessibility statement that Polish public bodies must publish (Act of 4 April 2019)
has to say how to reach the institution: a deployment without an address, or with no way
of contact at all, stops `check`; a missing e-mail or telephone is a warning, because the
statutory template asks for both (the statement's own contact, KRONIKA_A11Y_CONTACT_*, or
else the institution's). A statement setting that cannot be read (a date, the compliance
level) is an error here; the page itself never fails on it (archive/views.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .contact import contact_details, is_email

HINT = (
    "Set it in the environment (docs/website.md, 'Contact details'): "
    "KRONIKA_INSTITUTION_ADDRESS, KRONIKA_CONTACT_EMAIL, KRONIKA_CONTACT_PHONE, "
    "KRONIKA_CONTACT_WEBSITE."
)


@register(Tags.compatibility, "kronika")
def check_contact_details(app_configs=None, **kwargs) -> list:
    contact = contact_details()
    problems = []
    if not contact.address_lines:
        problems.append(
            Error(
                "KRONIKA_CONTACT has no postal address: the contact page and the "
                "accessibility statement cannot say where the institution is.",
                hint=HINT,
                id="kronika.E001",
            )
        )
    if not (contact.email or contact.phone or contact.website):
        problems.append(
            Error(
                "KRONIKA_CONTACT gives no way to reach the institution (no e-mail, "
                "telephone or website).",
                hint=HINT,
                id="kronika.E002",
            )
        )
    statement = settings.KRONIKA_ACCESSIBILITY
    if not contact.email and not statement.get("contact_email"):
        problems.append(
            Warning(
                "KRONIKA_CONTACT_EMAIL is not set: the accessibility statement should give "
                "an e-mail address for requests and complaints.",
                hint=HINT,
                id="kronika.W001",
            )
        )
    elif contact.email and not contact.email_is_valid:
        problems.append(
            Error(
                f"KRONIKA_CONTACT_EMAIL {contact.email!r} is not an e-mail address.",
                hint=HINT,
                id="kronika.E003",
            )
        )
    if not contact.phone and not statement.get("contact_phone"):
        problems.append(
            Warning(
                "KRONIKA_CONTACT_PHONE is not set: the accessibility statement should give a "
                "telephone number.",
                hint=HINT,
                id="kronika.W002",
            )
        )
    elif contact.phone and len(contact.phone_uri.lstrip("+")) < 9:
        problems.append(
            Error(
                f"KRONIKA_CONTACT_PHONE {contact.phone!r} has fewer than 9 digits.",
                hint=HINT,
                id="kronika.E004",
            )
        )
    return problems


A11Y_HINT = (
    "Set the KRONIKA_A11Y_* variables as docs/website.md ('The accessibility statement') describes."
)
A11Y_DATES = {
    "site_published": "KRONIKA_A11Y_SITE_PUBLISHED",
    "site_updated": "KRONIKA_A11Y_SITE_UPDATED",
    "statement_prepared": "KRONIKA_A11Y_STATEMENT_PREPARED",
    "statement_reviewed": "KRONIKA_A11Y_STATEMENT_REVIEWED",
}
A11Y_CHOICES = {
    "compliance": ("KRONIKA_A11Y_COMPLIANCE", ("full", "partial", "none")),
    "assessment": ("KRONIKA_A11Y_ASSESSMENT", ("self", "external")),
}


@register(Tags.compatibility, "kronika")
def check_accessibility_statement(app_configs=None, **kwargs) -> list:
    """The statement's settings as the page reads them: dates, choices, its e-mail."""
    statement = {k: str(v or "").strip() for k, v in settings.KRONIKA_ACCESSIBILITY.items()}
    problems = []
    for key, variable in A11Y_DATES.items():
        text = statement.get(key, "")
        try:
            if text:
                datetime.date.fromisoformat(text)
        except ValueError:
            problems.append(
                Error(
                    f"{variable} {text!r} is not a date written YYYY-MM-DD: the "
                    "accessibility statement would show it as not filled in.",
                    hint=A11Y_HINT,
                    id="kronika.E005",
                )
            )
    for key, (variable, choices) in A11Y_CHOICES.items():
        if statement.get(key, "") not in choices:
            problems.append(
                Error(
                    f"{variable} {statement.get(key, '')!r} is not one of {', '.join(choices)}.",
                    hint=A11Y_HINT,
                    id="kronika.E006",
                )
            )
    email = statement.get("contact_email", "")
    if email and not is_email(email):
        problems.append(
            Error(
                f"KRONIKA_A11Y_CONTACT_EMAIL {email!r} is not an e-mail address.",
                hint=A11Y_HINT,
                id="kronika.E007",
            )
        )
    return problems
