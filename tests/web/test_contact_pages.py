"""How a resident reaches the institution: the contact page, the footer of every page, the
accessibility statement, the site map for people, and `manage.py check` guarding them."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from archive.checks import check_contact_details
from archive.models import Status
from tests.factories import CollectionFactory, CollectionItemFactory, ItemFactory
from tests.web.conftest import fetch

pytestmark = pytest.mark.django_db

CONTACT = {
    "address": "Mszczonowski Ośrodek Kultury | ul. Testowa 1 | 96-320 Mszczonów",
    "email": "sekretariat@example.org",
    "phone": "+48 46 000 00 00",
    "website": "https://mok.example.org/",
    "hours": "pon.–pt. 9–17",
}


@pytest.mark.parametrize("language", ["pl", "en"])
def test_contact_page_gives_address_email_telephone_and_website(client, settings, language):
    settings.KRONIKA_CONTACT = CONTACT
    html = fetch(client, f"/{language}/contact/")
    main = re.search(r"<main.*?</main>", html, re.DOTALL).group(0)
    assert "ul. Testowa 1<br>96-320 Mszczonów" in main
    assert '<a href="mailto:sekretariat@example.org">sekretariat@example.org</a>' in main
    assert '<a href="tel:+48460000000">+48 46 000 00 00</a>' in main
    assert 'href="https://mok.example.org/"' in main
    assert "pon.–pt. 9–17" in main
    assert main.count("<h1") == 1


def test_every_page_has_the_contact_details_in_its_footer(client, settings):
    settings.KRONIKA_CONTACT = CONTACT
    for url in ("/pl/", "/en/search/", "/pl/collections/"):
        footer = re.search(r"<footer.*?</footer>", fetch(client, url), re.DOTALL).group(0)
        assert "96-320 Mszczonów" in footer
        assert 'href="mailto:sekretariat@example.org"' in footer
        assert 'href="tel:+48460000000"' in footer
        assert re.search(r'href="/(pl|en)/contact/"', footer)


def test_the_demo_defaults_show_the_sourced_contact_facts(client):
    footer = re.search(r"<footer.*?</footer>", fetch(client, "/pl/"), re.DOTALL).group(0)
    assert "Mszczonowski Ośrodek Kultury<br>96-320 Mszczonów" in footer
    assert 'href="https://mok.mszczonow.pl/"' in footer


def test_the_statement_without_a_named_person_gives_the_institutions_contact(client, settings):
    settings.KRONIKA_CONTACT = CONTACT
    settings.KRONIKA_ACCESSIBILITY = {}
    html = fetch(client, "/en/accessibility/")
    section = html[html.index('id="a11y-kontakt"') : html.index('id="a11y-procedura"')]
    assert 'href="mailto:sekretariat@example.org"' in section
    assert 'href="tel:+48460000000"' in section
    assert "ul. Testowa 1" in section
    assert 'href="/en/contact/"' in section


def test_footer_offers_a_site_map_for_people_not_raw_xml(client):
    footer = re.search(r"<footer.*?</footer>", fetch(client, "/pl/"), re.DOTALL).group(0)
    assert 'href="/pl/sitemap/"' in footer
    assert "sitemap.xml" not in footer


def test_site_map_lists_every_kind_of_page_and_nested_collections(client):
    parent = CollectionFactory(title="Historia miasta", slug="historia")
    child = CollectionFactory(title="Wrzesień 1939 i okupacja", slug="wrzesien-1939", parent=parent)
    # A collection is public while it (or one inside it) holds a published item.
    CollectionItemFactory(collection=child, item=ItemFactory())
    drafts_only = CollectionFactory(title="Szkice", slug="szkice", parent=parent)
    CollectionItemFactory(collection=drafts_only, item=ItemFactory(status=Status.DRAFT))
    html = fetch(client, "/pl/sitemap/")
    main = re.search(r"<main.*?</main>", html, re.DOTALL).group(0)
    for path in (
        "/pl/",
        "/pl/search/",
        "/pl/browse/",
        "/pl/browse/places/",
        "/pl/collections/",
        "/pl/collections/historia/",
        "/pl/collections/wrzesien-1939/",
        "/pl/about/",
        "/pl/contact/",
        "/pl/accessibility/",
        "/sitemap.xml",
    ):
        assert f'href="{path}"' in main, path
    # Its page is a 404 for the public, so the site map does not link it.
    assert "/pl/collections/szkice/" not in main


def test_sitemap_xml_lists_the_contact_page_and_the_site_map(client):
    xml = client.get("/sitemap.xml").content.decode()
    for path in ("/pl/contact/", "/en/contact/", "/pl/sitemap/", "/en/sitemap/"):
        assert f"http://testserver{path}</loc>" in xml, path


# --- manage.py check -------------------------------------------------------------------------


def _ids(settings_contact, settings):
    settings.KRONIKA_CONTACT = settings_contact
    return {problem.id for problem in check_contact_details()}


def test_check_passes_a_complete_contact(settings):
    assert _ids(CONTACT, settings) == set()


def test_check_stops_a_site_without_an_address_or_any_way_of_contact(settings):
    assert _ids({"address": "", "email": "", "phone": "", "website": ""}, settings) == {
        "kronika.E001",
        "kronika.E002",
        "kronika.W001",
        "kronika.W002",
    }
    settings.KRONIKA_CONTACT = {"address": "", "email": "", "phone": "", "website": ""}
    with pytest.raises(SystemCheckError, match=r"kronika\.E001"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


def test_check_refuses_a_malformed_email_or_short_telephone(settings):
    bad = {**CONTACT, "email": "sekretariat w mok", "phone": "12 34"}
    assert _ids(bad, settings) == {"kronika.E003", "kronika.E004"}


def test_check_warns_when_the_statutory_email_or_telephone_is_missing(settings):
    assert _ids({**CONTACT, "email": "", "phone": ""}, settings) == {
        "kronika.W001",
        "kronika.W002",
    }
    problems = {p.id: p for p in check_contact_details()}
    assert "KRONIKA_CONTACT_EMAIL" in problems["kronika.W001"].hint
