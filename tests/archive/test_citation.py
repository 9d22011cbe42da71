"""Citing an item: the reference's parts, the RIS, BibTeX and CSL-JSON files read back with
outside parsers (rispy, bibtexparser), the Dublin Core tags reference managers read, and
drafts kept private on every channel."""

import datetime
import json
import re
from html.parser import HTMLParser

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from django.test import Client
from django.utils import timezone, translation

from archive.citation import CitedName, cited_name, item_citation
from archive.citation_formats import render_bibtex
from archive.models import Agent, ItemCreator, Licence, Status
from tests.factories import AgentFactory, ItemFactory

pytestmark = pytest.mark.django_db

ACCESSED = datetime.date(2026, 12, 4)


def church(**kwargs):
    defaults = {
        "identifier": "MOK-F-0001",
        "title": "Kościół we Mszczonowie",
        "title_en": "The church in Mszczonów",
        "date": "1905-05-03",
        "licence": Licence.objects.get(code="CC-BY-4.0"),
    }
    item = ItemFactory(**{**defaults, **kwargs})
    for order, (name, kind, role) in enumerate(
        [
            ("Jan Kowalski", Agent.Kind.PERSON, "photographer"),
            ("Rada Miejska w Mszczonowie", Agent.Kind.ORGANISATION, "creator"),
            ("Anna Nowak", Agent.Kind.PERSON, "depicted"),
        ]
    ):
        agent = AgentFactory(name=name, slug=f"agent-{order}", kind=kind)
        ItemCreator.objects.create(item=item, agent=agent, role=role, order=order)
    return item


def download(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "family", "given"),
    [
        ("Jan Kowalski", "person", "Kowalski", "Jan"),
        ("Jan Adam Maklakiewicz", "person", "Maklakiewicz", "Jan Adam"),
        ("ks. Władysław Polkowski", "person", "Polkowski", "Władysław"),
        ("Maria Skłodowska-Curie", "person", "Skłodowska-Curie", "Maria"),
        ("Abraham van den Blocke", "person", "van den Blocke", "Abraham"),
        ("Kowalski, Jan", "person", "Kowalski", "Jan"),
        ("Fr. Władysław Polkowski", "person", "Polkowski", "Władysław"),
        ("J. Kowalski", "person", "Kowalski", "J."),
        ("Konrad I Mazowiecki", "person", "", ""),
        ("Siemowit III (Ziemowit III)", "person", "", ""),
        ("Abraham van den Blocke (pracownia)", "person", "", ""),
        ("Homer", "person", "", ""),
        ("Ochotnicza Straż Pożarna w Mszczonowie", "organisation", "", ""),
    ],
)
def test_creators_are_cited_surname_first_only_when_the_name_has_a_surname(
    name, kind, family, given
):
    cited = cited_name(Agent(name=name, kind=kind))
    assert cited == CitedName(name, family, given)
    assert cited.inverted == (f"{family}, {given}" if family else name)


def test_english_citations_use_the_catalogued_form_of_a_name(client):
    item = ItemFactory(identifier="MOK-D-9", title="Przywilej", title_en="The charter")
    king = AgentFactory(
        name="Stanisław August Poniatowski",
        name_en="King Stanisław August Poniatowski",
        slug="stanislaw-august",
    )
    ItemCreator.objects.create(item=item, agent=king, role="creator")
    [entry] = rispy.loads(download(client, "/en/items/MOK-D-9/cite.ris").content.decode())
    assert entry["authors"] == ["Poniatowski, Stanisław August"]


# --- RIS -------------------------------------------------------------------------------------


def test_ris_file_parses_into_the_right_fields(client):
    church()
    response = download(client, "/pl/items/MOK-F-0001/cite.ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="MOK-F-0001.ris"'
    assert response["X-Robots-Tag"] == "noindex"  # the item page is what search engines list
    [entry] = rispy.loads(response.content.decode())
    assert entry["type_of_reference"] == "ART"
    assert entry["title"] == "Kościół we Mszczonowie"  # Polish letters kept
    assert entry["authors"] == ["Kowalski, Jan", "Rada Miejska w Mszczonowie"]
    assert entry["year"] == "1905"
    assert entry["date"] == "1905/05/03/"
    assert entry["publisher"] == "Mszczonowski Ośrodek Kultury"
    assert entry["accession_number"] == "MOK-F-0001"
    assert entry["urls"] == ["http://testserver/pl/items/MOK-F-0001/"]
    assert entry["language"] == "pl"
    assert "Creative Commons" in entry["notes"][0]


def test_english_ris_gives_the_english_title_and_page(client):
    church()
    [entry] = rispy.loads(download(client, "/en/items/MOK-F-0001/cite.ris").content.decode())
    assert entry["title"] == "The church in Mszczonów"
    assert entry["urls"] == ["http://testserver/en/items/MOK-F-0001/"]
    assert entry["language"] == "en"


def test_ris_of_an_item_without_creator_or_date_leaves_them_out(client):
    ItemFactory(identifier="MOK-X-1", title="Bez autora", date="", item_type="tradition")
    text = download(client, "/pl/items/MOK-X-1/cite.ris").content.decode()
    [entry] = rispy.loads(text)
    assert entry["type_of_reference"] == "GEN"
    assert "authors" not in entry and "year" not in entry
    assert entry["title"] == "Bez autora"
    assert text.endswith("ER  - \r\n")


# --- BibTeX ----------------------------------------------------------------------------------


def parse_bibtex(text: str):
    """The entry with LaTeX decoded, and its authors split into name parts (parsed apart:
    decoding first would drop the braces that keep an organisation's name whole)."""
    decoded = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    named = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), SplitNameParts()]
    )
    assert not decoded.failed_blocks and len(decoded.entries) == 1
    entry = decoded.entries[0]
    fields = {name: field.value for name, field in entry.fields_dict.items()}
    authors = named.entries[0].fields_dict["author"].value if "author" in fields else []
    return entry, fields, authors


def test_bibtex_file_parses_into_the_right_fields(client):
    church()
    response = download(client, "/pl/items/MOK-F-0001/cite.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="MOK-F-0001.bib"'
    entry, fields, authors = parse_bibtex(response.content.decode())
    assert (entry.entry_type, entry.key) == ("misc", "MOK-F-0001")
    assert fields["title"] == "Kościół we Mszczonowie"
    assert [(a.last, a.first) for a in authors] == [
        (["Kowalski"], ["Jan"]),
        (["{Rada Miejska w Mszczonowie}"], []),  # an organisation is not split
    ]
    assert fields["year"] == "1905" and fields["date"] == "1905-05-03"
    assert fields["publisher"] == "Mszczonowski Ośrodek Kultury"
    assert fields["number"] == "MOK-F-0001"
    assert fields["url"] == "http://testserver/pl/items/MOK-F-0001/"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields["urldate"])


def test_bibtex_escapes_braces_percent_and_ampersand_in_a_title():
    item = ItemFactory(
        identifier="MOK-D-7", title="Rachunki {Kasy} 50% & reszta_1 #2 $3", date="", title_en=""
    )
    with translation.override("pl"):
        text = render_bibtex(
            item_citation(item, "https://kronika.example/pl/items/MOK-D-7/", ACCESSED)
        )
    assert r"title = {Rachunki \{Kasy\} 50\% \& reszta\_1 \#2 \$3}" in text
    _, fields, authors = parse_bibtex(text)
    assert fields["title"] == "Rachunki {Kasy} 50% & reszta_1 #2 $3"
    assert authors == [] and "year" not in fields


def test_a_period_is_given_as_a_range_of_years():
    item = church(date="192X")
    with translation.override("en"):
        citation = item_citation(item, "https://kronika.example/en/items/MOK-F-0001/", ACCESSED)
    text = render_bibtex(citation)
    assert "year = {1920--1929}" in text
    _, fields, _ = parse_bibtex(text)
    assert fields["year"] == "1920–1929" and "date" not in fields  # "--" read as a dash
    assert "the 1920s (EDTF: 192X)" in fields["note"]


# --- CSL-JSON --------------------------------------------------------------------------------


def test_csl_json_file_has_the_right_fields(client):
    church(date="1920~")
    response = download(client, "/en/items/MOK-F-0001/cite.json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="MOK-F-0001.json"'
    [item] = json.loads(response.content)
    assert item["id"] == "MOK-F-0001"
    assert item["type"] == "graphic"
    assert item["title"] == "The church in Mszczonów"
    assert item["author"] == [
        {"family": "Kowalski", "given": "Jan"},
        {"literal": "Rada Miejska w Mszczonowie"},
    ]
    assert item["issued"] == {"date-parts": [[1920]], "circa": True}
    assert item["publisher"] == "Mszczonowski Ośrodek Kultury"
    assert item["archive_location"] == "MOK-F-0001"
    assert item["URL"] == "http://testserver/en/items/MOK-F-0001/"
    today = timezone.localdate()  # the site's day, not the machine's
    assert item["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}
    assert item["license"] == "https://creativecommons.org/licenses/by/4.0/deed.pl"


def test_csl_json_keeps_polish_letters_and_maps_types(client):
    ItemFactory(identifier="MOK-M-1", title="Plan miasta Mszczonowa", item_type="map", date="")
    [item] = json.loads(download(client, "/pl/items/MOK-M-1/cite.json").content.decode())
    assert item["title"] == "Plan miasta Mszczonowa"
    assert item["type"] == "map"
    assert "author" not in item and "issued" not in item
    assert (
        "Plan miasta Mszczonowa" in download(client, "/pl/items/MOK-M-1/cite.json").content.decode()
    )


def test_csl_json_renders_with_citeproc(client):
    """A CSL processor (citeproc-py, with the Harvard style it bundles) formats the file."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    church(date="192X")
    items = json.loads(download(client, "/pl/items/MOK-F-0001/cite.json").content)
    with pytest.warns(UserWarning, match="unsupported"):  # it skips fields it does not know
        source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem("MOK-F-0001")]))
    [entry] = [str(entry) for entry in bibliography.bibliography()]
    assert entry.startswith(
        "Kowalski, J. and Rada Miejska w Mszczonowie (1920–1929) Kościół we Mszczonowie. "
        "Mszczonowski Ośrodek Kultury. Available at: http://testserver/pl/items/MOK-F-0001/"
    )


# --- privacy ---------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["ris", "bib", "json"])
def test_a_drafts_citation_is_not_found_for_the_public(client, archivist_client, extension):
    church(status=Status.DRAFT)
    download(Client(), f"/pl/items/MOK-F-0001/cite.{extension}", status=404)
    download(archivist_client, f"/pl/items/MOK-F-0001/cite.{extension}")


def test_an_unknown_citation_format_is_not_found(client):
    church()
    download(client, "/pl/items/MOK-F-0001/cite.pdf", status=404)
    download(client, "/pl/items/NO-SUCH/cite.ris", status=404)


# --- the item page -----------------------------------------------------------------------------


class MetaTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name", "").startswith("DC."):
            self.meta.append((attrs["name"], attrs["content"]))
        if tag == "link":
            self.links.append(attrs)


def test_item_page_carries_dublin_core_for_reference_managers(client):
    church()
    parser = MetaTags()
    parser.feed(client.get("/pl/items/MOK-F-0001/").content.decode())
    assert {"rel": "schema.DC", "href": "http://purl.org/dc/elements/1.1/"} in parser.links
    meta = parser.meta
    assert ("DC.title", "Kościół we Mszczonowie") in meta
    assert [v for k, v in meta if k == "DC.creator"] == [
        "Kowalski, Jan",
        "Rada Miejska w Mszczonowie",
    ]
    assert ("DC.date", "1905-05-03") in meta
    assert ("DC.type", "StillImage") in meta
    assert ("DC.publisher", "Mszczonowski Ośrodek Kultury") in meta
    assert [v for k, v in meta if k == "DC.identifier"] == [
        "MOK-F-0001",
        "http://testserver/pl/items/MOK-F-0001/",
    ]
    assert ("DC.rights", "https://creativecommons.org/licenses/by/4.0/deed.pl") in meta


def test_a_draft_page_is_not_described_to_robots(archivist_client):
    church(status=Status.DRAFT)
    parser = MetaTags()
    parser.feed(archivist_client.get("/pl/items/MOK-F-0001/").content.decode())
    assert parser.meta == []


def test_item_page_links_the_citation_files(client):
    church()
    html = client.get("/en/items/MOK-F-0001/").content.decode()
    files = re.search(r'<p class="citation-files">(.*?)</p>', html, re.DOTALL).group(1)
    ris = "application/x-research-info-systems"
    assert f'<a href="/en/items/MOK-F-0001/cite.ris" type="{ris}" download>RIS</a>' in files
    assert (
        '<a href="/en/items/MOK-F-0001/cite.bib" type="application/x-bibtex" download>BibTeX</a>'
        in files
    )
    assert 'href="/en/items/MOK-F-0001/cite.json"' in files
