"""The public catalogue pages: home, item page, errors, as a visitor sees them."""

import re
from html.parser import HTMLParser

import pytest
from django.utils import translation
from django.utils.translation import gettext

from archive.models import ItemCreator, Licence, Status
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    MediaFileFactory,
    PlaceFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def images_in(html: str) -> list[dict]:
    parser = _Images()
    parser.feed(html)
    return parser.images


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def item_url(item, language: str = "pl") -> str:
    return f"/{language}/items/{item.identifier}/"


def rich_item(n: int, **kwargs):
    """A published item with n of every kind of related record."""
    item = ItemFactory(date="1920~", source="https://example.org/zrodlo", **kwargs)
    for _ in range(n):
        MediaFileFactory(item=item, caption="Podpis", credit="Fot. N.N.")
        item.subjects.add(SubjectFactory())
        item.places.add(PlaceFactory(latitude="51.974000", longitude="20.521000"))
        ItemCreator.objects.create(item=item, agent=AgentFactory(), role="photographer")
        CollectionItemFactory(item=item)
        related = ItemFactory()
        MediaFileFactory(item=related)
        item.related_items.add(related)
    return item


# --- language and home page ------------------------------------------------------------------


def test_root_redirects_to_polish(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/pl/"


@pytest.mark.parametrize("language", ["pl", "en"])
def test_home_shows_published_items_and_never_drafts(client, language):
    published = ItemFactory(title="Rynek w Mszczonowie")
    ItemFactory(title="Szkic niepublikowany", status=Status.DRAFT)
    html = page(client, f"/{language}/")
    assert f'<html lang="{language}">' in html
    assert published.title in html
    assert item_url(published, language) in html
    assert "Szkic niepublikowany" not in html


def test_home_lists_top_level_collections_with_cover_image(client):
    cover = ItemFactory()
    MediaFileFactory(item=cover, alt_text="Kościół św. Jana z daleka")
    top = CollectionFactory(title="Zabytki", cover_item=cover)
    CollectionItemFactory(collection=top, item=cover)
    CollectionFactory(title="Podkolekcja ukryta na stronie głównej", parent=top)
    html = page(client, "/pl/")
    assert "Zabytki" in html
    assert f'href="/pl/collections/{top.slug}/"' in html
    assert 'alt="Kościół św. Jana z daleka"' in html
    assert "Podkolekcja ukryta na stronie głównej" not in html


def test_home_item_cards_have_lazy_thumbnails_with_size_and_alt(client):
    item = ItemFactory()
    media = MediaFileFactory(item=item, alt_text="Panorama rynku")
    html = page(client, "/en/")
    [image] = [i for i in images_in(html) if i.get("alt") == "Panorama rynku"]
    assert image["loading"] == "lazy"
    assert (image["width"], image["height"]) == ("64", "48")
    # A derivative, never the original (public only when the licence allows download).
    assert image["src"] != media.file.url and media.checksum in image["src"]
    assert image["srcset"].endswith(" 64w") and image["sizes"]
    assert client.get(image["src"]).status_code == 200
    assert '<source type="image/webp" srcset="' in html


def test_home_explains_the_archive_and_has_one_h1(client):
    html = page(client, "/en/")
    assert html.count("<h1") == 1
    assert "digital archive" in html
    assert 'href="#main"' in html and 'id="main"' in html


def test_language_switcher_keeps_the_current_page(client):
    item = ItemFactory()
    html = page(client, item_url(item, "pl"))
    assert f'href="{item_url(item, "en")}"' in html
    html = page(client, item_url(item, "en"))
    assert f'href="{item_url(item, "pl")}"' in html


def test_home_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(12):
        item = ItemFactory()
        MediaFileFactory(item=item)
        collection = CollectionFactory(cover_item=item)
        CollectionItemFactory(collection=collection, item=item)
    # +1: which collections are public (hold a published item), asked once.
    with django_assert_max_num_queries(7):
        page(client, "/pl/")


# --- item page -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["pl", "en"])
def test_published_item_page_is_public(client, language):
    item = ItemFactory(title="Kościół św. Jana Chrzciciela")
    html = page(client, item_url(item, language))
    assert "Kościół św. Jana Chrzciciela" in html
    assert html.count("<h1") == 1
    assert "<title>Kościół św. Jana Chrzciciela" in html


def test_draft_item_is_not_found_for_the_public(client):
    draft = ItemFactory(status=Status.DRAFT, title="Tajny szkic")
    html = page(client, item_url(draft), status=404)
    assert "Tajny szkic" not in html


def test_staff_see_a_draft_with_a_visible_notice(archivist_client):
    draft = ItemFactory(status=Status.DRAFT, title="Szkic do sprawdzenia")
    html = page(archivist_client, item_url(draft, "en"))
    assert "Szkic do sprawdzenia" in html
    assert "Draft" in html and "not published" in html
    html = page(archivist_client, item_url(draft, "pl"))
    with translation.override("pl"):
        assert gettext("Draft") in html
    assert 'class="notice notice-draft"' in html


def test_published_item_has_no_draft_notice(archivist_client):
    item = ItemFactory()
    assert "notice-draft" not in page(archivist_client, item_url(item, "en"))


def test_english_page_shows_the_english_title(client):
    item = ItemFactory(title="Rynek", title_en="The market square")
    html = page(client, item_url(item, "en"))
    assert re.search(r'<h1 id="item-title">The market square</h1>', html)


def test_english_page_falls_back_to_polish_title_marked_as_polish(client):
    item = ItemFactory(title="Rynek miejski", title_en="")
    html = page(client, item_url(item, "en"))
    assert re.search(r'<h1 id="item-title" lang="pl">Rynek miejski</h1>', html)
    html = page(client, item_url(item, "pl"))
    assert re.search(r'<h1 id="item-title">Rynek miejski</h1>', html)


def test_hostile_markdown_is_made_inert(client):
    item = ItemFactory(
        description=(
            "Opis <script>alert(1)</script>\n\n"
            "[kliknij](javascript:alert(1)) <img src=x onerror=alert(1)> "
            '<a href="JaVaScRiPt:alert(2)" onclick="alert(3)">link</a> '
            "[dobry link](https://example.org/) **pogrubienie**"
        )
    )
    html = page(client, item_url(item))
    # The only script element is the inert schema.org data block.
    assert re.findall(r"<script[^>]*>", html.lower()) == ['<script type="application/ld+json">']
    assert "alert(1)</script>" not in html.lower()
    assert "javascript:" not in html.lower()
    assert "onerror" not in html.lower()
    assert "onclick" not in html.lower()
    assert (
        '<a href="https://example.org/" rel="noopener noreferrer nofollow">dobry link</a>' in html
    )
    assert "<strong>pogrubienie</strong>" in html


def test_markdown_headings_stay_below_the_page_title(client):
    item = ItemFactory(description="# Historia\n\nTekst.")
    html = page(client, item_url(item))
    assert html.count("<h1") == 1
    assert "<h3>Historia</h3>" in html


@pytest.mark.parametrize(
    ("edtf", "english"),
    [
        ("1920~", "about 1920"),
        ("193X", "the 1930s"),
        ("1942/1945", "1942–1945"),
        ("1939?", "probably 1939"),
        ("1920%", "probably about 1920"),
        ("1377", "1377"),
        ("1905-05-03", "3 May 1905"),
        ("1942/..", "from 1942"),
    ],
)
def test_dates_are_written_in_words_on_the_english_page(client, edtf, english):
    item = ItemFactory(date=edtf)
    html = page(client, item_url(item, "en"))
    assert f"<dd>{english} " in html
    assert f"<code>{edtf}</code>" in html


def test_uncertain_date_is_written_in_words_on_the_polish_page(client):
    item = ItemFactory(date="1920~")
    html = page(client, item_url(item, "pl"))
    with translation.override("pl"):
        expected = gettext("about %(date)s") % {"date": "1920"}
        probably = gettext("probably %(date)s") % {"date": "1939"}
    assert f"<dd>{expected} " in html
    other = ItemFactory(date="1939?")
    assert f"<dd>{probably} " in page(client, item_url(other, "pl"))


def test_item_page_shows_full_metadata(client):
    licence = Licence.objects.get(code="CC-BY-4.0")
    item = ItemFactory(
        licence=licence,
        rights_holder="Mszczonowski Ośrodek Kultury",
        source="Zbiory prywatne, zob. https://example.org/zbior/1. Dziękujemy!",
    )
    item.subjects.add(SubjectFactory(name="Kościoły", name_en="Churches"))
    item.places.add(PlaceFactory(name="Mszczonów", latitude="51.974000", longitude="20.521000"))
    ItemCreator.objects.create(
        item=item, agent=AgentFactory(name="Jan Kowalski"), role="photographer"
    )
    collection = CollectionFactory(title="Zabytki", title_en="Monuments")
    CollectionItemFactory(collection=collection, item=item)
    media = MediaFileFactory(item=item, caption="Widok od północy", credit="Fot. J. Kowalski")

    html = page(client, item_url(item, "en"))
    assert "<dl" in html
    assert "Churches" in html
    assert (
        '<a href="https://www.openstreetmap.org/?mlat=51.974&amp;mlon=20.521#map=15/51.974/20.521">'
        in html
    )
    assert "Jan Kowalski" in html and "photographer" in html
    assert f'href="/en/collections/{collection.slug}/"' in html and "Monuments" in html
    assert licence.explanation_en in html
    assert f'href="{licence.url}"' in html
    assert "Mszczonowski Ośrodek Kultury" in html
    assert (
        '<a href="https://example.org/zbior/1" rel="noopener noreferrer nofollow">'
        "https://example.org/zbior/1</a>. Dziękujemy!" in html
    )
    figure = re.search(r"<figure.*?</figure>", html, re.DOTALL).group(0)
    assert f'alt="{media.alt_text}"' in figure  # the picture itself (includes/figure.html)
    assert "Widok od północy" in html and "Fot. J. Kowalski" in html
    assert f"http://testserver/en/items/{item.identifier}/" in html  # the citation


def test_polish_page_shows_polish_licence_explanation(client):
    item = ItemFactory()
    assert item.licence.explanation in page(client, item_url(item, "pl"))


def test_related_items_are_published_ones_only(client):
    item = ItemFactory()
    shown = ItemFactory(title="Powiązany opublikowany")
    hidden = ItemFactory(title="Powiązany szkic", status=Status.DRAFT)
    item.related_items.add(shown, hidden)
    html = page(client, item_url(item))
    assert "Powiązany opublikowany" in html
    assert "Powiązany szkic" not in html


def test_every_image_has_alt_text(client):
    item = rich_item(3)
    for url in (item_url(item), item_url(item, "en"), "/pl/", "/en/"):
        html = page(client, url)
        images = images_in(html)
        assert images, url
        assert all(image.get("alt") for image in images), url


def test_item_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    item = rich_item(15)
    # One more than before residents' contributions: their approved ones, one query.
    with django_assert_max_num_queries(10):
        html = page(client, item_url(item))
    assert html.count("<figure") == 15


# --- errors and media ------------------------------------------------------------------------


def test_unknown_item_gets_the_friendly_not_found_page(client):
    html = page(client, "/en/items/NO-SUCH-ITEM/", status=404)
    assert "We could not find this page" in html
    assert 'href="/en/"' in html
    assert 'role="search"' in html
    html = page(client, "/pl/items/NO-SUCH-ITEM/", status=404)
    with translation.override("pl"):
        assert gettext("Go to the home page") in html
    assert '<html lang="pl">' in html


def test_server_error_page_renders_without_request_context():
    from django.template.loader import render_to_string

    with translation.override("en"):
        html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert 'href="/"' in html


def test_media_of_a_draft_is_private_and_of_a_published_item_public(client):
    draft_media = MediaFileFactory(item=ItemFactory(status=Status.DRAFT))
    # An original image is public when its licence allows download (media/public.py), as
    # its public copy without location or device data.
    public_media = MediaFileFactory(item=ItemFactory(licence=Licence.objects.get(code="CC0-1.0")))
    response = client.get(draft_media.file.url)
    assert response.status_code == 404
    assert 'href="/pl/"' in response.content.decode()  # the friendly page, not the file
    from media.public import download_url

    response = client.get(download_url(public_media))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
