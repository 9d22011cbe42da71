"""Dates in the words and the entity named, on every engine (search/compiler.py).

A year, a month, a decade or a century typed among the words (*Lindów 1939*, *zdjęcie z
lat 30.*, *kościół XIX wiek*, *przed wojną*) is read by the archive's own grammar of
Polish dates and ranks in tiers: items of the other words dated in it first, then the
items that mention it, then those whose date only overlaps it, then those that only
mention it; a number that is an identifier stays a word. An item whose title starts with
a query word is the entity named and comes first in its title tier; proximity counts
outside the title (docs/search.md, "Ranking" and "Dates in the words").
"""

import pytest

from search.backends import search
from search.compiler import compile_query, date_tiers, read_text_date
from search.outbox import drain
from search.query import SearchQuery
from tests.factories import ItemFactory, PlaceFactory


def results(text, **params):
    return search(SearchQuery.from_params({"q": text, **params}))


def ids(answer):
    return [hit.identifier for hit in answer.hits]


# Reading the date --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "phrase", "years"),
    [
        ("Mszczonów 1939", "1939", (1939, 1939)),
        ("wrzesień 1939", "wrzesień 1939", (1939, 1939)),
        ("zdjęcia z lat 30.", "z lat 30.", (1930, 1939)),
        ("lata trzydzieste", "lata trzydzieste", (1930, 1939)),
        ("kościół XIX wiek", "XIX wiek", (1800, 1899)),
        ("pałac XIX w.", "XIX w.", (1800, 1899)),
        ("malarstwo przełom XIX i XX w.", "przełom XIX i XX w.", (1890, 1909)),
        ("herb po 2000", "po 2000", (2000, None)),
        ("synagoga przed wojną", "przed wojną", (None, 1939)),
        ("fotograf lata 1920–1939", "lata 1920–1939", (1920, 1939)),
    ],
)
def test_a_date_in_the_words_is_read_as_the_archive_reads_dates(text, phrase, years):
    read = read_text_date(text)
    assert read is not None, text
    assert (read.text, (read.start, read.end)) == (phrase, years)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "Mszczonów",
        "wojna",  # a named period alone is a word
        "MOK-Z-0001",  # an identifier
        "nr 10 (156)",
        "Dom Maklakiewiczów, ul. Kościuszki 1",
        "Siemowita III",
        "droga do Lindowa",
        "jarmark -2010",  # an excluded word
        '"pożar 1862"',  # a phrase
    ],
)
def test_numbers_that_are_no_date_stay_words(text):
    assert read_text_date(text) is None


@pytest.mark.django_db
def test_a_date_and_year_filters_that_do_not_meet_leave_the_words_alone():
    query = SearchQuery.from_params({"q": "pożar 1862", "date_from": "1900"})
    assert date_tiers(compile_query(query)) == ()


# Ranking by the date on every engine -------------------------------------------------------


@pytest.fixture
def dated(search_backend):
    lindow = PlaceFactory(name="Lindów", slug="lindow")

    def make(identifier, title, date="", description="", places=(lindow,)):
        item = ItemFactory(identifier=identifier, title=title, date=date, description=description)
        item.places.set(places)

    make("D-IN", "Płonący dom w Lindowie", "1939-09?")
    make("D-MENTION", "Pomnik w Lindowie", "2011", "Upamiętnia obrońców z września 1939 r.")
    make("D-OVERLAP", "Kościół w Lindowie", "1862/..")
    make("D-LATER", "Remiza w Lindowie", "1950")
    make("D-PHOTO-30", "Zdjęcie rynku w Lindowie", "1935")
    make("D-PHOTO-50", "Zdjęcie szkoły w Lindowie", "1955")
    make("D-CHURCH-18", "Kościół drewniany w Lindowie", "1744")
    make("D-CHURCH-19", "Kościół murowany w Lindowie", "1875/1889")
    make("D-FAIR", "Jarmark 2010 w Lindowie", "1997/..")
    make("D-ID", "Karta katalogowa", "1939", places=())
    report = drain()
    assert not report.failed, report.error


def test_items_dated_in_the_year_come_first_then_those_that_mention_it(dated):
    answer = results("Lindów 1939")
    assert ids(answer)[:3] == ["D-IN", "D-MENTION", "D-OVERLAP"]
    # The fire station of 1950 neither overlaps 1939 nor mentions it.
    assert "D-LATER" not in ids(answer)
    assert answer.count == 3 and not answer.partial


def test_a_decade_in_words_finds_what_is_dated_in_it(dated):
    assert ids(results("zdjęcie z lat 30."))[0] == "D-PHOTO-30"
    assert "D-PHOTO-50" not in ids(results("zdjęcie z lat 30."))


def test_a_century_in_roman_numerals(dated):
    answer = results("kościół XIX wiek")
    assert ids(answer)[:2] == ["D-CHURCH-19", "D-OVERLAP"]
    # Only two churches of the 19th century: the partial matches of the words as typed
    # follow them, the church of 1744 saying what it lacks.
    assert answer.partial and answer.complete == 2
    assert ids(answer)[2:] == ["D-CHURCH-18"]
    assert set(answer.hits[2].missing) == {"xix", "wiek"}
    assert answer.count == 3


def test_a_year_in_a_title_still_finds_the_item(dated):
    # The fair of 1997/.. overlaps 2010 and its title says 2010.
    assert ids(results("jarmark 2010")) == ["D-FAIR"]
    assert ids(results("jarmark -2010")) == []


def test_an_open_end(dated):
    found = ids(results("Lindów po 1950"))
    # Dated after 1950 (the fair of 1997/.. too), before the church of 1862/.., which
    # only overlaps; nothing of 1939.
    assert set(found[:4]) == {"D-PHOTO-50", "D-LATER", "D-FAIR", "D-MENTION"}
    assert found[4:] == ["D-OVERLAP"]


def test_counts_and_facets_of_the_tiers_add_up(dated):
    answer = results("Lindów 1939", page_size="1")
    assert answer.count == 3 and len(answer.hits) == 1
    places = {f.value: f.count for f in answer.facets["place"]}
    assert places["lindow"] == 3
    second = results("Lindów 1939", page="2", page_size="1")
    assert ids(second) == ["D-MENTION"]


def test_year_filters_rank_what_lies_inside_them_first(dated):
    found = ids(results("Lindów", date_from="1930", date_to="1945"))
    assert found[0] == "D-IN"
    assert found.index("D-IN") < found.index("D-OVERLAP")


# The title is the entity; proximity outside the title --------------------------------------


@pytest.fixture
def mill(search_backend):
    place = PlaceFactory(name="Bronisławów", slug="bronislawow")
    for identifier, title in (
        ("E-SHRINE", "Kapliczka przy młynie w Bronisławowie"),
        ("E-MILL", "Młyn wodny Pękalów w Bronisławowie"),
        ("E-PHOTO", "Jan Pękala przed młynem"),
    ):
        ItemFactory(identifier=identifier, title=title).places.set([place])
    report = drain()
    assert not report.failed, report.error


@pytest.mark.parametrize("text", ["młyn Bronisławów", "mlyn bronislawow", "młyn w Bronisławowie"])
def test_the_item_whose_title_is_the_entity_comes_first(mill, text):
    found = ids(results(text))
    assert found[0] == "E-MILL", found
    assert found.index("E-MILL") < found.index("E-SHRINE")
