"""OAI-PMH 2.0: the six verbs, oai_dc, sets, dates, paging and the protocol's errors."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from archive.models import Item, ItemCreator, Licence, Status
from interop.models import DeletedRecord
from interop.oai import OAI_NS, XML_LANG, XSI_NS
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    MediaFileFactory,
    PlaceFactory,
    SubjectFactory,
)

from .conftest import NS, error_codes, identifiers, oai_id

pytestmark = pytest.mark.django_db

SCHEMA_LOCATION = (
    "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
)


def set_modified(item: Item, when: datetime.datetime) -> None:
    Item.objects.filter(pk=item.pk).update(modified=when)


# --- the envelope -------------------------------------------------------------------------


def test_identify_describes_the_repository(oai):
    ItemFactory()
    root = oai(verb="Identify")
    assert root.tag == f"{{{OAI_NS}}}OAI-PMH"
    assert root.nsmap[None] == OAI_NS
    assert root.get(f"{{{XSI_NS}}}schemaLocation") == SCHEMA_LOCATION
    assert [child.tag.split("}")[1] for child in root] == ["responseDate", "request", "Identify"]
    identify = root.find("oai:Identify", NS)
    values = {child.tag.split("}")[1]: child.text for child in identify}
    assert values["baseURL"] == "http://testserver/oai/"
    assert values["protocolVersion"] == "2.0"
    assert values["adminEmail"] == "archiwum@kronika.example.org"
    assert values["deletedRecord"] == "persistent"
    assert values["granularity"] == "YYYY-MM-DDThh:mm:ssZ"
    datetime.datetime.strptime(values["earliestDatestamp"], "%Y-%m-%dT%H:%M:%SZ")
    datetime.datetime.strptime(root.findtext("oai:responseDate", namespaces=NS),
                               "%Y-%m-%dT%H:%M:%SZ")  # fmt: skip
    sample = root.findtext(".//{*}oai-identifier/{*}sampleIdentifier")
    assert sample == "oai:kronika.example.org:MOK-F-0001"


def test_request_element_echoes_the_arguments(oai):
    ItemFactory()
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", from_="2000-01-01")
    request = root.find("oai:request", NS)
    assert request.text == "http://testserver/oai/"
    assert dict(request.attrib) == {
        "verb": "ListIdentifiers",
        "metadataPrefix": "oai_dc",
        "from": "2000-01-01",
    }


def test_post_with_form_encoding_works_like_get(oai):
    item = ItemFactory()
    root = oai("post", verb="GetRecord", identifier=oai_id(item.identifier),
               metadataPrefix="oai_dc")  # fmt: skip
    assert identifiers(root) == [oai_id(item.identifier)]


def test_other_http_methods_are_refused(client):
    assert client.put("/oai/?verb=Identify").status_code == 405


def test_list_metadata_formats_offers_oai_dc(oai):
    item = ItemFactory()
    for params in ({}, {"identifier": oai_id(item.identifier)}):
        root = oai(verb="ListMetadataFormats", **params)
        formats = root.findall(".//oai:metadataFormat", NS)
        assert [f.findtext("oai:metadataPrefix", namespaces=NS) for f in formats] == ["oai_dc"]
        assert formats[0].findtext("oai:metadataNamespace", namespaces=NS) == (
            "http://www.openarchives.org/OAI/2.0/oai_dc/"
        )


# --- oai_dc ---------------------------------------------------------------------------------


def test_get_record_maps_the_item_to_dublin_core(oai):
    item = ItemFactory(
        identifier="MOK-F-0042",
        title="Kościół św. Jana Chrzciciela",
        title_en="Church of St John the Baptist",
        description="Widok **od rynku**.",
        description_en="Seen from the market square.",
        date="1920~",
        rights_holder="Parafia w Mszczonowie",
        source="Archiwum parafialne",
        licence=Licence.objects.get(code="CC-BY-4.0"),
    )
    item.subjects.add(SubjectFactory(name="Kościoły", name_en="Churches"))
    item.places.add(PlaceFactory(name="Mszczonów", latitude=Decimal("51.97"),
                                 longitude=Decimal("20.52")))  # fmt: skip
    ItemCreator.objects.create(item=item, agent=AgentFactory(name="Jan Kowalski"))
    ItemCreator.objects.create(item=item, agent=AgentFactory(name="Drukarnia Mszczonów"),
                               role=ItemCreator.Role.PUBLISHER)  # fmt: skip
    MediaFileFactory(item=item)

    root = oai(verb="GetRecord", identifier=oai_id("MOK-F-0042"), metadataPrefix="oai_dc")
    dc = root.find(".//oai:metadata/oai_dc:dc", NS)
    assert dc.get(f"{{{XSI_NS}}}schemaLocation") == (
        "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
    )

    def values(tag):
        return [(e.text, e.get(XML_LANG)) for e in dc.findall(f"dc:{tag}", NS)]

    assert values("title") == [
        ("Kościół św. Jana Chrzciciela", "pl"),
        ("Church of St John the Baptist", "en"),
    ]
    assert values("description") == [
        ("Widok od rynku.", "pl"),
        ("Seen from the market square.", "en"),
    ]
    assert values("date") == [("1920~", None)]
    assert ("StillImage", None) in values("type")
    assert ("photograph", "en") in values("type")
    assert values("subject") == [("Kościoły", "pl"), ("Churches", "en")]
    assert values("creator") == [("Jan Kowalski", None)]
    assert values("publisher") == [("Drukarnia Mszczonów", None)]
    assert ("Mszczonów", "pl") in values("coverage")
    assert any("north=51.97" in text for text, _ in values("coverage"))
    rights = [text for text, _ in values("rights")]
    assert "https://creativecommons.org/licenses/by/4.0/deed.pl" in rights
    assert "Parafia w Mszczonowie" in rights
    ids = [text for text, _ in values("identifier")]
    assert ids == ["http://testserver/pl/items/MOK-F-0042/", "MOK-F-0042"]
    assert values("source") == [("Archiwum parafialne", None)]
    relations = [text for text, _ in values("relation")]
    assert relations[-1] == "http://testserver/iiif/MOK-F-0042/manifest.json"
    assert relations[0].startswith("http://testserver/media/")
    # Only DC elements inside oai_dc:dc.
    assert {child.tag.split("}")[0][1:] for child in dc} == {"http://purl.org/dc/elements/1.1/"}


def test_record_header_has_identifier_datestamp_and_sets(oai):
    parent = CollectionFactory(slug="mszczonow")
    child = CollectionFactory(slug="koscioly", parent=parent)
    item = ItemFactory()
    CollectionItemFactory(collection=child, item=item)
    set_modified(item, datetime.datetime(2024, 5, 3, 12, 30, 15, 123456, tzinfo=datetime.UTC))
    root = oai(verb="GetRecord", identifier=oai_id(item.identifier), metadataPrefix="oai_dc")
    header = root.find(".//oai:header", NS)
    assert header.get("status") is None
    assert header.findtext("oai:datestamp", namespaces=NS) == "2024-05-03T12:30:15Z"
    assert [e.text for e in header.findall("oai:setSpec", NS)] == ["mszczonow:koscioly"]


# --- lists, sets, dates ---------------------------------------------------------------------


def test_lists_hold_only_published_items(oai):
    published = ItemFactory.create_batch(3)
    draft = ItemFactory(status=Status.DRAFT)
    expected = sorted(oai_id(i.identifier) for i in published)
    for verb in ("ListIdentifiers", "ListRecords"):
        root = oai(verb=verb, metadataPrefix="oai_dc")
        assert sorted(identifiers(root)) == expected
        assert oai_id(draft.identifier) not in identifiers(root)
    assert root.find("oai:ListRecords/oai:resumptionToken", NS) is None


def test_draft_is_not_in_the_repository(oai):
    draft = ItemFactory(status=Status.DRAFT)
    root = oai(verb="GetRecord", identifier=oai_id(draft.identifier), metadataPrefix="oai_dc")
    assert error_codes(root) == ["idDoesNotExist"]
    root = oai(verb="ListMetadataFormats", identifier=oai_id(draft.identifier))
    assert error_codes(root) == ["idDoesNotExist"]


def test_list_sets_shows_the_collection_hierarchy(oai):
    parent = CollectionFactory(slug="mszczonow", title="Mszczonów", title_en="Mszczonów town",
                               description="Miasto i okolice.")  # fmt: skip
    child = CollectionFactory(slug="koscioly", title="Kościoły", parent=parent)
    CollectionItemFactory(collection=child, item=ItemFactory())  # a set needs a published item
    root = oai(verb="ListSets")
    sets = {
        s.findtext("oai:setSpec", namespaces=NS): s.findtext("oai:setName", namespaces=NS)
        for s in root.findall(".//oai:set", NS)
    }
    assert sets == {"mszczonow": "Mszczonów", "mszczonow:koscioly": "Kościoły"}
    description = root.find(".//oai:setDescription/oai_dc:dc", NS)
    assert description.findtext("dc:description", namespaces=NS) == "Miasto i okolice."


def test_set_selects_its_items_and_those_of_its_subsets(oai):
    parent = CollectionFactory(slug="mszczonow")
    child = CollectionFactory(slug="koscioly", parent=parent)
    other = CollectionFactory(slug="kolej")
    in_parent, in_child, in_other = ItemFactory(), ItemFactory(), ItemFactory()
    ItemFactory()  # in no set
    CollectionItemFactory(collection=parent, item=in_parent)
    CollectionItemFactory(collection=child, item=in_child)
    CollectionItemFactory(collection=other, item=in_other)

    def listed(spec):
        return sorted(identifiers(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)))

    assert listed("mszczonow") == sorted(oai_id(i.identifier) for i in (in_parent, in_child))
    assert listed("mszczonow:koscioly") == [oai_id(in_child.identifier)]
    assert listed("kolej") == [oai_id(in_other.identifier)]
    assert error_codes(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="brak")) == [
        "noRecordsMatch"
    ]


def test_from_and_until_select_by_datestamp(oai):
    old, middle, new = ItemFactory(), ItemFactory(), ItemFactory()
    set_modified(old, datetime.datetime(2020, 1, 1, 8, 0, 0, tzinfo=datetime.UTC))
    set_modified(middle, datetime.datetime(2022, 6, 15, 10, 0, 30, 500000, tzinfo=datetime.UTC))
    set_modified(new, datetime.datetime(2024, 12, 31, 23, 59, 59, tzinfo=datetime.UTC))

    def listed(**params):
        root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **params)
        return [i.rsplit(":", 1)[1] for i in identifiers(root)] or error_codes(root)

    assert listed(from_="2021-01-01") == [middle.identifier, new.identifier]
    assert listed(until="2022-06-15") == [old.identifier, middle.identifier]
    assert listed(until="2022-06-14") == [old.identifier]
    # Second granularity: until includes its whole second, from starts at it.
    assert listed(from_="2022-06-15T10:00:30Z", until="2022-06-15T10:00:30Z") == [middle.identifier]
    assert listed(from_="2022-06-15T10:00:31Z", until="2024-12-31T23:59:58Z") == ["noRecordsMatch"]
    assert listed(from_="2025-01-01") == ["noRecordsMatch"]


# --- paging -----------------------------------------------------------------------------


def test_resumption_tokens_page_through_ties_without_duplicates(oai, settings):
    settings.KRONIKA_OAI_PAGE_SIZE = 4
    items = ItemFactory.create_batch(10)
    same_second = datetime.datetime(2023, 3, 1, 9, 0, 0, tzinfo=datetime.UTC)
    Item.objects.update(modified=same_second)  # every datestamp ties: the pk decides
    seen, token, pages, cursors = [], None, 0, []
    while True:
        params = {"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"}
        root = oai(verb="ListRecords", **params)
        seen += identifiers(root)
        pages += 1
        element = root.find(".//oai:resumptionToken", NS)
        assert element.get("completeListSize") == "10"
        cursors.append(element.get("cursor"))
        token = element.text
        if not token:
            break
    assert pages == 3
    assert cursors == ["0", "4", "8"]
    assert sorted(seen) == sorted(oai_id(i.identifier) for i in items)
    assert len(seen) == len(set(seen))


def test_records_added_during_a_harvest_come_once_at_the_end(oai, settings):
    settings.KRONIKA_OAI_PAGE_SIZE = 3
    first = ItemFactory.create_batch(6)
    Item.objects.update(modified=timezone.now() - datetime.timedelta(days=1))
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = identifiers(root)
    token = root.findtext(".//oai:resumptionToken", namespaces=NS)
    added = ItemFactory.create_batch(2)
    # A record from the first page changes: it comes again, once, with its new datestamp.
    changed = Item.objects.get(identifier=seen[0].rsplit(":", 1)[1])
    changed.title = "Zmieniony tytuł"
    changed.save()
    while token:
        root = oai(verb="ListIdentifiers", resumptionToken=token)
        seen += identifiers(root)
        token = root.findtext(".//oai:resumptionToken", namespaces=NS)
    expected = [oai_id(i.identifier) for i in first + added] + [oai_id(changed.identifier)]
    assert sorted(seen) == sorted(expected)


# --- deleted records ----------------------------------------------------------------------


def test_unpublished_item_is_reported_deleted_until_republished(oai):
    collection = CollectionFactory(slug="kolej")
    item = ItemFactory()
    CollectionItemFactory(collection=collection, item=item)
    item.unpublish()
    assert DeletedRecord.objects.filter(identifier=item.identifier).exists()

    root = oai(verb="GetRecord", identifier=oai_id(item.identifier), metadataPrefix="oai_dc")
    header = root.find(".//oai:header", NS)
    assert header.get("status") == "deleted"
    assert root.find(".//oai:metadata", NS) is None
    assert [e.text for e in header.findall("oai:setSpec", NS)] == ["kolej"]
    for verb in ("ListIdentifiers", "ListRecords"):
        root = oai(verb=verb, metadataPrefix="oai_dc", set="kolej")
        assert [h.get("status") for h in root.iterfind(".//oai:header", NS)] == ["deleted"]

    item.publish()
    assert not DeletedRecord.objects.exists()
    root = oai(verb="GetRecord", identifier=oai_id(item.identifier), metadataPrefix="oai_dc")
    assert root.find(".//oai:header", NS).get("status") is None
    assert root.find(".//oai:metadata", NS) is not None


def test_deleted_item_is_reported_deleted(oai):
    kept, gone = ItemFactory(), ItemFactory()
    gone_identifier = gone.identifier
    gone.delete()
    root = oai(verb="ListRecords", metadataPrefix="oai_dc")
    headers = {
        h.findtext("oai:identifier", namespaces=NS): h.get("status")
        for h in root.iterfind(".//oai:header", NS)
    }
    assert headers == {oai_id(kept.identifier): None, oai_id(gone_identifier): "deleted"}


def test_deleting_or_unpublishing_a_draft_leaves_no_tombstone(oai):
    draft = ItemFactory(status=Status.DRAFT)
    draft.title = "Nadal szkic"
    draft.save()
    draft.delete()
    assert not DeletedRecord.objects.exists()


def test_renamed_identifier_reports_the_old_one_deleted(oai):
    item = ItemFactory(identifier="MOK-F-0001")
    item.identifier = "MOK-F-0100"
    item.save()
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    headers = {
        h.findtext("oai:identifier", namespaces=NS): h.get("status")
        for h in root.iterfind(".//oai:header", NS)
    }
    assert headers == {oai_id("MOK-F-0100"): None, oai_id("MOK-F-0001"): "deleted"}


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{}, {"verb": "Harvest"}, {"verb": ["Identify", "Identify"]}, {"verb": "identify"}],
)
def test_bad_verb(oai, params):
    root = oai(**params)
    assert error_codes(root) == ["badVerb"]
    assert dict(root.find("oai:request", NS).attrib) == {}


@pytest.mark.parametrize(
    "params",
    [
        {"verb": "Identify", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords"},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-13-45"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01T10:00:00"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01",
         "until": "2021-01-01T00:00:00Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-01-01",
         "until": "2020-01-01"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
    ],
)  # fmt: skip
def test_bad_argument(oai, params):
    ItemFactory()
    root = oai(**params)
    assert error_codes(root) == ["badArgument"]
    assert dict(root.find("oai:request", NS).attrib) == {}


def test_bad_resumption_token(oai, settings):
    settings.KRONIKA_OAI_PAGE_SIZE = 1
    ItemFactory.create_batch(2)
    assert error_codes(oai(verb="ListRecords", resumptionToken="not-a-token")) == [
        "badResumptionToken"
    ]
    root = oai(verb="ListRecords", metadataPrefix="oai_dc")
    token = root.findtext(".//oai:resumptionToken", namespaces=NS)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert error_codes(oai(verb="ListRecords", resumptionToken=tampered)) == ["badResumptionToken"]
    # A ListRecords token does not continue ListIdentifiers.
    assert error_codes(oai(verb="ListIdentifiers", resumptionToken=token)) == ["badResumptionToken"]
    assert error_codes(oai(verb="ListSets", resumptionToken=token)) == ["badResumptionToken"]


def test_cannot_disseminate_format(oai):
    item = ItemFactory()
    for verb in ("ListRecords", "ListIdentifiers"):
        assert error_codes(oai(verb=verb, metadataPrefix="marc21")) == ["cannotDisseminateFormat"]
    root = oai(verb="GetRecord", identifier=oai_id(item.identifier), metadataPrefix="mods")
    assert error_codes(root) == ["cannotDisseminateFormat"]


def test_id_does_not_exist(oai):
    ItemFactory(identifier="MOK-F-0001")
    for identifier in ("oai:kronika.example.org:MOK-F-9999", "oai:elsewhere.org:MOK-F-0001",
                       "MOK-F-0001"):  # fmt: skip
        root = oai(verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
        assert error_codes(root) == ["idDoesNotExist"]


def test_no_records_match(oai):
    assert error_codes(oai(verb="ListRecords", metadataPrefix="oai_dc")) == ["noRecordsMatch"]
    ItemFactory(status=Status.DRAFT)
    assert error_codes(oai(verb="ListIdentifiers", metadataPrefix="oai_dc")) == ["noRecordsMatch"]


def test_no_set_hierarchy_without_collections(oai):
    ItemFactory()
    assert error_codes(oai(verb="ListSets")) == ["noSetHierarchy"]
    root = oai(verb="ListRecords", metadataPrefix="oai_dc", set="kolej")
    assert error_codes(root) == ["noSetHierarchy"]


def test_list_records_query_count_does_not_grow_with_the_page(oai, django_assert_max_num_queries):
    for item in ItemFactory.create_batch(20):
        item.subjects.add(SubjectFactory())
        item.places.add(PlaceFactory())
        ItemCreator.objects.create(item=item, agent=AgentFactory())
        CollectionItemFactory(item=item)
        MediaFileFactory(item=item)
    with django_assert_max_num_queries(14):
        root = oai(verb="ListRecords", metadataPrefix="oai_dc")
    assert len(identifiers(root)) == 20


def test_control_characters_never_break_the_xml(oai):
    # (No NUL: PostgreSQL cannot store one, and every way in refuses it; see test_security.)
    item = ItemFactory(title="Tytuł\x0bz tabulatorem", description="Opis\x01\x1f.")
    root = oai(verb="GetRecord", identifier=oai_id(item.identifier), metadataPrefix="oai_dc")
    assert root.findtext(".//dc:title", namespaces=NS) == "Tytułz tabulatorem"
    root = oai(verb="ListRecords", metadataPrefix="oai_dc", set="\x01zły")
    assert error_codes(root) == ["noSetHierarchy"]


def test_until_the_end_of_time_is_accepted(oai):
    item = ItemFactory()
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", until="9999-12-31")
    assert identifiers(root) == [oai_id(item.identifier)]


def test_every_element_is_in_a_declared_namespace(oai):
    parent = CollectionFactory(slug="mszczonow", title_en="Mszczonów town")
    item = ItemFactory(title_en="Town", description="Opis.")
    CollectionItemFactory(collection=parent, item=item)
    ItemFactory().unpublish()
    allowed = {
        OAI_NS,
        "http://www.openarchives.org/OAI/2.0/oai_dc/",
        "http://purl.org/dc/elements/1.1/",
        "http://www.openarchives.org/OAI/2.0/oai-identifier",
    }
    for params in (
        {"verb": "Identify"},
        {"verb": "ListSets"},
        {"verb": "ListMetadataFormats"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "bad"},
    ):
        root = oai(**params)
        for element in root.iter():
            assert element.tag.split("}")[0][1:] in allowed, (params, element.tag)
    # In a record the header comes first, then the metadata.
    root = oai(verb="ListRecords", metadataPrefix="oai_dc")
    for record in root.iterfind(".//oai:record", NS):
        tags = [child.tag.split("}")[1] for child in record]
        assert tags in (["header", "metadata"], ["header"])
