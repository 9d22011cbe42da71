"""No needless "nothing found": when no item has every word, the best partial matches,
with the missing words named; corrections applied only when close and confident.

Runs on every engine through the `corpus` fixture (tests/search/conftest.py).
"""

import pytest
from django.urls import reverse
from django.utils import translation

from search.backends import search
from search.corrections import CloseTerm, closest_term, edit_distance, is_confident
from search.query import SearchQuery


def find(text="", **params):
    return search(SearchQuery.from_params({"q": text, **params}))


def ids(results):
    return [hit.identifier for hit in results.hits]


def test_a_word_nothing_has_is_named_and_the_others_still_find(corpus):
    results = find("kościół mszczonów zzqqxw")
    assert results.partial
    assert results.missing == ["zzqqxw"]
    assert ids(results)[0] == "MOK-KOSCIOL"


def test_rarer_words_weigh_more_when_only_some_can_be_kept(corpus):
    # Each word finds items, none has both: the rarer one (Grodzisk, one item) first,
    # then the other word's items (each set of one size is shown, rarest first).
    results = find("synagoga grodzisk")
    assert results.partial
    assert results.missing == ["synagoga", "grodzisk"]
    assert ids(results)[0] == "MOK-MAPA"
    assert results.hits[0].missing == ("synagoga",)


def test_exclusions_keep_their_meaning_in_partial_matches(corpus):
    results = find("kościół zzqqxw -pożar")
    assert results.partial
    assert "MOK-RYNEK" in ids(results)
    assert "MOK-KOSCIOL" not in ids(results)  # its description says "pożarze"
    assert "MOK-POZAR" not in ids(results)


def test_phrases_keep_their_meaning_in_partial_matches(corpus):
    results = find('"wieża kościoła" zzqqxw')
    assert results.partial
    assert ids(results) == ["MOK-RYNEK"]
    assert results.missing == ["zzqqxw"]
    reversed_phrase = find('"kościoła wieża" synagoga')
    assert reversed_phrase.partial
    assert reversed_phrase.missing == ['"kościoła wieża"']
    assert "MOK-RYNEK" not in ids(reversed_phrase)


def test_filters_keep_their_meaning_in_partial_matches(corpus):
    results = find("kościół zzqqxw", item_type="photograph")
    assert results.partial
    assert ids(results) == ["MOK-RYNEK"]


def test_drafts_stay_out_of_partial_matches(corpus):
    assert "MOK-SZKIC" not in ids(find("szkic kościół zzqqxw"))


def test_no_partial_matches_when_no_word_matches_anything(corpus):
    results = find("zzqqxw wwyyvq")
    assert results.count == 0
    assert not results.partial
    assert results.missing == []


def test_all_words_together_are_not_partial(corpus):
    results = find("kościół mszczonów")
    assert results.count and not results.partial and results.missing == []


def test_a_confident_correction_is_applied(corpus):
    results = find("synagoa")
    assert results.corrected
    assert "MOK-SYNAGOGA" in ids(results)


def test_a_real_word_is_only_offered_a_correction(corpus):
    # "pożarna" is a real word the catalogue lacks; "pożar…" is close but not what was
    # typed: nothing is replaced, the correction is offered.
    results = find("pożarna")
    assert not results.corrected
    assert results.count == 0
    assert results.did_you_mean


def test_a_correction_is_offered_beside_partial_matches(corpus):
    results = find("kościół pożarna")
    assert results.partial
    assert results.missing == ["pożarna"]
    assert not results.corrected
    assert results.did_you_mean


def test_the_json_says_partial_and_missing(corpus):
    body = find("kościół zzqqxw").as_json()
    assert body["partial"] is True
    assert body["missing"] == ["zzqqxw"]
    assert find("kościół").as_json()["partial"] is False


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_page_names_the_missing_words_and_links_without_them(client, corpus, language):
    with translation.override(language):
        url = reverse("search:search")
    page = client.get(url, {"q": "kościół zzqqxw"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="partial-note" role="status"' in html
    assert "<s>zzqqxw</s>" in html
    assert "?q=ko%C5%9Bci%C3%B3%C5%82" in html  # the link searches without it
    if language == "en":
        assert "Missing:" in html


# The decision itself, with real words ------------------------------------------------


def test_a_rare_real_word_is_never_replaced_by_a_common_one(db):
    # "dzwonnica" (bell tower) is a real word; "dzielnica" is common in the index.
    close = closest_term("dzwonnica", [("dzielnica", 500)])
    assert close is None or not is_confident("dzwonnica", close)
    assert not is_confident("kirkut", CloseTerm.of("kiosk", 900, 2, True))


def test_a_typo_with_one_clear_candidate_is_confident(db):
    close = closest_term("synagoa", [("synagoga", 3), ("sala", 40)])
    assert close == "synagoga"
    assert is_confident("synagoa", close)


def test_a_short_word_takes_one_edit_at_most(db):
    assert not is_confident("rtsz", CloseTerm.of("ratusz", 10, 2, True))
    assert is_confident("ratsz", CloseTerm.of("ratusz", 10, 1, True))


def test_two_close_candidates_of_like_frequency_are_only_offered(db):
    close = closest_term("mlyny", [("mlyna", 4), ("mlynu", 3)])
    assert close is not None
    assert not close.dominant
    assert not is_confident("mlyny", close)


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("kosicol", "kosciol") == 1
    assert edit_distance("synagoa", "synagoga") == 1


def test_another_case_of_the_same_word_is_only_offered(db):
    # "swietego" (świętego typed without diacritics) is no typo of "świętej".
    close = closest_term("swietego", [("swietej", 9)])
    assert close == "swietej"
    assert not is_confident("swietego", close)
    assert is_confident("synagoa", closest_term("synagoa", [("synagoga", 3)]))
