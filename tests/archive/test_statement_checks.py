"""`manage.py check` for the accessibility statement's settings (archive/checks.py), and
the contact warnings read together with the statement's own contact."""

import pytest

from archive.checks import check_accessibility_statement, check_contact_details

STATEMENT = {
    "contact_name": "Anna Nowak",
    "contact_email": "dostepnosc@mok.example.pl",
    "contact_phone": "+48 46 000 00 00",
    "site_published": "2025-01-15",
    "site_updated": "2026-11-30",
    "statement_prepared": "2025-01-15",
    "statement_reviewed": "",
    "compliance": "partial",
    "assessment": "self",
    "assessor": "",
    "architecture": "",
}


def ids(settings, **changes) -> set[str]:
    settings.KRONIKA_ACCESSIBILITY = {**STATEMENT, **changes}
    return {problem.id for problem in check_accessibility_statement()}


def test_a_complete_statement_passes(settings):
    assert ids(settings) == set()


@pytest.mark.parametrize("key", ["site_published", "statement_reviewed"])
def test_a_date_not_written_yyyy_mm_dd_is_an_error(settings, key):
    assert ids(settings, **{key: "15.01.2025"}) == {"kronika.E005"}


@pytest.mark.parametrize(
    "key, value", [("compliance", "czesciowa"), ("assessment", "audyt"), ("compliance", "")]
)
def test_an_unknown_compliance_or_assessment_is_an_error(settings, key, value):
    assert ids(settings, **{key: value}) == {"kronika.E006"}


def test_a_malformed_statement_email_is_an_error(settings):
    assert ids(settings, contact_email="dostepnosc w mok") == {"kronika.E007"}


def test_the_statements_own_contact_answers_the_contact_warnings(settings):
    """W001/W002 ask for an e-mail and telephone in the statement: its own contact will do."""
    settings.KRONIKA_CONTACT = {**settings.KRONIKA_CONTACT, "email": "", "phone": ""}
    settings.KRONIKA_ACCESSIBILITY = STATEMENT
    assert {p.id for p in check_contact_details()} == set()
    settings.KRONIKA_ACCESSIBILITY = {**STATEMENT, "contact_email": "", "contact_phone": ""}
    assert {p.id for p in check_contact_details()} == {"kronika.W001", "kronika.W002"}
