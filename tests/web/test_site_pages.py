"""About page, the accessibility statement (deklaracja dostępności), sitemap.xml."""

import re
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from archive.models import Status
from tests.factories import (
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    MediaFileFactory,
)
from tests.media import samples
from tests.web.conftest import fetch

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


# --- about -----------------------------------------------------------------------------------


def test_about_page_explains_the_archive_and_its_licences(client, settings):
    settings.KRONIKA_INSTITUTION = "Gminny Ośrodek Kultury w Testowie"
    ItemFactory.create_batch(3)
    ItemFactory(status=Status.DRAFT)
    html = fetch(client, "/en/about/")
    assert "Gminny Ośrodek Kultury w Testowie" in html
    assert "3 published items" in html
    assert "Creative Commons Attribution 4.0" in html  # each licence, explained
    assert 'href="/en/accessibility/"' in html
    assert html.count("<h1") == 1


def test_every_page_links_the_about_page_and_the_statement_from_the_footer(client):
    html = fetch(client, "/pl/")
    footer = re.search(r"<footer.*?</footer>", html, re.DOTALL).group(0)
    assert 'href="/pl/about/"' in footer and 'href="/pl/accessibility/"' in footer
    assert (
        '<meta name="deklaracja-dostępności" content="http://testserver/pl/accessibility/">' in html
    )


# --- accessibility statement -----------------------------------------------------------------


def test_statement_follows_the_statutory_structure(client, settings):
    settings.KRONIKA_INSTITUTION = "Mszczonowski Ośrodek Kultury"
    html = fetch(client, "/en/accessibility/")
    intro = re.search(r'<p id="a11y-wstep">.*?</p>', html, re.DOTALL).group(0)
    assert '<span id="a11y-podmiot">Mszczonowski Ośrodek Kultury</span>' in intro
    assert 'id="a11y-url" href="http://testserver/"' in intro
    assert "Act of 4 April 2019" in intro
    main = re.search(r"<main.*?</main>", html, re.DOTALL).group(0)
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", main)
    assert headings == [
        "Compliance status",
        "Preparation of the accessibility statement",
        "Feedback and contact details",
        "Enforcement procedure",
        "Architectural accessibility",
        "Mobile applications",
    ]
    for anchor in (
        "a11y-data-publikacja",
        "a11y-data-aktualizacja",
        "a11y-status",
        "a11y-data-sporzadzenie",
        "a11y-kontakt",
        "a11y-procedura",
        "a11y-architektura",
    ):
        assert f'id="{anchor}"' in html, anchor
    assert "żądanie zapewnienia dostępności" in html
    assert "Rzecznik Praw Obywatelskich" in html and 'href="https://bip.brpo.gov.pl/"' in html
    assert "within 7 days" in html and "2 months" in html
    assert html.count("<h1") == 1


def test_statement_with_nothing_configured_says_so_honestly(client, settings):
    settings.KRONIKA_ACCESSIBILITY = {}
    html = fetch(client, "/en/accessibility/")
    assert '<span id="a11y-data-publikacja">not filled in yet</span>' in html
    assert "has not yet named on this page the person responsible" in html
    assert "has not yet published here a description of the accessibility of its building" in html
    assert "partially compliant" in html  # the honest default
    assert "mailto:" not in html


def test_statement_shows_the_configured_contact_dates_and_building(client, settings):
    settings.KRONIKA_ACCESSIBILITY = {
        "contact_name": "Anna Nowak",
        "contact_email": "dostepnosc@example.org",
        "contact_phone": "+48 46 857 00 00",
        "site_published": "2026-01-15",
        "site_updated": "2026-11-02",
        "statement_prepared": "2026-03-01",
        "statement_reviewed": "not a date",
        "compliance": "full",
        "assessment": "external",
        "assessor": "Fundacja Audytowa",
        "architecture": "Wejście główne od ul. Testowej, bez progów.\nWinda na piętro.",
        "institution_address": "ul. Testowa 1, 96-320 Mszczonów",
    }
    html = fetch(client, "/en/accessibility/")
    assert '<span id="a11y-osoba">Anna Nowak</span>' in html
    assert '<a id="a11y-email" href="mailto:dostepnosc@example.org">' in html
    assert 'href="tel:+48468570000"' in html
    assert '<time id="a11y-data-publikacja" datetime="2026-01-15">' in html
    assert '<time id="a11y-data-aktualizacja" datetime="2026-11-02">' in html
    assert '<span id="a11y-data-przeglad">not filled in yet</span>' in html  # bad date, not 500
    assert "is fully compliant" in html and "Content that is not accessible" not in html
    assert '<span id="a11y-audytor">Fundacja Audytowa</span>' in html
    assert (
        '<div lang="pl"><p>Wejście główne od ul. Testowej, bez progów.<br>'
        "Winda na piętro.</p></div>" in html
    )
    assert "ul. Testowa 1, 96-320 Mszczonów" in html


def test_statement_escapes_configured_text(client, settings):
    settings.KRONIKA_ACCESSIBILITY = {
        "contact_name": "<script>alert(1)</script>",
        "architecture": "<b>x</b>",
    }
    html = fetch(client, "/pl/accessibility/")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<b>x</b>" not in html


# --- sitemap ---------------------------------------------------------------------------------


def sitemap_urls(client, url: str = "/sitemap.xml") -> tuple[list[str], ElementTree.Element]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own response)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")], root


def test_sitemap_lists_published_items_in_both_languages_and_never_drafts(client):
    published = ItemFactory(identifier="MOK-F-0001")
    ItemFactory(identifier="MOK-F-0002", status=Status.DRAFT)
    collection = CollectionFactory(slug="zabytki")
    CollectionItemFactory(collection=collection, item=published)
    CollectionFactory(slug="tylko-szkice")  # no published item: not a public page
    urls, root = sitemap_urls(client)
    assert f"http://testserver/pl/items/{published.identifier}/" in urls
    assert f"http://testserver/en/items/{published.identifier}/" in urls
    assert not any("MOK-F-0002" in url for url in urls)
    assert f"http://testserver/pl/collections/{collection.slug}/" in urls
    assert not any("tylko-szkice" in url for url in urls)
    for page in (
        "",
        "browse/",
        "browse/types/",
        "browse/periods/",
        "browse/places/",
        "browse/subjects/",
        "about/",
        "accessibility/",
        "collections/",
        "lessons/",
        "stories/",
        "search/",
    ):
        for language in ("pl", "en"):
            assert f"http://testserver/{language}/{page}" in urls, page
    # Each entry names its twin in the other language.
    entry = next(
        u
        for u in root.iter(f"{SITEMAP}url")
        if u.find(f"{SITEMAP}loc").text.endswith("/pl/items/MOK-F-0001/")
    )
    alternates = {link.get("hreflang"): link.get("href") for link in entry.iter(f"{XHTML}link")}
    assert alternates["en"] == "http://testserver/en/items/MOK-F-0001/"
    assert alternates["pl"] == "http://testserver/pl/items/MOK-F-0001/"


def test_sitemap_lists_published_lessons_and_stories_with_lastmod_never_drafts(client):
    from curation.models import Lesson, LessonStep, Story

    item = ItemFactory()
    lesson = Lesson.objects.create(title="Wojna", slug="wojna")
    LessonStep.objects.create(lesson=lesson, heading="Krok", item=item)
    lesson.publish()
    Lesson.objects.create(title="Szkic lekcji", slug="szkic-lekcji")
    story = Story.objects.create(title="Herb", slug="herb")
    story.publish()
    Story.objects.create(title="Szkic", slug="szkic-opowiesci", status=Status.REVIEW)
    urls, root = sitemap_urls(client)
    for language in ("pl", "en"):
        assert f"http://testserver/{language}/lessons/wojna/" in urls
        assert f"http://testserver/{language}/stories/herb/" in urls
    assert not any("szkic" in url for url in urls)
    entry = next(
        u
        for u in root.iter(f"{SITEMAP}url")
        if u.find(f"{SITEMAP}loc").text.endswith("/en/lessons/wojna/")
    )
    lesson.refresh_from_db()
    assert entry.find(f"{SITEMAP}lastmod").text == timezone.localdate(lesson.modified).isoformat()
    alternates = {link.get("hreflang"): link.get("href") for link in entry.iter(f"{XHTML}link")}
    assert alternates["pl"] == "http://testserver/pl/lessons/wojna/"
    for url in urls:
        if "/lessons/" in url or "/stories/" in url:
            assert client.get(url.removeprefix("http://testserver")).status_code == 200, url


def test_every_sitemap_url_answers(client):
    item = ItemFactory()
    CollectionFactory()
    urls, _ = sitemap_urls(client)
    assert f"http://testserver/en/items/{item.identifier}/" in urls
    for url in urls:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url


def test_large_catalogue_gets_a_sitemap_index_with_pages(client, monkeypatch):
    from archive.sitemaps import ItemSitemap

    monkeypatch.setattr(ItemSitemap, "limit", 4)
    items = ItemFactory.create_batch(5)  # ten URLs in two languages: three pages of four
    urls, root = sitemap_urls(client)
    assert root.tag == f"{SITEMAP}sitemapindex"
    assert "http://testserver/sitemap.xml?section=items&p=3" in urls
    listed = []
    for page_url in urls:
        listed += sitemap_urls(client, page_url.removeprefix("http://testserver"))[0]
    for item in items:
        assert f"http://testserver/en/items/{item.identifier}/" in listed
    assert client.get("/sitemap.xml?section=nothing").status_code == 404


# --- item page: schema.org JSON-LD -----------------------------------------------------------


def json_ld_blocks(html: str) -> list[dict]:
    import json

    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def test_item_page_embeds_the_schema_org_description(client):
    from archive.linked_data import item_schema_org

    item = ItemFactory(title="Rynek w Mszczonowie", date="1920~")
    html = fetch(client, f"/pl/items/{item.identifier}/")
    [data] = json_ld_blocks(html)
    assert data["@context"] == "https://schema.org"
    assert data["identifier"] == item.identifier
    assert data["name"] == "Rynek w Mszczonowie"
    assert data["url"] == f"http://testserver/pl/items/{item.identifier}/"
    assert data.keys() == item_schema_org(item, None).keys()


def test_json_ld_cannot_be_broken_out_of(client):
    item = ItemFactory(
        title="</script><script>alert(1)</script>",
        description="<!-- </script> & <b>",
    )
    html = fetch(client, f"/pl/items/{item.identifier}/")
    assert "<script>alert(1)" not in html
    assert html.count("</script>") == 1  # only the JSON-LD element's own end
    [data] = json_ld_blocks(html)
    assert data["name"] == "</script><script>alert(1)</script>"


def test_draft_pages_seen_by_staff_carry_no_json_ld(archivist_client):
    draft = ItemFactory(status=Status.DRAFT)
    html = fetch(archivist_client, f"/pl/items/{draft.identifier}/")
    assert json_ld_blocks(html) == []
    assert '<meta name="robots" content="noindex">' in html


def test_item_page_plays_audio_and_links_documents_with_their_transcript(client):
    from django.core.files.base import ContentFile

    item = ItemFactory()
    pdf = MediaFileFactory(
        item=item,
        file=ContentFile(samples.pdf(), name="akt.pdf"),
        caption="Akt nadania praw miejskich",
        transcript="Tekst aktu przepisany.",
    )
    html = fetch(client, f"/pl/items/{item.identifier}/")
    files = re.search(r'<section class="item-files".*?</section>', html, re.S).group(0)
    assert f'href="{pdf.file.url}"' in files
    assert "Akt nadania praw miejskich" in files
    assert "Tekst aktu przepisany." in files
    assert client.get(pdf.file.url).status_code == 200


# --- robots.txt ------------------------------------------------------------------------------


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin_and_results(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for prefix in ("/pl/", "/en/"):
        assert f"Disallow: {prefix}admin/" in lines
        assert f"Disallow: {prefix}search/?" in lines
    assert "Disallow: /api/" in lines and "Disallow: /oai/" in lines
    # Public pages stay crawlable: nothing disallows the site as a whole or an item page.
    assert "Disallow: /" not in lines
    assert not any(line.startswith("Disallow: /pl/items") for line in lines)
    assert client.get("/sitemap.xml").status_code == 200
