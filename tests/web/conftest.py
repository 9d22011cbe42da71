"""Fixtures for the public website tests: the demo catalogue of Mszczonów, and page helpers."""

import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The demo catalogue (`manage.py load_demo`): 40+ published items of every type."""
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())


def fetch(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()
