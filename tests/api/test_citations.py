"""Citation formats on item details: `?format=` and Accept give the same RIS, BibTeX and
CSL-JSON as the item page's files; drafts stay private; unknown formats are a clear 400."""

import json

import bibtexparser
import pytest
import rispy

from archive.models import Agent, ItemCreator, Licence, Status
from tests.factories import AgentFactory, ItemFactory

pytestmark = pytest.mark.django_db

RIS = "application/x-research-info-systems"
BIBTEX = "application/x-bibtex"
CSL = "application/vnd.citationstyles.csl+json"


@pytest.fixture
def mill():
    item = ItemFactory(
        identifier="MOK-F-0042",
        title="Młyn nad Okrzeszą",
        title_en="The mill on the Okrzesza",
        date="1938",
        licence=Licence.objects.get(code="PDM"),
    )
    ItemCreator.objects.create(
        item=item,
        agent=AgentFactory(name="Zofia Żak", slug="zofia-zak", kind=Agent.Kind.PERSON),
        role="photographer",
    )
    return item


def test_format_ris_gives_the_citation_as_ris(anon, mill):
    response = anon.get("/api/v1/items/MOK-F-0042/?format=ris", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    assert response["Content-Type"] == f"{RIS}; charset=utf-8"
    [entry] = rispy.loads(response.content.decode())
    assert entry["title"] == "Młyn nad Okrzeszą"
    assert entry["authors"] == ["Żak, Zofia"]
    assert entry["year"] == "1938"
    assert entry["accession_number"] == "MOK-F-0042"
    assert entry["urls"] == ["http://testserver/pl/items/MOK-F-0042/"]


def test_accept_header_gives_bibtex(anon, mill):
    response = anon.get("/api/v1/items/MOK-F-0042/", HTTP_ACCEPT=BIBTEX)
    assert response.status_code == 200
    assert response["Content-Type"] == f"{BIBTEX}; charset=utf-8"
    assert "Accept" in response["Vary"]
    library = bibtexparser.parse_string(response.content.decode())
    [entry] = library.entries
    assert entry.key == "MOK-F-0042"
    assert entry.fields_dict["author"].value == "Żak, Zofia"
    assert entry.fields_dict["year"].value == "1938"


@pytest.mark.parametrize(
    "kwargs", [{"data": {"format": "csl-json"}}, {"HTTP_ACCEPT": CSL}], ids=["format", "accept"]
)
def test_csl_json_by_format_or_accept(anon, mill, kwargs):
    response = anon.get("/api/v1/items/MOK-F-0042/", HTTP_ACCEPT_LANGUAGE="en", **kwargs)
    assert response.status_code == 200
    assert response["Content-Type"] == f"{CSL}; charset=utf-8"
    [item] = json.loads(response.content)
    assert item["title"] == "The mill on the Okrzesza"
    assert item["author"] == [{"family": "Żak", "given": "Zofia"}]
    assert item["issued"] == {"date-parts": [[1938]]}
    assert item["URL"] == "http://testserver/en/items/MOK-F-0042/"


def test_plain_json_is_still_the_default(anon, mill):
    response = anon.get("/api/v1/items/MOK-F-0042/")
    assert response["Content-Type"] == "application/json"
    assert response.json()["identifier"] == "MOK-F-0042"
    assert anon.get("/api/v1/items/MOK-F-0042/?format=json").json()["identifier"] == "MOK-F-0042"


@pytest.mark.parametrize("query", ["format=ris", "format=bibtex", "format=csl-json"])
def test_a_drafts_citation_is_not_found_for_the_public_in_json(anon, staff_api, query):
    ItemFactory(identifier="MOK-D-0001", status=Status.DRAFT)
    response = anon.get(f"/api/v1/items/MOK-D-0001/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    assert staff_api.get(f"/api/v1/items/MOK-D-0001/?{query}").status_code == 200


def test_an_unknown_format_is_a_400_naming_the_formats(anon, mill):
    response = anon.get("/api/v1/items/MOK-F-0042/?format=pdf", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "Unknown format “pdf”: use one of json, ris, bibtex, csl-json."
    }


def test_citation_formats_belong_to_details_not_lists(anon, mill):
    response = anon.get("/api/v1/items/?format=ris", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"detail": "Unknown format “ris”: use one of json."}


def test_an_unacceptable_accept_header_is_a_json_406(anon, mill):
    response = anon.get("/api/v1/items/MOK-F-0042/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_a_citation_is_revalidated_with_its_etag(anon, mill):
    first = anon.get("/api/v1/items/MOK-F-0042/?format=ris")
    again = anon.get("/api/v1/items/MOK-F-0042/?format=ris", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    json_etag = anon.get("/api/v1/items/MOK-F-0042/")["ETag"]
    assert json_etag != first["ETag"]  # another representation, another tag


def test_the_schema_documents_the_citation_formats(anon):
    schema = anon.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/items/{identifier}/"]["get"]
    [parameter] = [p for p in operation["parameters"] if p["name"] == "format"]
    assert set(parameter["schema"]["enum"]) == {"json", "ris", "bibtex", "csl-json"}
    assert set(operation["responses"]["200"]["content"]) == {"application/json", RIS, BIBTEX, CSL}
