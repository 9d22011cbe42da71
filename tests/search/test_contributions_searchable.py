"""Residents' approved contributions are part of their item in search (the least weighted
group, like alt-texts), on every engine; pending, rejected and withdrawn ones never are."""

import pytest
from django.utils import timezone

from archive.models import Status
from contributions.models import Contribution
from search.outbox import drain
from search.query import SearchQuery
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def found(backend, text: str) -> list[str]:
    return [h.identifier for h in backend.search(SearchQuery.from_params({"q": text})).hits]


def contribution(item, text: str, state=Contribution.State.NEW) -> Contribution:
    made = Contribution(item=item, text=text, consent_at=timezone.now(), state=state)
    made.new_withdrawal_key()
    if state != Contribution.State.NEW:
        made.moderated_at = timezone.now()
    made.save()
    return made


def test_an_approved_memory_finds_its_item_and_a_pending_one_does_not(search_backend):
    item = ItemFactory(identifier="MOK-RYNEK", title="Rynek w Mszczonowie", status=Status.PUBLISHED)
    other = ItemFactory(identifier="MOK-INNY", title="Kapliczka", status=Status.PUBLISHED)
    approved = contribution(item, "Przed kuźnią stał mój dziadek, kowal Hipolit.")
    contribution(other, "Pamiętam sklep pana Bonifacego.")
    rejected = contribution(other, "Reklama: Teodozjusz", Contribution.State.REJECTED)
    drain()
    assert found(search_backend, "Hipolit") == []  # not approved yet
    approved.state = Contribution.State.APPROVED
    approved.moderated_at = timezone.now()
    approved.save()
    drain()
    assert found(search_backend, "Hipolit") == ["MOK-RYNEK"]
    assert found(search_backend, "kowala") == ["MOK-RYNEK"]  # analysed like any text
    assert found(search_backend, "Bonifacego") == []
    assert found(search_backend, "Teodozjusz") == []
    # The title still outranks a passing mention in a resident's memory.
    contribution(other, "Obok kapliczki był rynek.", Contribution.State.APPROVED)
    drain()
    assert found(search_backend, "rynek")[0] == "MOK-RYNEK"
    # Withdrawn: gone from the index with it.
    approved.delete()
    rejected.delete()
    drain()
    assert found(search_backend, "Hipolit") == []
