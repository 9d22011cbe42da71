"""The search API, suggest, /healthz and the search page, as a visitor meets them."""

import pytest


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "*",
        "AND OR NOT",
        "NEAR(",
        "title:",
        "^",
        "(((",
        "x" * 10_000,
        "a\x00b",
        "\x00",
        "🏰😀",
        "i w na",
        "-",
        '-"',
        '""',
    ],
)
def test_hostile_queries_get_200_and_sane_json(client, corpus, q):
    response = client.get("/api/v1/search/", {"q": q})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 0 and isinstance(body["results"], list)
    assert set(body["facets"]) >= {"item_type", "collection", "decade", "place", "subject"}
    assert client.get("/api/v1/search/suggest/", {"q": q}).status_code == 200


def test_a_nul_character_in_a_search_is_read_as_a_space(client, corpus):
    # On PostgreSQL a NUL reaching SQL is an error: the query and the filters are cleaned.
    def found(params):
        body = client.get("/api/v1/search/", params).json()
        return [h["identifier"] for h in body["results"]]

    expected = found({"q": "synagoga", "place": "mszczonow"})
    assert expected[0] == "MOK-SYNAGOGA"
    assert found({"q": "synagoga\x00", "place": "mszczonow\x00"}) == expected
    assert found({"q": "synagoga\x00mszczonow"}) == found({"q": "synagoga mszczonow"})
    suggestions = client.get("/api/v1/search/suggest/", {"q": "syn\x00"}).json()
    assert suggestions["results"][0]["identifier"] == "MOK-SYNAGOGA"
    # Elsewhere in the API a NUL is still refused with a clear 400.
    response = client.get("/api/v1/items/", {"place": "\x00"})
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_search_json_has_the_contract_shape(client, corpus, search_backend):
    body = client.get("/api/v1/search/", {"q": "kosciola"}).json()
    assert body["backend"] == search_backend.name and body["degraded"] is False
    hit = body["results"][0]
    assert set(hit) >= {"identifier", "url", "title", "item_type", "date", "snippet", "thumbnail"}
    assert hit["identifier"] == "MOK-KOSCIOL"
    assert hit["url"] == "/pl/items/MOK-KOSCIOL/"
    assert hit["thumbnail"]["alt"] == "Widok kościoła od strony rynku"
    assert "<mark>" in hit["snippet"]
    facet = body["facets"]["place"][0]
    assert set(facet) == {"value", "label", "count"}


def test_page_past_the_end_is_a_404_with_detail(client, corpus):
    response = client.get("/api/v1/search/", {"page": "999999"})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_page_size_is_clamped(client, corpus):
    response = client.get("/api/v1/search/", {"page_size": "100000"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 7


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "dawno"},
        {"date_to": "1.5"},
        {"page": "x"},
        {"sort": "nonsense"},
        {"has_media": "maybe"},
        {"decade": "lata30"},
    ],
)
def test_bad_parameters_are_400_naming_them(client, corpus, params):
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == next(iter(params))
    assert body["detail"]


def test_typo_says_did_you_mean(client, corpus):
    body = client.get("/api/v1/search/", {"q": "synagoa"}).json()
    assert body["did_you_mean"] == "synagoga" and body["corrected"] is True
    assert body["results"][0]["identifier"] == "MOK-SYNAGOGA"


def test_suggest_returns_published_titles(client, corpus):
    body = client.get("/api/v1/search/suggest/", {"q": "kości"}).json()
    assert {
        "identifier": "MOK-KOSCIOL",
        "title": "Kościół św. Jana Chrzciciela w Mszczonowie",
        "url": "/pl/items/MOK-KOSCIOL/",
    } in body["results"]
    assert all(r["identifier"] != "MOK-SZKIC" for r in body["results"])


def test_healthz_reports_backend_and_outbox(client, corpus, search_backend):
    body = client.get("/healthz").json()
    search = {"backend": search_backend.name, "reachable": True}
    if not search_backend.is_database_backend:  # an engine: its circuit breaker too
        search["breaker"] = "closed"
    assert body == {"database": "ok", "outbox": 0, "search": search}


def test_search_page_renders_results_facets_and_highlights(client, corpus):
    response = client.get("/pl/search/", {"q": "kościoła", "item_type": "monument"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html and 'for="search-q"' in html
    assert 'aria-live="polite"' in html
    assert "Kościół św. Jana Chrzciciela w Mszczonowie" in html
    assert "<mark>" in html
    assert 'type="checkbox" name="item_type" value="monument"' in html
    assert "Rynek w Mszczonowie" not in html  # a photograph, filtered out


def test_search_page_tolerates_bad_parameters(client, corpus):
    response = client.get("/pl/search/", {"q": "(((", "date_from": "x", "page": "y"})
    assert response.status_code == 200


def test_a_reversed_year_range_gets_the_same_answer_as_the_right_one(client, corpus):
    right = client.get("/api/v1/search/", {"date_from": "1850", "date_to": "1925"})
    reversed_range = client.get("/api/v1/search/", {"date_from": "1925", "date_to": "1850"})
    assert right.status_code == reversed_range.status_code == 200
    assert right.json()["count"] > 0
    assert reversed_range.json()["results"] == right.json()["results"]
