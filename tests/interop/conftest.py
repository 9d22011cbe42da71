import pytest
from lxml import etree

from interop.oai import DC_NS, OAI_DC_NS, OAI_NS

NS = {"oai": OAI_NS, "oai_dc": OAI_DC_NS, "dc": DC_NS}


class OAIClient:
    """Asks the endpoint like a harvester and parses the XML it gets back."""

    def __init__(self, client):
        self.client = client

    def __call__(self, method: str = "get", **params):
        params = {("from" if k == "from_" else k): v for k, v in params.items()}
        response = getattr(self.client, method)("/oai/", params)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        return etree.fromstring(response.content)


@pytest.fixture
def oai(client, settings):
    settings.KRONIKA_OAI_REPOSITORY_ID = "kronika.example.org"
    settings.KRONIKA_OAI_ADMIN_EMAIL = "archiwum@kronika.example.org"
    return OAIClient(client)


def error_codes(root) -> list[str]:
    return [element.get("code") for element in root.findall("oai:error", NS)]


def identifiers(root) -> list[str]:
    return [e.text for e in root.iterfind(".//oai:header/oai:identifier", NS)]


def oai_id(identifier: str) -> str:
    return f"oai:kronika.example.org:{identifier}"
