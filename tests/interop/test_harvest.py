"""A real harvester (Sickle, from PyPI) harvests the repository over HTTP."""

import pytest
from lxml import etree
from sickle import Sickle

from archive.models import Item, Licence, Status
from interop.oai import OAI_DC_NS, OAI_NS
from tests.factories import CollectionFactory, CollectionItemFactory

# serialized_rollback: the flush after a live-server test must not lose the migrated licences.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def make_items(count: int, drafts_every: int = 7) -> tuple[set[str], set[str]]:
    licence = Licence.objects.get(code="InC")
    items = [
        Item(
            identifier=f"MOK-H-{n:04d}",
            title=f"Zbiór {n}",
            title_en=f"Holding {n}",
            item_type="document",
            licence=licence,
            status=Status.DRAFT if n % drafts_every == 0 else Status.PUBLISHED,
        )
        for n in range(count)
    ]
    Item.objects.bulk_create(items)
    published = {i.identifier for i in items if i.status == Status.PUBLISHED}
    drafts = {i.identifier for i in items if i.status == Status.DRAFT}
    return published, drafts


@pytest.fixture
def harvester(live_server, settings):
    settings.KRONIKA_OAI_REPOSITORY_ID = "kronika.example.org"
    settings.KRONIKA_OAI_PAGE_SIZE = 100
    return Sickle(f"{live_server.url}/oai/", max_retries=0, timeout=30)


def local(header_identifier: str) -> str:
    assert header_identifier.startswith("oai:kronika.example.org:")
    return header_identifier.rsplit(":", 1)[1]


def test_sickle_harvests_exactly_the_published_items(harvester):
    published, drafts = make_items(250)
    assert len(published) > 200 and drafts
    headers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc"))
    harvested = [local(h.identifier) for h in headers]
    assert len(harvested) == len(set(harvested))
    assert set(harvested) == published

    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    assert {local(r.header.identifier) for r in records} == published
    assert len(records) == len(published)
    first = records[0]
    assert first.metadata["title"][0].startswith("Zbiór")
    # The XML each record came in is namespace-correct.
    assert first.xml.tag == f"{{{OAI_NS}}}record"
    assert first.xml.find(f".//{{{OAI_DC_NS}}}dc") is not None


def test_sickle_harvests_by_post_with_a_set(live_server, settings):
    settings.KRONIKA_OAI_REPOSITORY_ID = "kronika.example.org"
    settings.KRONIKA_OAI_PAGE_SIZE = 10
    published, _drafts = make_items(40)
    collection = CollectionFactory(slug="dokumenty")
    chosen = sorted(published)[:25]
    for item in Item.objects.filter(identifier__in=chosen):
        CollectionItemFactory(collection=collection, item=item)
    sickle = Sickle(f"{live_server.url}/oai/", http_method="POST", max_retries=0)
    sets = [s.setSpec for s in sickle.ListSets()]
    assert sets == ["dokumenty"]
    harvested = [local(h.identifier) for h in
                 sickle.ListIdentifiers(metadataPrefix="oai_dc", set="dokumenty")]  # fmt: skip
    assert sorted(harvested) == chosen


def test_harvest_sees_withdrawals(harvester):
    published, _drafts = make_items(20)
    withdrawn = Item.objects.get(identifier=sorted(published)[0])
    withdrawn.unpublish()
    deleted = Item.objects.get(identifier=sorted(published)[1])
    deleted.delete()
    headers = {local(h.identifier): h.deleted for h in
               harvester.ListIdentifiers(metadataPrefix="oai_dc")}  # fmt: skip
    assert set(headers) == published
    assert {k for k, is_deleted in headers.items() if is_deleted} == {
        withdrawn.identifier,
        deleted.identifier,
    }
    record = harvester.GetRecord(identifier=f"oai:kronika.example.org:{withdrawn.identifier}",
                                 metadataPrefix="oai_dc")  # fmt: skip
    assert record.deleted


def test_identify_through_sickle(harvester):
    make_items(3)
    identify = harvester.Identify()
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "persistent"
    etree.fromstring(identify.raw.encode())
