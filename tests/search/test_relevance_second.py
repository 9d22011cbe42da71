"""Issue 12's relevance leftovers, on every engine (the `corpus` and `search_backend`
fixtures run once per engine: tests/search/conftest.py):

- partial matches also when too few items have every word, sets of one size combined;
- phrases meet another case of their words (by lemma sequence), the exact form first;
- adjectives derived from the catalogue's place names meet their place;
- the hand-written override lexicon no longer lists what the names table covers.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from search import analysis
from search.backends import base, search
from search.names import NAMES, adjective_forms, adjective_of
from search.outbox import drain
from search.query import SearchQuery
from tests.factories import ItemFactory, PlaceFactory


def find(text="", **params):
    return search(SearchQuery.from_params({"q": text, **params}))


def ids(results):
    return [hit.identifier for hit in results.hits]


# Too few items have every word ---------------------------------------------------------


def test_too_few_complete_matches_are_followed_by_partial_ones(corpus):
    # Only the market-square photograph has all three words; the church's alt-text
    # ("Widok kościoła od strony rynku") has two of them.
    results = find("rynek kościół wieża")
    assert results.partial
    assert results.complete == 1
    assert ids(results) == ["MOK-RYNEK", "MOK-KOSCIOL"]
    assert results.hits[0].missing == ()
    assert results.hits[1].missing == ("wieża",)
    assert results.missing == ["wieża"]
    assert results.count == 2
    # Facet counts cover the same items.
    assert sum(f.count for f in results.facets["item_type"]) == 2


def test_enough_complete_matches_are_not_partial(corpus):
    assert base.TOO_FEW <= 3
    results = find("kościół mszczonów")
    assert results.count >= base.TOO_FEW
    assert not results.partial and results.complete == results.count


def test_sets_of_one_size_are_combined_rarest_first(corpus):
    # No item has both words: the Grodzisk map (rarer word) first, then every synagogue
    # item, each saying what it lacks.
    results = find("grodzisk synagoga")
    assert results.partial and results.complete == 0
    assert ids(results)[0] == "MOK-MAPA"
    assert {"MOK-SYNAGOGA", "MOK-POZAR"} <= set(ids(results)[1:])
    assert results.hits[0].missing == ("synagoga",)
    assert all(hit.missing == ("grodzisk",) for hit in results.hits[1:])
    assert results.count == len(results.hits) == 3
    assert results.missing == ["grodzisk", "synagoga"]


def test_partial_matches_page_on(corpus):
    everything = ids(find("grodzisk synagoga"))
    pages = [ids(find("grodzisk synagoga", page=str(n), page_size="1")) for n in (1, 2, 3)]
    assert [page[0] for page in pages] == everything


def test_the_json_says_how_many_are_complete_and_what_each_lacks(corpus):
    body = find("rynek kościół wieża").as_json()
    assert body["partial"] is True and body["complete"] == 1
    assert [r["missing"] for r in body["results"]] == [[], ["wieża"]]
    assert find("kościół").as_json()["complete"] == find("kościół").count


def test_the_page_says_how_many_have_every_word(client, corpus):
    with translation.override("en"):
        url = reverse("search:search")
    html = client.get(url, {"q": "rynek kościół wieża"}).content.decode()
    assert "Only 1 item has all your words" in html
    assert 'class="result-missing"' in html and "<s>wieża</s>" in html


# Phrases in another case ---------------------------------------------------------------


@pytest.fixture
def cornerstone(search_backend):
    ItemFactory(
        identifier="K-EXACT", title="Uroczystość", description="Kamień węgielny pod szkołę."
    )
    ItemFactory(
        identifier="K-CASE",
        title="Sprawozdanie",
        description="Poświęcenie kamienia węgielnego pod nowy kościół.",
    )
    ItemFactory(identifier="K-APART", title="Kamień", description="Węgielny róg budynku, kamień.")
    report = drain()
    assert not report.failed, report.error


def test_a_phrase_finds_its_words_in_another_case(cornerstone):
    assert set(ids(find('"kamień węgielny"'))) == {"K-EXACT", "K-CASE"}
    found = ids(find('"kamienia węgielnego"'))
    assert set(found) == {"K-EXACT", "K-CASE"}
    # The form as typed ranks first. (Typed in the nominative, PostgreSQL cannot tell:
    # its tsvector holds the lemma at the same position as the word, docs/search.md.)
    assert found[0] == "K-CASE"


def test_a_phrase_in_another_case_keeps_its_word_order(cornerstone):
    assert ids(find('"węgielny kamień"')) == []


# Place adjectives ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "adjective"),
    [
        ("lindow", "lindowski"),
        ("mszczonow", "mszczonowski"),
        ("grzegorzewice", "grzegorzewicki"),
        ("lutkowka", "lutkowski"),
        ("warszawa", "warszawski"),
        ("grodzisk", "grodziski"),
        ("blonie", "blonski"),
        ("piekary", "piekarski"),
        ("tarczyn", "tarczynski"),
        ("pekoszewska", None),  # an adjective already
        ("kielce", None),  # irregular: no guess
    ],
)
def test_a_place_name_has_the_adjective_its_ending_shows(place, adjective):
    assert adjective_of(place) == adjective


def test_adjective_forms_the_dictionary_reads_as_another_word_are_left_out(db):
    forms = adjective_forms("lask", analysis.lemma_of, analysis.is_common_word)
    assert "laskiego" in forms
    assert "laska" not in forms  # a cane, not "of Łask"


@pytest.fixture
def adjectives(search_backend):
    krzemieniow = PlaceFactory(name="Krzemieniów", slug="krzemieniow")
    PlaceFactory(name="Wola", slug="wola")
    ItemFactory(
        identifier="ADJ-TEXT",
        title="Obiekt",
        description="Dzwon parafii krzemieniowskiej, odlany w 1890 roku.",
    )
    ItemFactory(identifier="ADJ-PLACE", title="Fotografia").places.set([krzemieniow])
    ItemFactory(identifier="ADJ-SURNAME", title="List", description="Pisał pan Wolski.")
    report = drain()
    assert not report.failed, report.error


def test_the_place_finds_its_adjective(adjectives):
    assert "ADJ-TEXT" in ids(find("Krzemieniów"))
    assert "ADJ-TEXT" in ids(find("krzemieniow"))


def test_the_adjective_finds_its_place(adjectives):
    assert "ADJ-PLACE" in ids(find("krzemieniowskiego"))
    assert "ADJ-PLACE" in ids(find("Krzemieniowska"))


def test_a_place_that_is_a_common_word_gets_no_adjective(adjectives):
    assert NAMES.lemma("wolskiego") is None
    assert "ADJ-SURNAME" not in ids(find("Wola"))


# The override lexicon shrank -----------------------------------------------------------


FORMER_OVERRIDES = {
    "Mszczonów": ["mszczonow", "mszczonowa", "mszczonowie", "mszczonowem", "mszczonowowi"],
    "Żyrardów": ["zyrardow", "zyrardowa", "zyrardowie", "zyrardowem"],
}


@pytest.mark.parametrize("place", FORMER_OVERRIDES)
def test_the_names_table_covers_what_the_overrides_listed(db, place):
    PlaceFactory(name=place, slug=analysis.fold_word(place.lower()))
    analysis.forget_recorded_forms()
    lemma = analysis.fold_word(place.lower())
    for form in FORMER_OVERRIDES[place]:
        assert form not in analysis.OVERRIDES
        assert analysis.name_lemma(form) == lemma, form
        assert lemma in analysis.query_lemmas([form])[form], form
        assert analysis.analyse(form.capitalize()).lemmas == [lemma], form


# Proximity -----------------------------------------------------------------------------


@pytest.fixture
def proximity(search_backend):
    filler = " ".join(["Opis zawiera jeszcze wiele innych słów o okolicy i jej mieszkańcach."] * 4)
    ItemFactory(
        identifier="PX-NEAR", title="Dokument", description=f"Stara szkoła powszechna. {filler}"
    )
    ItemFactory(
        identifier="PX-FAR",
        title="Dokument",
        description="Szkoła, szkoła. Tu rosły drzewa i stał dom nad wodą. Powszechna, powszechna.",
    )
    ItemFactory(
        identifier="PX-TITLE",
        title="Szkoła",
        description=f"{filler} Nauka była powszechna.",
    )
    report = drain()
    assert not report.failed, report.error


def test_query_words_side_by_side_rank_first(proximity):
    found = ids(find("szkoła powszechna"))
    assert found.index("PX-NEAR") < found.index("PX-FAR")


def test_proximity_never_outranks_a_word_in_the_title(proximity):
    assert ids(find("szkoła powszechna"))[0] == "PX-TITLE"


def test_proximity_pairs_are_the_words_in_the_order_typed(db):
    from search.compiler import MAX_PROXIMITY_PAIRS, compile_query

    compiled = compile_query(SearchQuery.from_params({"q": "kościół w Lindowie 1862"}))
    pairs = [(a.word, b.word) for a, b in compiled.proximity_pairs]
    assert pairs == [("kościół", "lindowie"), ("lindowie", "1862")]
    many = compile_query(SearchQuery.from_params({"q": "a1 b2 c3 d4 e5 f6 g7"}))
    assert len(many.proximity_pairs) == MAX_PROXIMITY_PAIRS
