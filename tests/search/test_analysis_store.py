"""The dictionary store is a matter of speed only: the trie gives the analysis exactly
what simplemma's own store gives (search/analysis.py, `LemmaDictionaryFactory`)."""

import random

import pytest
from marisa_trie import BytesTrie
from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries.stream_dictionary_factory import (
    StreamDictionaryFactory,
    StreamMap,
)

from archive.demo.items import ITEMS
from search import analysis


def _clear_memos():
    analysis.lemma_of.cache_clear()
    analysis.is_common_word.cache_clear()
    analysis.is_known_word.cache_clear()
    analysis.restored_lemmas.cache_clear()
    analysis._WORD_INFO.clear()
    analysis._EN_WORD_INFO.clear()


@pytest.fixture(scope="module")
def stream_lemmatizer():
    """simplemma's own front-coded stream store, as the analysis used before the trie."""
    return Lemmatizer(
        lemmatization_strategy=DefaultStrategy(dictionary_factory=StreamDictionaryFactory())
    )


def _sample_texts() -> list[str]:
    """The demo catalogue's texts (names, inflected places, dates, abbreviations) and
    synthetic words no dictionary holds (the benchmark's long tail)."""
    texts = [
        item.get(key, "")
        for item in ITEMS
        for key in ("title", "description", "title_en", "description_en")
    ]
    rng = random.Random(12)
    syllables = ["ka", "ro", "wie", "szy", "ło", "mi", "nek", "ska", "dą", "brze", "ść"]
    texts.append(" ".join("".join(rng.choices(syllables, k=3)) for _ in range(300)))
    return texts


def test_every_dictionary_entry_sampled_has_the_same_lemma_in_the_trie(stream_lemmatizer):
    """Every 499th entry of the Polish dictionary (≈ 7,000 words), looked up in both stores."""
    stream = stream_lemmatizer._lemmatization_strategy._dictionary_lookup
    trie = analysis._LEMMATIZER._lemmatization_strategy._dictionary_lookup
    keys = [key for n, key in enumerate(StreamMap("pl")) if n % 499 == 0]
    assert len(keys) > 5000
    assert [trie.get_lemma(k, "pl") for k in keys] == [stream.get_lemma(k, "pl") for k in keys]


def test_analysed_catalogue_is_the_same_with_either_store(db, stream_lemmatizer, monkeypatch):
    texts = _sample_texts()

    def analysed():
        _clear_memos()
        words = [w for text in texts for w in analysis.tokens(text)]
        return (
            [analysis.analyse(text) for text in texts],
            [analysis.analyse(text, language="en") for text in texts],
            [analysis.is_common_word(w) for w in words],
            [analysis.is_known_word(w) for w in words],
            [analysis.restored_lemmas(w) for w in words[:400]],
        )

    with_trie = analysed()
    monkeypatch.setattr(analysis, "_LEMMATIZER", stream_lemmatizer)
    with_stream = analysed()
    monkeypatch.undo()
    _clear_memos()
    assert with_trie == with_stream
    assert sum(len(a.exact) for a in with_trie[0]) > 5000  # the sample is not empty


def test_trie_is_written_whole_then_loaded_from_disk(tmp_path, monkeypatch):
    """A process never sees half a trie: it is saved under a temporary name and renamed;
    the next factory loads the file instead of building again."""
    built = []

    def small_trie(self, lang):
        built.append(lang)
        return BytesTrie([("kościoła", "kościół".encode())])

    monkeypatch.setattr(analysis.LemmaDictionaryFactory, "_build_trie", small_trie)
    first = analysis.LemmaDictionaryFactory(disk_cache_dir=str(tmp_path))
    assert first.get_dictionary("pl").get("kościoła") == "kościół"
    assert [p.name for p in tmp_path.iterdir()] == ["pl.dic"]
    again = analysis.LemmaDictionaryFactory(disk_cache_dir=str(tmp_path))
    assert again.get_dictionary("pl").get("kościoła") == "kościół"
    assert built == ["pl"]
