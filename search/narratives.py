"""Lessons and stories in search: their own group of results, beside the items'.

An archive holds a few dozen lessons and stories, not a hundred thousand: they are matched
here, in Python, with the same Polish analysis the engines index items with
(`search.analysis`: folded exact words, lemmas, English stems, and a map of folded surface
forms to lemmas for words typed without diacritics). So they are found the same way
whichever engine answers for items, the engines' index and its contract stay as they are,
and a draft is never found because only published ones are read.

The analysed texts of all published lessons and stories (the *corpus*) are kept in the
process and rebuilt when the published set changes: one query per search asks for each
kind's count and latest `modified`. Whatever changes a lesson or story — the admin's form
with its inline steps or blocks, the API, `load_demo` — saves the lesson or story itself, so
its `modified` moves; code that edits a step or block alone should save its narrative too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Value
from django.utils.translation import get_language

from archive.text import fold
from curation.models import Lesson, LessonStep, Story, StoryBlock

from . import analysis
from .documents import plain_text
from .query import SearchQuery

MAX_NARRATIVES = 10
SUMMARY_LENGTH = 300
TITLE_WEIGHT = 5


@dataclass(frozen=True)
class NarrativeHit:
    """A lesson or story that matches; `title_lang` is "pl" when an English page shows the
    Polish title (for `lang` in HTML)."""

    kind: str  # "lesson" or "story"
    slug: str
    title: str
    url: str
    summary: str
    score: int = 0
    title_lang: str = ""
    summary_lang: str = ""

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "slug": self.slug,
            "title": self.title,
            "url": self.url,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class AnalysedText:
    exact: tuple[str, ...]
    lemmas: tuple[str, ...]
    exact_set: frozenset[str]
    lemma_set: frozenset[str]


Parts = tuple[tuple[str, str], ...]


def analysed(parts: Parts, forms: dict[tuple[str, str], str]) -> AnalysedText:
    """The text of (text, language) parts, analysed as the engines analyse items; the
    Polish words' surface forms are collected into `forms`, as indexing does."""
    exact: list[str] = []
    lemmas: list[str] = []
    for text, language in parts:
        if text:
            result = analysis.analyse(plain_text(text), forms, language=language)
            exact += result.exact
            lemmas += result.lemmas
    return AnalysedText(tuple(exact), tuple(lemmas), frozenset(exact), frozenset(lemmas))


@dataclass(frozen=True)
class Entry:
    """One published lesson or story, as the group shows and matches it."""

    kind: str
    narrative: Lesson | Story
    titles: AnalysedText
    text: AnalysedText


@dataclass(frozen=True)
class Corpus:
    entries: tuple[Entry, ...]
    #: folded surface form → the lemmas of the corpus' words written that way
    forms: dict[str, frozenset[str]]


def lesson_parts(lesson: Lesson) -> tuple[Parts, Parts]:
    """(title parts, all parts) of a lesson: titles, summaries, goals, steps."""
    titles = ((lesson.title, "pl"), (lesson.title_en, "en"))
    body: list[tuple[str, str]] = [
        (lesson.summary, "pl"),
        (lesson.summary_en, "en"),
        (lesson.goals, "pl"),
        (lesson.goals_en, "en"),
    ]
    for step in lesson.steps.all():
        body += [
            (step.heading, "pl"),
            (step.heading_en, "en"),
            (step.text, "pl"),
            (step.text_en, "en"),
            (step.tasks, "pl"),
            (step.tasks_en, "en"),
        ]
    return titles, titles + tuple(body)


def story_parts(story: Story) -> tuple[Parts, Parts]:
    """(title parts, all parts) of a story: titles, summaries, author, blocks, captions."""
    titles = ((story.title, "pl"), (story.title_en, "en"))
    body: list[tuple[str, str]] = [
        (story.summary, "pl"),
        (story.summary_en, "en"),
        (story.author, "pl"),
    ]
    for block in story.blocks.all():
        body += [
            (block.heading, "pl"),
            (block.heading_en, "en"),
            (block.text, "pl"),
            (block.text_en, "en"),
            (block.source, "pl"),
        ]
        for entry in block.entries.all():
            body += [(entry.caption, "pl"), (entry.caption_en, "en")]
    return titles, titles + tuple(body)


def published_version() -> tuple:
    """What the corpus depends on, in one query: each kind's number of published records
    and the latest change among them."""
    parts = [
        model.objects.published()
        .order_by()
        .annotate(kind=Value(kind))
        .values("kind")
        .annotate(count=Count("pk"), last=Max("modified"))
        .values_list("kind", "count", "last")
        for kind, model in (("lesson", Lesson), ("story", Story))
    ]
    return tuple(sorted(parts[0].union(parts[1], all=True), key=lambda row: row[0]))


def build_corpus(kinds: set[str]) -> Corpus:
    """Read and analyse every published lesson and story (a fixed number of queries)."""
    entries: list[Entry] = []
    forms: dict[tuple[str, str], str] = {}
    if "lesson" in kinds:
        lessons = Lesson.objects.published().prefetch_related(
            Prefetch("steps", queryset=LessonStep.objects.order_by("order", "pk"))
        )
        for lesson in lessons:
            titles, parts = lesson_parts(lesson)
            entries.append(Entry("lesson", lesson, analysed(titles, forms), analysed(parts, forms)))
    if "story" in kinds:
        stories = Story.objects.published().prefetch_related(
            Prefetch("blocks", queryset=StoryBlock.objects.prefetch_related("entries"))
        )
        for story in stories:
            titles, parts = story_parts(story)
            entries.append(Entry("story", story, analysed(titles, forms), analysed(parts, forms)))
    by_form: dict[str, set[str]] = {}
    for folded, lemma in forms:
        by_form.setdefault(folded, set()).add(lemma)
    return Corpus(tuple(entries), {f: frozenset(lemmas) for f, lemmas in by_form.items()})


_corpus: tuple[tuple, Corpus] | None = None
_corpus_lock = threading.Lock()


def published_corpus() -> Corpus:
    """The corpus of the published lessons and stories as they are now."""
    global _corpus
    version = published_version()
    cached = _corpus
    if cached is not None and cached[0] == version:
        return cached[1]
    corpus = build_corpus({kind for kind, count, _last in version if count})
    with _corpus_lock:
        _corpus = (version, corpus)
    return corpus


class Matcher:
    """The query's words, phrases and exclusions, each word with every lemma it may stand
    for: its own lemma, its English stem, and the lemmas of the corpus' words that fold to
    the same letters (`kosciele → kosciol`) — `analysis.query_lemmas` with the corpus'
    vocabulary in place of the item index's."""

    def __init__(self, query: SearchQuery, corpus: Corpus):
        self.query = query
        words = [*query.words, *query.exclusions, *(w for p in query.phrases for w in p)]
        self.lemmas = {
            word: {
                analysis.lemma_of(word),
                analysis.english_stem(fold(word)),
                *corpus.forms.get(fold(word), ()),
            }
            for word in words
        }

    def word_at(self, word: str, text: AnalysedText, position: int) -> bool:
        return text.exact[position] == fold(word) or text.lemmas[position] in self.lemmas[word]

    def has_word(self, word: str, text: AnalysedText) -> bool:
        return fold(word) in text.exact_set or bool(self.lemmas[word] & text.lemma_set)

    def has_phrase(self, phrase: tuple[str, ...], text: AnalysedText) -> bool:
        span = len(phrase)
        return any(
            all(self.word_at(word, text, start + n) for n, word in enumerate(phrase))
            for start in range(len(text.exact) - span + 1)
        )

    def count(self, word: str, text: AnalysedText) -> int:
        return sum(self.word_at(word, text, n) for n in range(len(text.exact)))

    def score(self, titles: AnalysedText, text: AnalysedText) -> int:
        """0 when the narrative does not match, else a rank: words in the title count most."""
        query = self.query
        if not all(self.has_word(word, text) for word in query.words):
            return 0
        if not all(self.has_phrase(phrase, text) for phrase in query.phrases):
            return 0
        if any(self.has_word(word, text) for word in query.exclusions):
            return 0
        words = [*query.words, *(w for p in query.phrases for w in p)]
        return sum(TITLE_WEIGHT * self.count(w, titles) + self.count(w, text) for w in words) or 1


def find_narratives(query: SearchQuery, limit: int = MAX_NARRATIVES) -> list[NarrativeHit]:
    """Published lessons and stories matching the query's text, best first, in the active
    language; none for a query without words (the group is about what was typed, not about
    item filters)."""
    if not query.has_text:
        return []
    english = (get_language() or "pl").startswith("en")
    corpus = published_corpus()
    matcher = Matcher(query, corpus)
    hits = []
    for entry in corpus.entries:
        score = matcher.score(entry.titles, entry.text)
        if not score:
            continue
        kind, narrative = entry.kind, entry.narrative
        title_en = narrative.title_en if english else ""
        summary_en = narrative.summary_en if english else ""
        summary = plain_text(summary_en or narrative.summary)
        if len(summary) > SUMMARY_LENGTH:
            summary = summary[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"
        hits.append(
            NarrativeHit(
                kind=kind,
                slug=narrative.slug,
                title=title_en or narrative.title,
                url=narrative.get_absolute_url(),
                summary=summary,
                score=score,
                title_lang="pl" if english and not title_en else "",
                summary_lang="pl" if english and not summary_en else "",
            )
        )
    hits.sort(key=lambda hit: (-hit.score, hit.title.lower(), hit.slug))
    return hits[:limit]
