"""The item page as a resident or a teacher uses it: citation, links onward, people pages,
previous/next, downloads with sensible names, sharing previews, IIIF, the feed."""

import datetime
import re
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from archive.citation import item_citation
from archive.models import Agent, ItemCreator, Licence, Status
from search.backends import base
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    MediaFileFactory,
    PlaceFactory,
    SubjectFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def church(**kwargs):
    defaults = {
        "identifier": "MOK-F-0001",
        "title": "Kościół we Mszczonowie",
        "title_en": "The church in Mszczonów",
        "date": "192X",
        "licence": Licence.objects.get(code="PDM"),
        "rights_holder": "Parafia św. Jana",
    }
    item = ItemFactory(**{**defaults, **kwargs})
    ItemCreator.objects.create(
        item=item, agent=AgentFactory(name="Jan Kowalski", slug="jan-kowalski"), role="photographer"
    )
    ItemCreator.objects.create(
        item=item, agent=AgentFactory(name="Anna Nowak", slug="anna-nowak"), role="depicted"
    )
    return item


# --- citation --------------------------------------------------------------------------------


def test_polish_citation_names_creator_surname_first_licence_and_access_date():
    item = church()
    with translation.override("pl"):
        citation = item_citation(
            item, "https://kronika.example/pl/items/MOK-F-0001/", datetime.date(2026, 12, 4)
        )
        text = citation.text()
        accessed = gettext("[accessed %(date)s]") % {"date": "4 grudnia 2026"}
        reference = gettext("ref. %(identifier)s") % {"identifier": "MOK-F-0001"}
    # PN-ISO 690: creator surname first, title, date, institution, reference, [online].
    assert text.startswith("Kowalski, Jan. Kościół we Mszczonowie [fotografia]. Lata 20. XX w. ")
    assert ".." not in text
    assert "Anna Nowak" not in text and "Nowak" not in text  # shown, not the maker
    assert "Domena publiczna (Public Domain Mark 1.0)." in text
    assert " PDM" not in text
    assert f"Mszczonowski Ośrodek Kultury, {reference} [online]." in text
    assert f"https://kronika.example/pl/items/MOK-F-0001/ {accessed}." in text


def test_english_citation_on_the_page_has_licence_name_and_access_date(client):
    church(licence=Licence.objects.get(code="InC"))
    html = page(client, "/en/items/MOK-F-0001/")
    cited = re.search(r'<p class="citation">(.*?)</p>', html, re.DOTALL).group(1)
    assert cited.startswith(
        "Kowalski, Jan. <cite>The church in Mszczonów</cite> [photograph]. The 1920s. "
        "Mszczonowski Ośrodek Kultury, ref. MOK-F-0001 [online]. "
    )
    assert "Licence: In Copyright." in cited and "InC" not in cited
    today = timezone.localdate()  # the site's day, not the machine's
    assert f"[accessed {today.day} {today:%B} {today.year}]." in cited
    assert "Available at: http://testserver/en/items/MOK-F-0001/ " in cited


def test_english_citation_marks_a_polish_title_as_polish(client):
    church(title_en="")
    html = page(client, "/en/items/MOK-F-0001/")
    cited = re.search(r'<p class="citation">(.*?)</p>', html, re.DOTALL).group(1)
    assert '<cite lang="pl">Kościół we Mszczonowie</cite>' in cited
    polish = page(client, "/pl/items/MOK-F-0001/")
    assert "<cite>Kościół we Mszczonowie</cite>" in polish  # the page itself is Polish


# --- links onward and people pages -----------------------------------------------------------


def test_subjects_places_and_creators_are_links(client):
    item = church()
    item.subjects.add(SubjectFactory(name="Kościoły", slug="koscioly"))
    item.places.add(PlaceFactory(name="Mszczonów", slug="mszczonow"))
    html = page(client, "/pl/items/MOK-F-0001/")
    assert '<a href="/pl/search/?subject=koscioly">Kościoły</a>' in html
    assert '<a href="/pl/search/?place=mszczonow">Mszczonów</a>' in html
    assert '<a href="/pl/people/jan-kowalski/">Jan Kowalski</a>' in html


def test_person_page_shows_dates_role_and_published_items_only(client):
    item = church()
    person = Agent.objects.get(slug="jan-kowalski")
    person.dates = "1890–1962"
    person.save()
    draft = ItemFactory(title="Szkic niepubliczny", status=Status.DRAFT)
    ItemCreator.objects.create(item=draft, agent=person, role="author")
    html = page(client, "/en/people/jan-kowalski/")
    assert re.search(r'<h1 id="person-title"[^>]*>Jan Kowalski</h1>', html)
    assert "1890–1962" in html
    assert "photographer" in html and "author" not in html
    assert f'href="{item.get_absolute_url().replace("/pl/", "/en/")}"' in html
    assert "Szkic niepubliczny" not in html


def test_a_person_known_only_from_drafts_has_no_public_page(archivist_client):
    secret = AgentFactory(name="Osoba ze szkicu", slug="osoba-ze-szkicu")
    ItemCreator.objects.create(item=ItemFactory(status=Status.DRAFT), agent=secret)
    client = Client()
    page(client, "/pl/people/osoba-ze-szkicu/", status=404)
    page(client, "/pl/people/nie-ma-takiej/", status=404)
    assert "Osoba ze szkicu" in page(archivist_client, "/pl/people/osoba-ze-szkicu/")


def test_sitemap_lists_public_people_only(client):
    church()
    hidden = AgentFactory(slug="tylko-w-szkicu")
    ItemCreator.objects.create(item=ItemFactory(status=Status.DRAFT), agent=hidden)
    xml = page(client, "/sitemap.xml")
    assert "/pl/people/jan-kowalski/" in xml and "/en/people/jan-kowalski/" in xml
    assert "tylko-w-szkicu" not in xml


# --- previous / next -------------------------------------------------------------------------


def test_previous_and_next_within_the_collection_the_visitor_came_from(client):
    collection = CollectionFactory(slug="mlyny")
    first, middle, last = (ItemFactory(title=f"Młyn {n}") for n in "ABC")
    hidden = ItemFactory(title="Młyn B2 szkic", status=Status.DRAFT)
    for order, item in enumerate([first, middle, hidden, last]):
        CollectionItemFactory(collection=collection, item=item, order=order)

    listing = page(client, "/pl/collections/mlyny/")
    assert f'href="{middle.get_absolute_url()}?from=collection%3Amlyny"' in listing

    html = page(client, f"{middle.get_absolute_url()}?from=collection%3Amlyny")
    pager = re.search(r'<nav class="item-pager".*?</nav>', html, re.DOTALL).group(0)
    assert f'href="{first.get_absolute_url()}?from=collection%3Amlyny" rel="prev"' in pager
    assert f'href="{last.get_absolute_url()}?from=collection%3Amlyny" rel="next"' in pager
    assert "Młyn B2 szkic" not in pager
    assert 'href="/pl/collections/mlyny/"' in pager

    first_page = page(client, f"{first.get_absolute_url()}?from=collection%3Amlyny")
    assert 'rel="prev"' not in first_page and 'rel="next"' in first_page
    # Without a list to come from, or with one the item is not in, no pager.
    assert "item-pager" not in page(client, middle.get_absolute_url())
    assert "item-pager" not in page(client, f"{middle.get_absolute_url()}?from=collection:zzz")


@pytest.fixture
def database_search(settings):
    settings.SEARCH_BACKEND = ""
    base._load.cache_clear()
    for backend in base.indexing_backends():
        backend.clear()
    yield
    base._load.cache_clear()


def test_previous_and_next_follow_the_search_results_across_pages(client, database_search):
    from search.outbox import drain

    for n in range(5):
        ItemFactory(identifier=f"MLYN-{n}", title=f"Młyn wodny {n}", date=f"19{n}0")
    drain()
    listing = page(client, "/en/search/?q=m%C5%82yn&sort=date&page_size=2&page=2")
    links = re.findall(r'<h3 class="result-title"><a href="([^"]+)"', listing)
    assert len(links) == 2 and "from=search" in links[0]

    html = page(client, links[0].replace("&amp;", "&"))  # the first hit on page 2
    prev = re.search(r'<a href="([^"]+)" rel="prev"', html).group(1)
    following = re.search(r'<a href="([^"]+)" rel="next"', html).group(1)
    assert prev.startswith("/en/items/MLYN-1/")  # the last hit of page 1
    assert not re.search(r"(^|&)page=", unquote(prev.split("from=")[1]).removeprefix("search:"))
    assert following.startswith("/en/items/MLYN-3/")
    assert "page=2" in unquote(following.split("from=")[1])


# --- downloads -------------------------------------------------------------------------------


def test_download_is_named_after_identifier_and_title(client):
    item = church()
    media = MediaFileFactory(item=item, file=ContentFile(image_bytes(1500, 1000), "x.jpg"))
    html = page(client, "/pl/items/MOK-F-0001/")
    base_url = f"/pl/items/MOK-F-0001/download/{media.pk}"
    for size in ("small", "medium", "large", "original"):
        assert f'href="{base_url}/{size}/"' in html
    response = client.get(f"{base_url}/original/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="MOK-F-0001-kosciol-we-mszczonowie.jpg"')
    assert "filename*=UTF-8''MOK-F-0001-ko%C5%9Bci%C3%B3%C5%82-we-mszczonowie.jpg" in disposition
    assert b"".join(response.streaming_content) == media.file.open("rb").read()
    small = client.get(f"{base_url}/small/")
    assert small.status_code == 200
    assert 'filename="MOK-F-0001-kosciol-we-mszczonowie-640.jpg"' in small["Content-Disposition"]


def test_download_shows_the_credit_line_to_paste(client):
    item = church()
    media = MediaFileFactory(item=item)
    html = page(client, "/en/items/MOK-F-0001/")
    field = re.search(
        rf'<textarea id="credit-{media.pk}" class="credit-line-field"[^>]*>(.*?)</textarea>',
        html,
        re.DOTALL,
    ).group(1)
    licence = Licence.objects.get(code="PDM")
    assert field == (
        "The church in Mszczonów. Jan Kowalski. Rights holder: Parafia św. Jana. "
        f"Mszczonowski Ośrodek Kultury. Public Domain Mark 1.0 ({licence.url}). "
        "http://testserver/en/items/MOK-F-0001/"
    )
    assert f'<label for="credit-{media.pk}">' in html  # the field is named for its purpose
    credit = re.search(r'<p class="credit-line">(.*?)</p>', html, re.DOTALL).group(1)
    assert f'<a href="{licence.url}" rel="license">Public Domain Mark 1.0</a>' in credit
    # The copy button needs JavaScript, so it starts hidden; the text can be copied without.
    button = rf'<button type="button" class="copy-button" data-copy="credit-{media.pk}"[^>]*hidden>'
    assert re.search(button, html)
    assert re.search(rf'<textarea id="credit-{media.pk}"[^>]* readonly', html)
    assert html.count("/static/js/copy.js") == 1


def test_sizes_for_slides_and_print_are_named(client):
    item = church()
    media = MediaFileFactory(item=item, file=ContentFile(image_bytes(2400, 1600), "x.jpg"))
    html = page(client, "/en/items/MOK-F-0001/")
    base_url = f"/en/items/MOK-F-0001/download/{media.pk}"
    assert re.search(
        rf'<a href="{base_url}/large/" download>large \(1920×1280 px\)</a> '
        r'<span class="media-download-purpose">– for slides</span>',
        html,
    )
    assert re.search(
        rf'<a href="{base_url}/original/" download>original \(2400×1600 px\)</a> '
        r'<span class="media-download-purpose">– for print</span>',
        html,
    )


def test_in_copyright_media_offer_no_download_and_say_why(client):
    item = church(licence=Licence.objects.get(code="InC"))
    media = MediaFileFactory(item=item, file=ContentFile(image_bytes(700, 500), "x.jpg"))
    html = page(client, "/en/items/MOK-F-0001/")
    assert f"/download/{media.pk}/" not in html
    assert "credit-line-field" not in html
    reuse = re.search(r'<section class="item-reuse".*?</section>', html, re.DOTALL).group(0)
    assert "No downloads: under “In Copyright” copies of this material may not be" in reuse
    assert "Rights holder: Parafia św. Jana." in reuse
    for size in ("small", "medium", "large", "original", "huge"):
        page(client, f"/en/items/MOK-F-0001/download/{media.pk}/{size}/", status=404)
    # The picture itself is still shown on the page.
    assert "<picture>" in html


def test_staff_still_download_in_copyright_media(archivist_client):
    item = church(licence=Licence.objects.get(code="InC"))
    media = MediaFileFactory(item=item, file=ContentFile(image_bytes(700, 500), "x.jpg"))
    response = archivist_client.get(f"/pl/items/MOK-F-0001/download/{media.pk}/small/")
    assert response.status_code == 200


def test_open_licences_say_how_to_reuse_without_a_refusal(client):
    item = church(licence=Licence.objects.get(code="CC-BY-4.0"))
    MediaFileFactory(item=item)
    html = page(client, "/en/items/MOK-F-0001/")
    reuse = re.search(r'<section class="item-reuse".*?</section>', html, re.DOTALL).group(0)
    assert "sizes for slides and for print" in reuse
    assert "reuse-refusal" not in reuse


def test_download_of_a_draft_or_of_another_items_file_is_not_found(client):
    draft = ItemFactory(status=Status.DRAFT, licence=Licence.objects.get(code="CC0-1.0"))
    secret = MediaFileFactory(item=draft)
    page(client, f"/pl/items/{draft.identifier}/download/{secret.pk}/original/", status=404)
    other = church()
    page(client, f"/pl/items/{other.identifier}/download/{secret.pk}/original/", status=404)


# --- identifiers in another case -------------------------------------------------------------


def test_identifier_in_another_case_redirects_permanently(client):
    item = church()
    MediaFileFactory(item=item)
    response = client.get("/pl/items/mok-f-0001/?from=collection%3Ax")
    assert response.status_code == 301
    assert response["Location"] == "/pl/items/MOK-F-0001/?from=collection%3Ax"
    manifest = client.get("/iiif/mok-f-0001/manifest.json")
    assert manifest.status_code == 301
    assert manifest["Location"] == "/iiif/MOK-F-0001/manifest.json"
    api = client.get("/api/v1/items/mok-f-0001/")
    assert api.status_code == 301
    assert api["Location"] == "/api/v1/items/MOK-F-0001/"


def test_a_drafts_identifier_in_another_case_is_not_confirmed(client):
    ItemFactory(identifier="MOK-D-0009", status=Status.DRAFT)
    for url in ("/pl/items/mok-d-0009/", "/iiif/mok-d-0009/manifest.json"):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/items/mok-d-0009/").status_code == 404


# --- sharing, IIIF, feed ---------------------------------------------------------------------


def meta(html: str, name: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
    assert match, name
    return match.group(1)


def test_item_page_has_open_graph_and_twitter_card_tags(client):
    item = church(description="Murowany kościół parafialny.")
    media = MediaFileFactory(item=item, file=ContentFile(image_bytes(1500, 1000), "x.jpg"))
    html = page(client, "/pl/items/MOK-F-0001/")
    assert meta(html, "og:title") == "Kościół we Mszczonowie"
    assert meta(html, "og:description") == "Murowany kościół parafialny."
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == "http://testserver/pl/items/MOK-F-0001/"
    assert meta(html, "og:locale") == "pl_PL"
    image = meta(html, "og:image")
    # A derivative, under the item's publication token (media.public.file_url).
    assert image.startswith("http://testserver/media/p/") and image.endswith(".jpg")
    assert "/derivatives/" in image
    assert meta(html, "og:image:alt") == media.alt_text
    assert meta(html, "twitter:card") == "summary_large_image"
    assert client.get(image.removeprefix("http://testserver")).status_code == 200


def test_other_pages_have_site_defaults_for_link_previews(client):
    html = page(client, "/en/")
    assert meta(html, "og:type") == "website"
    assert meta(html, "og:url") == "http://testserver/en/"
    assert meta(html, "og:locale") == "en_GB"
    assert meta(html, "twitter:card") == "summary"


def test_item_with_images_links_its_iiif_manifest(client):
    item = church()
    MediaFileFactory(item=item)
    html = page(client, "/en/items/MOK-F-0001/")
    manifest = "http://testserver/iiif/MOK-F-0001/manifest.json"
    assert re.search(rf'<link rel="alternate" type=[^>]*iiif[^>]* href="{manifest}"', html)
    assert f'href="{manifest}?manifest=http%3A//testserver/iiif/MOK-F-0001/manifest.json"' in html
    assert client.get(manifest).status_code == 200
    no_images = ItemFactory()
    assert "manifest.json" not in page(client, f"/en/items/{no_images.identifier}/")


def test_atom_feed_lists_newly_published_items_never_drafts(client):
    older = ItemFactory(title="Starszy obiekt", title_en="Older item")
    newer = ItemFactory(title="Nowy obiekt", title_en="New item", description="Opis **nowy**.")
    ItemFactory(title="Szkic w przygotowaniu", status=Status.DRAFT)
    response = client.get("/en/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert xml.index("New item") < xml.index("Older item")
    assert f"http://testserver/en/items/{newer.identifier}/" in xml
    assert f"http://testserver/en/items/{older.identifier}/" in xml
    assert "Szkic" not in xml and "<strong>" not in xml
    assert "Nowy obiekt" in page(client, "/pl/feed/")
    home = page(client, "/pl/")
    assert '<link rel="alternate" type="application/atom+xml"' in home
    assert 'href="/pl/feed/"' in home


@pytest.mark.parametrize(
    "origin",
    [
        "search:page=99999999999999999999",
        "search:page_size=100000000&q=a",
        "search:page=-5&sort=zzz&decade=abc",
        "collection:",
        "collection:nie-ma-takiej",
        # Long, but within KRONIKA_MAX_URL_BYTES (4096): longer addresses are a 414.
        "x" * 4000,
    ],
)
def test_a_stale_or_hostile_origin_shows_the_item_without_a_pager(client, origin):
    item = ItemFactory()
    response = client.get(item.get_absolute_url(), {"from": origin})
    assert response.status_code == 200
    assert b"item-pager" not in response.content


def test_an_out_of_range_file_number_is_not_found(client):
    item = church()
    page(client, f"/pl/items/{item.identifier}/download/99999999999999999999/small/", status=404)


def test_an_item_without_files_has_no_reuse_section(client):
    church(licence=Licence.objects.get(code="InC"))
    html = page(client, "/en/items/MOK-F-0001/")
    assert "item-reuse" not in html
    assert "How to cite" in html
