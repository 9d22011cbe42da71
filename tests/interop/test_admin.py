"""Archivists can see which records harvesters were told are deleted, but not forge them."""

import pytest

from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_withdrawn_items_are_listed_read_only(archivist_client):
    item = ItemFactory(identifier="MOK-F-0321")
    item.unpublish()
    response = archivist_client.get("/pl/admin/interop/deletedrecord/")
    assert response.status_code == 200
    assert "MOK-F-0321" in response.content.decode()
    assert archivist_client.get("/pl/admin/interop/deletedrecord/add/").status_code == 403
