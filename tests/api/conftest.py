"""API fixtures: clients for the three kinds of caller and a small catalogue with a draft."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from archive.models import ItemCreator, Licence, Status
from archive.roles import EDITOR
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    MediaFileFactory,
    PlaceFactory,
    SubjectFactory,
)


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def archivist_user(django_user_model, db):
    """An editor (the Redaktor group; not staff, not superuser): writes through the API."""
    user = django_user_model.objects.create_user(username="kustosz", password="tajne-haslo-123")
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


@pytest.fixture
def staff_user(django_user_model, db):
    """Staff who is not an archivist: reads drafts, changes nothing."""
    return django_user_model.objects.create_user(
        username="sekretariat", password="tajne-haslo-123", is_staff=True
    )


@pytest.fixture
def archivist_api(archivist_user):
    client = APIClient()
    client.force_authenticate(archivist_user)
    return client


@pytest.fixture
def staff_api(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


@pytest.fixture
def catalogue(db):
    """Three published items and a draft, with vocabularies, a collection and an image."""
    cc_by = Licence.objects.get(code="CC-BY-4.0")
    church = SubjectFactory(name="Kościoły", slug="koscioly")
    town = PlaceFactory(name="Mszczonów", slug="mszczonow", latitude=51.97, longitude=20.52)
    photographer = AgentFactory(name="Jan Kowalski", slug="jan-kowalski")
    collection = CollectionFactory(title="Stare fotografie", slug="stare-fotografie")
    kosciol = ItemFactory(
        identifier="MOK-F-0001",
        title="Kościół św. Jana",
        title_en="St John's Church",
        date="1920~",
        description="Widok **kościoła** od rynku.",
        licence=cc_by,
    )
    kosciol.subjects.add(church)
    kosciol.places.add(town)
    ItemCreator.objects.create(item=kosciol, agent=photographer, role="photographer")
    CollectionItemFactory(collection=collection, item=kosciol)
    MediaFileFactory(item=kosciol, alt_text="Kościół od strony rynku", alt_text_en="The church")
    mapa = ItemFactory(
        identifier="MOK-M-0002", title="Mapa miasta", item_type="map", date="1942/1945"
    )
    mapa.places.add(town)
    undated = ItemFactory(identifier="MOK-D-0003", title="Akt bez daty", item_type="document")
    draft = ItemFactory(
        identifier="MOK-X-0099",
        title="Szkic tajny",
        status=Status.DRAFT,
        date="1930",
        item_type="map",
    )
    draft.subjects.add(church)
    draft.places.add(town)
    CollectionItemFactory(collection=collection, item=draft)
    return {
        "kosciol": kosciol,
        "mapa": mapa,
        "undated": undated,
        "draft": draft,
        "collection": collection,
        "subject": church,
        "place": town,
        "agent": photographer,
    }
