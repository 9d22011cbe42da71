"""Polish analysis: the same words must meet whatever their case, ending or diacritics."""

import pytest

from search import analysis
from search.query import SearchQuery, parse_text


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("kościoła", "kosciol"),
        ("kościele", "kosciol"),
        ("Kościół", "kosciol"),
        ("Mszczonowa", "mszczonow"),
        ("Mszczonowie", "mszczonow"),
        ("cmentarza", "cmentarz"),
        ("Grodzisku", "grodzisk"),  # simplemma alone says "grodzisko"
        ("bożnicy", "boznica"),  # simplemma alone says "bożnik"
        ("boznicy", "boznica"),  # the override lexicon works without diacritics too
        ("św", "swiety"),  # abbreviations meet the word they stand for: św. → świętego
        ("ks", "ksiadz"),
        ("ul", "ulica"),
        ("1939", "1939"),
    ],
)
def test_lemma_of_meets_the_base_form(word, lemma):
    assert analysis.lemma_of(word.lower()) == lemma


def test_analyse_keeps_exact_folded_tokens_aligned_with_lemmas(db):
    result = analysis.analyse("Kościół w Mszczonowie, ŁÓDŹ")
    assert result.exact == ["kosciol", "mszczonowie", "lodz"]
    assert result.lemmas == ["kosciol", "mszczonow", "lodz"]


def test_stopwords_are_neither_indexed_nor_required(db):
    assert analysis.analyse("i w na z").exact == []
    assert analysis.content_tokens("kościół w Mszczonowie") == ["kościół", "mszczonowie"]


def test_diacritic_less_query_maps_to_the_lemma_of_indexed_words(db):
    analysis.record_forms(["Widok kościoła i żydowskiego cmentarza"])
    lemmas = analysis.query_lemmas(["kosciola", "zydowskiego"])
    assert "kosciol" in lemmas["kosciola"]
    assert "zydowski" in lemmas["zydowskiego"]


@pytest.mark.parametrize(
    ("typed", "lemma"),
    [
        ("kosciola", "kosciol"),  # kościoła
        ("swietego", "swiety"),  # świętego
        ("zolnierzy", "zolnierz"),  # żołnierzy
        ("zydowskiego", "zydowski"),  # żydowskiego
        ("wiezy", "wieza"),  # wieży
        ("pozarze", "pozar"),  # pożarze
    ],
)
def test_a_word_typed_without_diacritics_meets_its_lemma_with_an_empty_index(db, typed, lemma):
    # Nothing is indexed, so the folded-form map cannot help: the dictionary must.
    assert lemma in analysis.query_lemmas([typed])[typed]


def test_restoring_diacritics_leaves_real_and_foreign_words_alone():
    assert analysis.restored_lemmas("przedszkolanka") == frozenset()  # a word as it is
    assert analysis.restored_lemmas("church") == frozenset()
    assert analysis.restored_lemmas("kościoła") == frozenset()  # has its diacritics


def test_display_word_restores_diacritics(db):
    analysis.record_forms(["Synagoga i bożnica"])
    assert analysis.display_word("boznica") == "bożnica"


def test_query_parses_words_phrases_and_exclusions():
    words, phrases, exclusions = parse_text('kościół "stary rynek" -pożar')
    assert words == ("kościół",)
    assert phrases == (("stary", "rynek"),)
    assert exclusions == ("pożar",)


@pytest.mark.parametrize(
    "text",
    ['"', "*", "AND OR NOT", "NEAR(", "title:", "^", "(((", "x" * 10_000, "a\x00b", "🏰 😀", "i w"],
)
def test_hostile_query_text_never_raises(text):
    query = SearchQuery.from_params({"q": text})
    assert len(query.words) <= 16


def test_page_size_is_clamped_and_bad_numbers_are_named():
    assert SearchQuery.from_params({"page_size": "100000"}).page_size == 100
    from search.query import QueryError

    with pytest.raises(QueryError) as error:
        SearchQuery.from_params({"date_from": "dawno"})
    assert error.value.param == "date_from"
    assert SearchQuery.from_params({"date_from": "dawno"}, strict=False).date_from is None


def test_analyse_collects_each_diacritic_form_once_first_spelling_kept(db):
    forms: dict[tuple[str, str], str] = {}
    first = analysis.analyse("Kościoła, kościoła i KOŚCIOŁA; rynek bez znaków", forms)
    again = analysis.analyse("Kościoła", forms)  # served from the per-word cache
    assert first.exact[:3] == ["kosciola"] * 3
    assert again.exact == ["kosciola"] and again.lemmas == ["kosciol"]
    # Only words whose diacritics matter are collected: "rynek", "bez" fold to themselves.
    assert forms == {("kosciola", "kosciol"): "kościoła", ("znakow", "znak"): "znaków"}


def test_analyse_cuts_very_long_words_like_tokens(db):
    long_word = "ż" * 100
    result = analysis.analyse(f"{long_word} rynek")
    assert result.exact == ["z" * analysis.MAX_TOKEN_LENGTH, "rynek"]
    assert analysis.tokens(long_word) == ["ż" * analysis.MAX_TOKEN_LENGTH]
