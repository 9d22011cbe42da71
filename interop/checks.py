"""`manage.py check` for harvesting (registered in interop/apps.py): OAI-PMH's Identify
must give harvesters an adminEmail that reaches someone (docs/interop.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from archive.contact import is_email

from .oai import admin_emails

HINT = (
    "Set KRONIKA_OAI_ADMIN_EMAIL (comma-separated), or KRONIKA_CONTACT_EMAIL, which it "
    "falls back to (docs/configuration.md)."
)


@register(Tags.compatibility, "kronika")
def check_harvester_contact(app_configs=None, **kwargs) -> list:
    emails = admin_emails()
    if emails == [settings.DEFAULT_FROM_EMAIL] and emails[0].endswith("@localhost"):
        return [
            Warning(
                f"OAI-PMH Identify gives harvesters the adminEmail {emails[0]!r}, which "
                "reaches nobody.",
                hint=HINT,
                id="interop.W001",
            )
        ]
    wrong = [email for email in emails if not is_email(email)]
    if wrong:
        return [
            Error(
                f"OAI-PMH adminEmail {', '.join(map(repr, wrong))} is not an e-mail address.",
                hint=HINT,
                id="interop.E001",
            )
        ]
    return []
