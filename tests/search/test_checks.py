"""`manage.py check` stops a deployment whose search settings cannot work, with a hint."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from search.backends import base
from search.checks import check_search_settings


@pytest.fixture(autouse=True)
def fresh_backends():
    base._load.cache_clear()
    yield
    base._load.cache_clear()


def ids(settings):
    return [e.id for e in check_search_settings()]


def test_the_default_settings_pass(settings):
    settings.SEARCH_BACKEND = ""
    assert ids(settings) == []


def test_a_misspelt_backend_is_an_error_with_a_hint(settings):
    settings.SEARCH_BACKEND = "opensaerch"
    [error] = check_search_settings()
    assert error.id == "search.E001"
    assert "opensearch" in error.hint


def test_a_dotted_path_to_something_else_is_an_error(settings):
    settings.SEARCH_BACKEND = "search.query.SearchQuery"
    assert ids(settings) == ["search.E001"]


def test_an_engine_without_a_url_is_an_error(settings):
    settings.SEARCH_BACKEND = "opensearch"
    settings.SEARCH_URL = ""
    [error] = check_search_settings()
    assert error.id == "search.E002"
    assert "SEARCH_URL" in error.hint


def test_an_engine_url_must_be_http(settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_URL = "127.0.0.1:9200/kronika"
    assert ids(settings) == ["search.E003"]


def test_a_database_backend_of_another_database_is_an_error(settings):
    from django.db import connection

    settings.SEARCH_BACKEND = "postgres" if connection.vendor == "sqlite" else "sqlite"
    assert ids(settings) == ["search.E004"]


def test_a_timeout_must_be_a_positive_number(settings):
    settings.SEARCH_TIMEOUT = 0
    settings.SEARCH_COOLDOWN = "soon"
    assert ids(settings) == ["search.E005", "search.E005"]


def test_search_options_must_be_a_dict(settings):
    settings.SEARCH_OPTIONS = ["refresh"]
    assert ids(settings) == ["search.E006"]


def test_manage_py_check_reports_it(settings):
    settings.SEARCH_BACKEND = "opensaerch"
    with pytest.raises(SystemCheckError, match="search.E001"):
        call_command("check")


def test_the_loader_refuses_the_same_settings_as_improperly_configured(settings):
    settings.SEARCH_BACKEND = "opensaerch"
    with pytest.raises(ImproperlyConfigured, match="opensaerch"):
        base.get_backend()
    settings.SEARCH_BACKEND = "opensearch"
    settings.SEARCH_URL = ""
    with pytest.raises(ImproperlyConfigured, match="SEARCH_URL"):
        base.get_backend()


def test_the_backend_gets_its_whole_settings_entry(settings):
    settings.SEARCH_BACKEND = "opensearch"
    settings.SEARCH_URL = "http://127.0.0.1:9/kronika_checks"
    settings.SEARCH_TIMEOUT = 0.3
    settings.SEARCH_COOLDOWN = 7
    settings.SEARCH_OPTIONS = {"refresh": False}
    backend = base.get_backend()
    assert backend.options["search_timeout"] == 0.3
    assert backend.options["cooldown"] == 7
    assert backend.options["refresh"] is False
    assert backend.timeouts["search"] == 0.3
    assert backend.breaker.cooldown == 7
    assert backend.refresh is False
