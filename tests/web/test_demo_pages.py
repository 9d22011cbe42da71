"""Every public page answers with the demo catalogue of Mszczonów, in both languages, with
one h1, alt-text on every image and a bounded number of SQL queries."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Item
from curation.models import Collection
from tests.web.conftest import fetch

pytestmark = pytest.mark.django_db

STATIC_PAGES = [
    "",
    "browse/",
    "browse/types/",
    "browse/periods/",
    "browse/places/",
    "browse/subjects/",
    "about/",
    "accessibility/",
    "collections/",
    "search/",
    "search/?q=ko%C5%9Bci%C3%B3%C5%82",
]

# The most SQL queries any public page may run, whatever the size of the catalogue: 12,
# and one more on a search that (re)checks the vocabulary's name table (search/names.py:
# loaded once per process, its fingerprint read again at most once a minute).
MAX_QUERIES = 13


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict] = []
        self.h1 = 0
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def check_page(html: str, url: str) -> None:
    page = Page()
    page.feed(html)
    assert page.headings.count(1) == 1, url
    assert page.headings[0] == 1, url
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"{url}: h{before} followed by h{after}"
    for image in page.images:
        assert "alt" in image, (url, image)
    assert re.search(r"<title>[^<]+ – Kronika – ", html), url


def run(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        html = fetch(client, url)
    # Savepoints are the test's own transaction showing through (a search on PostgreSQL
    # runs in a transaction of its own for its planner settings): bookkeeping, not work.
    work = [q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    return html, len(work)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_page_of_the_demo_archive_answers(client, demo, language):
    urls = [f"/{language}/{page}" for page in STATIC_PAGES]
    urls += [
        c.get_absolute_url().replace("/pl/", f"/{language}/", 1) for c in Collection.objects.all()
    ]
    urls += [
        f"/{language}/items/{identifier}/"
        for identifier in Item.objects.values_list("identifier", flat=True)
    ]
    assert len(urls) > 60
    for url in urls:
        html, queries = run(client, url)
        check_page(html, url)
        assert queries <= MAX_QUERIES, f"{url}: {queries} queries"


def test_every_demo_item_page_has_json_ld_and_a_citation(client, demo):
    for identifier in Item.objects.values_list("identifier", flat=True)[:10]:
        html = fetch(client, f"/en/items/{identifier}/")
        assert '<script type="application/ld+json">' in html
        assert "How to cite" in html


def test_demo_places_page_draws_the_places_with_coordinates(client, demo):
    html = fetch(client, "/pl/browse/places/")
    assert html.count("<circle") >= 2
    assert html.count("openstreetmap.org") >= 2


def test_demo_sitemap_lists_every_published_item(client, demo):
    body = fetch(client, "/sitemap.xml")
    for identifier in Item.objects.published().values_list("identifier", flat=True):
        assert f"/pl/items/{identifier}/</loc>" in body
        assert f"/en/items/{identifier}/</loc>" in body


def test_unknown_pages_are_friendly_404s(client, demo):
    for url in ("/pl/items/NIE-MA/", "/en/collections/nie-ma/", "/pl/nie-ma-takiej-strony/"):
        html = fetch(client, url, status=404)
        check_page(html, url)
