"""The relevance suite: one set of tests, run against every search backend."""

import pytest

from search.backends import search, suggest
from search.outbox import drain
from search.query import SearchQuery
from tests.factories import PlaceFactory, SubjectFactory


def find(text="", **params):
    return search(SearchQuery.from_params({"q": text, **params}))


def ids(results):
    return [hit.identifier for hit in results.hits]


def test_inflected_words_meet_their_base_forms(corpus):
    results = find("kościoła w Mszczonowie")
    assert ids(results)[0] == "MOK-KOSCIOL"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zydowski", {"MOK-CMENTARZ", "MOK-SYNAGOGA"}),
        ("koscioł", {"MOK-KOSCIOL"}),
        ("kosciola", {"MOK-KOSCIOL"}),
        ("mszczonow cmentarz", {"MOK-CMENTARZ"}),
        ("boznicy", {"MOK-SYNAGOGA", "MOK-MAPA"}),
    ],
)
def test_words_typed_without_diacritics_are_found(corpus, text, expected):
    assert expected <= set(ids(find(text)))


def test_a_typo_is_corrected_and_said_so(corpus):
    results = find("synagoa")
    assert "MOK-SYNAGOGA" in ids(results)
    assert results.corrected
    assert results.did_you_mean == "synagoga"


def test_a_quoted_phrase_must_appear_in_order(corpus):
    assert ids(find('"wieża kościoła"')) == ["MOK-RYNEK"]
    assert ids(find('"kościoła wieża"')) == []


def test_an_excluded_word_removes_items(corpus):
    found = set(ids(find("mszczonów -synagoga")))
    assert "MOK-KOSCIOL" in found
    assert "MOK-SYNAGOGA" not in found
    assert "MOK-POZAR" not in found  # mentions "synagogi": the lemma is excluded too


def test_title_matches_outrank_description_matches(corpus):
    assert ids(find("kościół"))[0] == "MOK-KOSCIOL"
    assert ids(find("rynek"))[0] == "MOK-RYNEK"


def test_exact_form_ranks_above_a_lemma_only_match(corpus):
    # Both mention a form of "pożar"; only POZAR's title says it.
    assert ids(find("pożar"))[0] == "MOK-POZAR"


def test_date_range_keeps_overlapping_uncertain_dates(corpus):
    # 1920~ is 1919–1921; 185X is 1850–1859; 18XX is 1800–1899; undated items are left out.
    assert set(ids(find(date_from="1921", date_to="1925"))) == {"MOK-RYNEK"}
    assert set(ids(find(date_from="1855", date_to="1855"))) == {"MOK-SYNAGOGA", "MOK-CMENTARZ"}
    assert "MOK-POCZTOWKA" not in ids(find(date_from="1000"))
    assert set(ids(find(date_to="1400"))) == {"MOK-KOSCIOL"}


def test_facet_counts_equal_the_filtered_counts(corpus):
    results = find("mszczonów")
    assert results.facets["item_type"]
    for facet in ("item_type", "decade", "subject", "collection", "place"):
        for value in results.facets[facet]:
            filtered = find("mszczonów", **{facet: value.value})
            assert filtered.count == value.count, (facet, value)


def test_a_facet_keeps_its_other_values_when_filtered(corpus):
    results = find(item_type="map")
    assert ids(results) == ["MOK-MAPA"]
    values = {f.value for f in results.facets["item_type"]}
    assert {"map", "monument", "photograph"} <= values


def test_facet_labels_follow_the_vocabulary(corpus):
    results = find("żydowski")
    labels = {f.value: f.label for f in results.facets["subject"]}
    assert labels["kultura-zydowska"] == "Kultura żydowska"


def test_filters_of_one_facet_are_ored_and_of_different_facets_anded(corpus):
    both = find(item_type=["map", "photograph"])
    assert set(ids(both)) == {"MOK-MAPA", "MOK-RYNEK", "MOK-POCZTOWKA"}
    narrowed = find(item_type=["map", "photograph"], place="grodzisk-mazowiecki")
    assert ids(narrowed) == ["MOK-MAPA"]


def test_drafts_are_never_returned(corpus):
    assert "MOK-SZKIC" not in ids(find("kościół"))
    assert find("szkic").count == 0
    assert suggest("szki") == []
    assert find().count == 7


def test_empty_query_lists_everything_by_title(corpus):
    titles = [hit.title for hit in find().hits]
    assert titles == sorted(titles, key=str.casefold)


def test_sort_by_date_puts_undated_last(corpus):
    order = ids(find(sort="date"))
    assert order[0] == "MOK-KOSCIOL"
    assert order[-1] == "MOK-POCZTOWKA"
    assert ids(find(sort="-date"))[0] == "MOK-MAPA"


def test_snippet_marks_matches_and_escapes_the_rest(corpus):
    from archive.models import Item

    item = Item.objects.get(identifier="MOK-RYNEK")
    item.description = "Widok rynku: 5 < 6 & wieża kościoła <b>pogrubiona</b>."
    item.save()
    drain()
    hit = next(h for h in find("kościoła").hits if h.identifier == "MOK-RYNEK")
    assert "<mark>kościoła</mark>" in hit.snippet
    assert "5 &lt; 6 &amp; wieża" in hit.snippet
    assert "<b>" not in hit.snippet


def test_snippet_is_plain_text_without_markdown(corpus):
    hit = find("parafialny").hits[0]
    assert "**" not in hit.snippet and "http://x.pl" not in hit.snippet
    assert "<mark>kościół</mark>" not in hit.snippet  # only the query word is marked
    assert "<mark>parafialny</mark>" in hit.snippet


def test_a_polish_snippet_on_an_english_page_says_it_is_polish(corpus):
    from django.utils import translation

    from archive.models import Item

    item = Item.objects.get(identifier="MOK-RYNEK")
    item.description = "Targ na rynku w czwartki, z wozami chłopów."
    item.description_en = "The Thursday market on the square, with farmers' carts."
    item.save()
    drain()

    def hit(text):
        return next(h for h in find(text).hits if h.identifier == "MOK-RYNEK")

    with translation.override("en"):
        polish, english = hit("wozami"), hit("farmers")
    assert "<mark>wozami</mark>" in polish.snippet and polish.snippet_lang == "pl"
    assert "<mark>farmers</mark>" in english.snippet and english.snippet_lang == ""
    with translation.override("pl"):
        assert hit("wozami").snippet_lang == ""  # Polish on a Polish page needs no mark


def test_english_plurals_meet_their_singular(search_backend):
    from django.utils import translation

    from tests.factories import ItemFactory

    ItemFactory(identifier="EN-1", title="Kościół", title_en="The parish church")
    ItemFactory(
        identifier="EN-2",
        title="Widok",
        title_en="View of the town",
        description_en="Two churches and the market square seen from the tower.",
    )
    ItemFactory(identifier="EN-3", title="Rynek", title_en="The market square")
    drain()
    with translation.override("en"):
        singular, plural = find("church"), find("churches")
    assert set(ids(singular)) == set(ids(plural)) == {"EN-1", "EN-2"}
    assert set(ids(find("squares"))) == {"EN-2", "EN-3"}


def test_an_items_type_is_found_by_its_names_without_outranking_its_texts(search_backend):
    from django.utils import translation

    from tests.factories import ItemFactory

    ItemFactory(identifier="T-1", title="Rynek w 1935 r.", item_type="photograph")
    for n in range(2, 6):  # as in a catalogue: many items of a type, their name common
        ItemFactory(identifier=f"T-1{n}", title=f"Ulica Tarczyńska nr {n}", item_type="photograph")
    ItemFactory(identifier="T-2", title="Plan regulacyjny", item_type="map")
    ItemFactory(
        identifier="T-3",
        title="Album rodzinny",
        item_type="document",
        description="Zdjęcia rodziny Kowalskich z lat 30.",
    )
    drain()
    # Polish label, English label, another name (alias), inflected: the type's items.
    photographs = {"T-1", "T-12", "T-13", "T-14", "T-15"}
    assert set(ids(find("fotografia"))) == photographs
    assert set(ids(find("mapy"))) == {"T-2"}
    with translation.override("en"):
        assert set(ids(find("photographs"))) == photographs
    assert ids(find("zdjęcia rynek"))[0] == "T-1"
    # Words of the item's own texts rank above its type's names.
    found = ids(find("zdjęcia"))
    assert found[0] == "T-3" and set(found) == {"T-3", *photographs}
    # Never shown as the item's text.
    hit = next(h for h in find("fotografia").hits if h.identifier == "T-1")
    assert "fotografia" not in hit.snippet.lower()


def test_decades_are_listed_in_time_order_not_by_count(corpus):
    decades = [int(f.value) for f in find("").facets["decade"]]
    assert len(decades) > 3
    # 1850–1859 holds two items and every other decade one: by count it would come first.
    assert decades == sorted(decades)


def test_a_snippet_of_names_is_in_the_pages_language_and_names_each_once(search_backend):
    from django.utils import translation

    from tests.factories import ItemFactory

    place = PlaceFactory(name="Mszczonów", name_en="Mszczonów", slug="mszczonow")
    churches = SubjectFactory(name="Kościoły", name_en="Churches", slug="koscioly")
    views = SubjectFactory(name="Widoki miasta", name_en="Town views", slug="widoki")
    item = ItemFactory(identifier="NAMES-1", title="Widokówka", title_en="Postcard")
    item.subjects.set([churches, views])
    item.places.set([place])
    drain()

    def snippet(text):
        return next(h for h in find(text).hits if h.identifier == "NAMES-1").snippet

    with translation.override("en"):
        english = snippet("mszczonow")
    with translation.override("pl"):
        polish = snippet("mszczonow")
    assert english.count("Mszczonów") == 1 and polish.count("Mszczonów") == 1
    assert "Churches" in english and "Town views" in english
    assert "Kościoły" not in english and "Widoki" not in english
    assert "Kościoły" in polish and "Churches" not in polish


def test_a_reversed_year_range_is_read_the_right_way_round(corpus):
    reversed_range = SearchQuery.from_params({"date_from": "1925", "date_to": "1921"})
    assert (reversed_range.date_from, reversed_range.date_to) == (1921, 1925)
    assert reversed_range.dates_swapped
    assert set(ids(search(reversed_range))) == {"MOK-RYNEK"}


def test_suggest_treats_the_last_word_as_a_prefix(corpus):
    titles = [s.title for s in suggest("synag")]
    assert titles[0] == "Synagoga w Mszczonowie"
    assert [s.identifier for s in suggest("cmentarz zyd")] == ["MOK-CMENTARZ"]


def test_pagination(corpus):
    first = find(page_size="3")
    second = find(page_size="3", page="2")
    assert first.count == 7 and len(first.hits) == 3
    assert not set(ids(first)) & set(ids(second))


def test_a_deleted_item_disappears(corpus):
    corpus["POZAR"].delete()
    drain()
    assert "MOK-POZAR" not in ids(find("pożar"))


def test_an_unpublished_item_disappears(corpus):
    corpus["SYNAGOGA"].unpublish()
    drain()
    assert find("synagoga").count == 0 or "MOK-SYNAGOGA" not in ids(find("synagoga"))


def test_renaming_a_subject_reindexes_its_items(corpus):
    from archive.models import Subject

    subject = Subject.objects.get(slug="kultura-zydowska")
    subject.name = "Dziedzictwo żydowskie"
    subject.save()
    drain()
    assert {"MOK-CMENTARZ", "MOK-SYNAGOGA"} <= set(ids(find("dziedzictwo")))


@pytest.mark.parametrize(
    "text",
    ['"', "*", "AND OR NOT", "NEAR(", "title:", "^", "(((", "ż" * 10_000, "a\x00b", "🏰", "i w na"],
)
def test_hostile_queries_get_a_sane_answer(corpus, text):
    results = find(text)
    assert results.count >= 0
    assert len(results.hits) <= 20


# SQLite backend internals: per-process caches must never outlive an index change ------


def _sqlite_doc(pk, title, description=""):
    from search.documents import FacetValue, SearchDocument

    return SearchDocument(
        id=pk,
        identifier=f"SQL-{pk}",
        title=title,
        description=description,
        item_type="photograph",
        facets={"item_type": [FacetValue("photograph", "photograph")]},
    )


def _sqlite_find(backend, text, **params):
    return backend.search(SearchQuery.from_params({"q": text, **params}))


@pytest.mark.sqlite
def test_sqlite_cached_matches_follow_every_index_change(db):
    from search.backends.sqlite import SQLiteSearchBackend

    backend = SQLiteSearchBackend()
    backend.rebuild([_sqlite_doc(1, "Synagoga w Mszczonowie"), _sqlite_doc(2, "Rynek")])
    assert _sqlite_find(backend, "synagoga").count == 1
    assert _sqlite_find(backend, "synagoga").count == 1  # the remembered MATCH
    backend.index([_sqlite_doc(3, "Rynek", "Widok na synagogę z rynku.")])
    assert [h.identifier for h in _sqlite_find(backend, "synagoga").hits] == ["SQL-1", "SQL-3"]
    backend.delete([1])
    assert [h.identifier for h in _sqlite_find(backend, "synagoga").hits] == ["SQL-3"]


@pytest.mark.sqlite
def test_sqlite_paging_and_filtering_a_remembered_query_agree_with_one_page(db):
    from search.backends.sqlite import SQLiteSearchBackend, clear_query_caches

    backend = SQLiteSearchBackend()
    # The word is in no title: every match is scored by bm25 (the remembered scoring).
    backend.rebuild(
        [_sqlite_doc(pk, f"Pozycja {pk}", "kapliczka " * (pk % 5 + 1)) for pk in range(1, 31)]
    )
    clear_query_caches()
    everything = [h.identifier for h in _sqlite_find(backend, "kapliczka", page_size="100").hits]
    assert len(everything) == 30
    pages = []
    for page in range(1, 5):
        found = _sqlite_find(backend, "kapliczka", page_size="8", page=str(page))
        pages += [h.identifier for h in found.hits]
    assert pages == everything
    assert _sqlite_find(backend, "kapliczka", item_type="map").count == 0
    assert _sqlite_find(backend, "kapliczka", item_type="photograph").count == 30


@pytest.mark.sqlite
def test_sqlite_did_you_mean_forgets_words_that_left_the_index(db):
    from search.backends.sqlite import SQLiteSearchBackend

    backend = SQLiteSearchBackend()
    backend.rebuild([_sqlite_doc(1, "Kapliczka przydrożna"), _sqlite_doc(2, "Rynek")])
    corrected = _sqlite_find(backend, "kapliczak")
    assert corrected.did_you_mean == "kapliczka" and corrected.count == 1
    backend.delete([1])
    after = _sqlite_find(backend, "kapliczak")
    assert after.count == 0 and not after.corrected


@pytest.mark.sqlite
def test_sqlite_snippet_marks_other_forms_of_the_query_word(db):
    from search.backends.sqlite import SQLiteSearchBackend

    backend = SQLiteSearchBackend()
    backend.rebuild([_sqlite_doc(1, "Rynek", "Widok z wieży kościoła na rynek & ratusz.")])
    snippet = _sqlite_find(backend, "kościół").hits[0].snippet
    assert "<mark>kościoła</mark>" in snippet
    assert "&amp; ratusz" in snippet and "<mark>rynek</mark>" not in snippet


@pytest.mark.sqlite
def test_sqlite_search_connections_get_the_read_pragmas(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -32768
        cursor.execute("PRAGMA temp_store")
        assert cursor.fetchone()[0] == 2  # MEMORY


@pytest.mark.sqlite
def test_sqlite_rebuild_replaces_the_index_and_restores_its_settings(db):
    from django.db import connection

    from search.backends.sqlite import SQLiteSearchBackend

    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE tbl_name LIKE 'search_sqlite_%' "
                "ORDER BY name"
            )
            tables = cursor.fetchall()
            cursor.execute("SELECT k, v FROM search_sqlite_fts_config ORDER BY k")
            return tables, cursor.fetchall()

    backend = SQLiteSearchBackend()
    backend.rebuild([_sqlite_doc(1, "Synagoga w Mszczonowie"), _sqlite_doc(2, "Rynek")])
    before = schema()
    backend.rebuild([_sqlite_doc(3, "Kapliczka przydrożna"), _sqlite_doc(4, "Rynek")])
    assert _sqlite_find(backend, "synagoga").count == 0
    assert [h.identifier for h in _sqlite_find(backend, "rynek").hits] == ["SQL-4"]
    # The dropped secondary indexes are back, FTS5 keeps no bulk-load setting.
    assert schema() == before
    backend.index([_sqlite_doc(5, "Kapliczka na rynku")])
    assert _sqlite_find(backend, "kapliczka").count == 2


@pytest.mark.sqlite
def test_sqlite_rebuild_that_fails_midway_keeps_the_previous_index(db):
    from search.backends.sqlite import SQLiteSearchBackend

    backend = SQLiteSearchBackend()
    backend.rebuild([_sqlite_doc(1, "Synagoga w Mszczonowie"), _sqlite_doc(2, "Rynek")])

    def failing():
        yield _sqlite_doc(3, "Kapliczka przydrożna")
        raise RuntimeError("the catalogue went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(failing())
    assert [h.identifier for h in _sqlite_find(backend, "synagoga").hits] == ["SQL-1"]
    assert _sqlite_find(backend, "kapliczka").count == 0
    assert backend.document_count() == 2
