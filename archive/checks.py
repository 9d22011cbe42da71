"""`manage.py check` for the settings residents depend on (registered in archive/apps.py).

The accessibility statement that Polish public bodies must publish (Act of 4 April 2019)
has to say how to reach the institution: a deployment without an address, or with no way
of contact at all, stops `check`; a missing e-mail or telephone is a warning, because the
statutory template asks for both.
"""

from __future__ import annotations

from django.core.checks import Error, Tags, Warning, register

from .contact import contact_details

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
    if not contact.email:
        problems.append(
            Warning(
                "KRONIKA_CONTACT_EMAIL is not set: the accessibility statement should give "
                "an e-mail address for requests and complaints.",
                hint=HINT,
                id="kronika.W001",
            )
        )
    elif not contact.email_is_valid:
        problems.append(
            Error(
                f"KRONIKA_CONTACT_EMAIL {contact.email!r} is not an e-mail address.",
                hint=HINT,
                id="kronika.E003",
            )
        )
    if not contact.phone:
        problems.append(
            Warning(
                "KRONIKA_CONTACT_PHONE is not set: the accessibility statement should give a "
                "telephone number.",
                hint=HINT,
                id="kronika.W002",
            )
        )
    elif len(contact.phone_uri.lstrip("+")) < 9:
        problems.append(
            Error(
                f"KRONIKA_CONTACT_PHONE {contact.phone!r} has fewer than 9 digits.",
                hint=HINT,
                id="kronika.E004",
            )
        )
    return problems
