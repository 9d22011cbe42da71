"""`manage.py check` for harvesting (interop/checks.py): OAI-PMH's adminEmail."""

from interop.checks import check_harvester_contact
from interop.oai import admin_emails


def ids() -> set[str]:
    return {problem.id for problem in check_harvester_contact()}


def without_contact(settings):
    settings.KRONIKA_OAI_ADMIN_EMAIL = ""
    settings.ADMINS = []
    settings.KRONIKA_CONTACT = {**settings.KRONIKA_CONTACT, "email": ""}
    settings.DEFAULT_FROM_EMAIL = "webmaster@localhost"


def test_an_adminemail_that_reaches_nobody_is_a_warning(settings):
    without_contact(settings)
    assert admin_emails() == ["webmaster@localhost"]
    assert ids() == {"interop.W001"}


def test_the_institutions_email_is_the_fallback(settings):
    without_contact(settings)
    settings.KRONIKA_CONTACT = {**settings.KRONIKA_CONTACT, "email": "mok@example.pl"}
    assert admin_emails() == ["mok@example.pl"]
    assert ids() == set()


def test_a_set_adminemail_passes(settings):
    without_contact(settings)
    settings.KRONIKA_OAI_ADMIN_EMAIL = "oai@example.pl, archiwum@example.pl"
    assert ids() == set()


def test_a_malformed_adminemail_is_an_error(settings):
    without_contact(settings)
    settings.KRONIKA_OAI_ADMIN_EMAIL = "oai w mok"
    assert ids() == {"interop.E001"}
