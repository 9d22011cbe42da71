"""Proper names inflect: a vocabulary name meets its declined forms on every engine.

Most names below are invented local names simplemma does not know (it leaves
*Strzałczynie* as it is and reads *Krzemieniowie* as *Krzemień*), so only the forms derived
from the catalogue's own vocabulary (search/names.py) can join them. Each case runs in both
directions: a description says the inflected form and the query is the name as catalogued,
or the item carries the name (place, person, collection) and the query is inflected.
"""

import pytest

from archive.models import Agent
from search import analysis
from search.backends import search
from search.names import NAMES, forms_of
from search.outbox import drain
from search.query import SearchQuery
from tests.factories import AgentFactory, CollectionFactory, ItemFactory, PlaceFactory

PLACES = [
    "Bziękowice",
    "Stryjkówka",
    "Kępiczno",
    "Strzałczyn",
    "Krzemieniów",
    "Chrząszczów",
    "Grodzisk Mazowiecki",
    "Radziejowice",
    "Bobrowce",
    "Wręcza",
]
PEOPLE = ["ks. Władysław Polkowski", "Hirsz Dawid Nomberg", "Helena Strzeszewska"]
COLLECTIONS = ["Kapela Podwilczyn"]

# Descriptions that name a place or person only in an inflected form (no vocabulary link).
MENTIONS = {
    "T-0": "Kapliczka w Bziękowicach przy drodze na Mszczonów.",
    "T-1": "Młyn wodny w Stryjkówce, rozebrany po wojnie.",
    "T-2": "Dwór w Kępicznie z parkiem.",
    "T-3": "Folwark pod Strzałczynem, plan z XIX wieku.",
    "T-4": "Szkoła w Krzemieniowie i jej nauczyciele.",
    "T-5": "Kościół drewniany w Chrząszczowie.",
    "T-6": "Kazanie księdza Polkowskiego na odpuście.",
    "T-7": "Opowiadanie Nomberga o miasteczku.",
    "T-8": "Listy do Heleny Strzeszewskiej z lat trzydziestych.",
    "T-9": "Widok ulicy w Grodzisku Mazowieckim.",
    "T-10": "Pałac w Radziejowicach, widok od parku.",
    "T-11": "Zagroda w Bobrowcach.",
    "T-12": "Występ kapeli w Podwilczynie na dożynkach.",
    "T-13": "Burmistrz wręczy nagrody laureatom.",
}


def find(text):
    return {hit.identifier for hit in search(SearchQuery.from_params({"q": text})).hits}


@pytest.fixture
def names_catalogue(search_backend):
    places = {name: PlaceFactory(name=name, slug=f"p-{n}") for n, name in enumerate(PLACES)}
    people = {
        name: AgentFactory(name=name, slug=f"a-{n}", kind=Agent.Kind.PERSON)
        for n, name in enumerate(PEOPLE)
    }
    kapela = CollectionFactory(title=COLLECTIONS[0], slug="kapela")
    for key, text in MENTIONS.items():
        ItemFactory(identifier=key, title=f"Obiekt {key}", description=text)
    for n, place in enumerate(places.values()):
        ItemFactory(identifier=f"P-{n}", title="Fotografia").places.set([place])
    for n, person in enumerate(people.values()):
        item = ItemFactory(identifier=f"A-{n}", title="Dokument")
        item.item_creators.create(agent=person, role="creator")
    kapela.items.add(ItemFactory(identifier="C-0", title="Nagranie"))
    report = drain()
    assert not report.failed, report.error


# The name as catalogued finds the item whose text says an inflected form.
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bziękowice", "T-0"),
        ("bziekowice", "T-0"),
        ("Stryjkówka", "T-1"),
        ("stryjkowka", "T-1"),
        ("Kępiczno", "T-2"),
        ("Strzałczyn", "T-3"),
        ("Krzemieniów", "T-4"),
        ("Chrząszczów", "T-5"),
        ("Polkowski", "T-6"),
        ("Nomberg", "T-7"),
        ("Strzeszewska", "T-8"),
        ("Grodzisk Mazowiecki", "T-9"),
        ("Radziejowice", "T-10"),
        ("Bobrowce", "T-11"),
        ("Podwilczyn", "T-12"),
    ],
)
def test_the_catalogued_name_finds_its_inflected_mentions(names_catalogue, query, expected):
    assert expected in find(query)


# An inflected query finds the item that carries the name (place, person, collection).
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bziękowicach", "P-0"),
        ("bziekowic", "P-0"),
        ("Stryjkówce", "P-1"),
        ("stryjkowki", "P-1"),
        ("Stryjkówką", "P-1"),
        ("Kępicznie", "P-2"),
        ("Kępiczna", "P-2"),
        ("Strzałczynie", "P-3"),
        ("strzalczynem", "P-3"),
        ("Krzemieniowie", "P-4"),
        ("Krzemieniowa", "P-4"),
        ("Chrząszczowie", "P-5"),
        ("Grodzisku Mazowieckim", "P-6"),
        ("Grodziska Mazowieckiego", "P-6"),
        ("Radziejowicach", "P-7"),
        ("Bobrowcach", "P-8"),
        ("Wręczy", "P-9"),  # a common word too, but typed with a capital
        ("Polkowskiego", "A-0"),
        ("Polkowskim", "A-0"),
        ("Nomberga", "A-1"),
        ("Nombergiem", "A-1"),
        ("Strzeszewskiej", "A-2"),
        ("Strzeszewską", "A-2"),
        ("Podwilczynie", "C-0"),
        ("Podwilczyna", "C-0"),
    ],
)
def test_an_inflected_name_finds_the_item_that_carries_it(names_catalogue, query, expected):
    assert expected in find(query)


def test_a_common_word_is_not_taken_for_a_name(names_catalogue):
    # "wręczy" (will hand over) is a form of the place Wręcza too, but written in lower
    # case and known to the dictionary it stays a verb: the place does not find it.
    assert "T-13" not in find("Wręcza")
    assert "P-9" not in find("wręczy nagrody")


def test_a_name_added_later_is_picked_up_by_the_next_index_and_query(search_backend):
    ItemFactory(identifier="L-1", title="Obiekt", description="Dzwonnica w Pęcherzynie.")
    drain()
    before = search(SearchQuery.from_params({"q": "Pęcherzyn"}))
    assert before.corrected or not before.hits  # at best a spelling correction
    PlaceFactory(name="Pęcherzyn", slug="pecherzyn")
    ItemFactory(identifier="L-2", title="Obiekt", description="Kapliczka w Pęcherzynie.")
    drain()
    after = search(SearchQuery.from_params({"q": "Pęcherzyn"}))
    assert "L-2" in {hit.identifier for hit in after.hits}
    assert not after.corrected


def test_a_capitalised_query_word_may_be_a_name_a_lower_case_one_may_not(db):
    PlaceFactory(name="Wręcza", slug="wrecza")
    analysis.forget_recorded_forms()
    capitalised = analysis.capitalised_words("Wręczy")
    assert "wrecza" in analysis.query_lemmas(["wręczy"], capitalised)["wręczy"]
    assert "wrecza" not in analysis.query_lemmas(["wręczy"])["wręczy"]
    assert analysis.capitalised_words("MOK-F WRĘCZY Wręczy") == {"wręczy"}


def test_a_form_two_names_share_belongs_to_neither(db):
    PlaceFactory(name="Rawa", slug="rawa")
    PlaceFactory(name="Rawy", slug="rawy")  # "rawy" is also a form of Rawa
    analysis.forget_recorded_forms()
    assert NAMES.lemma("rawie") == "rawa"
    assert NAMES.lemma("rawach") == "rawy"


def test_an_inflected_word_in_a_collection_title_is_no_name_of_its_own(db):
    PlaceFactory(name="Mszczonów", slug="mszczonow")
    CollectionFactory(title="Ludzie Mszczonowa", slug="ludzie")
    analysis.forget_recorded_forms()
    assert NAMES.lemma("mszczonowa") == "mszczonow"
    assert NAMES.lemma("ludzie") is None  # a common word


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("mszczonow", "mszczonowie"),
        ("zyrardow", "zyrardowa"),
        ("lutkowka", "lutkowce"),
        ("radziejowice", "radziejowicach"),
        ("bobrowce", "bobrowiec"),
        ("mszczonowska", "mszczonowskiej"),
        ("pniewo", "pniewie"),
        ("blonie", "bloniu"),
        ("bobrowiec", "bobrowcu"),
    ],
)
def test_forms_of_a_name_follow_its_declension(name, form):
    assert form in forms_of(name)
