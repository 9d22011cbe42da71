"""Lessons and stories in search: their own group of results, beside the items'.

An archive holds a few dozen lessons and stories, not a hundred thousand: they are matched
here, in Python, against the published ones read from the database, with the same Polish
analysis the engines index items with (`search.analysis`: folded exact words, lemmas,
English stems, the surface-form map for words typed without diacritics). So they are found
the same way whichever engine answers for items, the engines' index and its contract stay
as they are, and a draft is never found because only published ones are read. The analysed
text of each narrative is memoised by its content, so a search re-analyses only what
changed since the last one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Prefetch, Value
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


@lru_cache(maxsize=2048)
def analysed(parts: Parts) -> AnalysedText:
    """The text of (text, language) parts, analysed as the engines analyse items."""
    result = analysis.analyse_parts((plain_text(text), language) for text, language in parts)
    return AnalysedText(
        tuple(result.exact),
        tuple(result.lemmas),
        frozenset(result.exact),
        frozenset(result.lemmas),
    )


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


def published_kinds() -> set[str]:
    """Which kinds have anything published, in one query: a site with no lessons or
    stories pays one query per search for this group, and no more."""
    lessons = Lesson.objects.published().order_by().values_list(Value("lesson")).distinct()
    stories = Story.objects.published().order_by().values_list(Value("story")).distinct()
    return {kind for (kind,) in lessons.union(stories)}


def published_narratives():
    """Every published lesson and story with the texts searched, in a fixed number of
    queries. Drafts are never read."""
    kinds = published_kinds()
    if "lesson" in kinds:
        lessons = Lesson.objects.published().prefetch_related(
            Prefetch("steps", queryset=LessonStep.objects.order_by("order", "pk"))
        )
        for lesson in lessons:
            yield "lesson", lesson, lesson_parts(lesson)
    if "story" in kinds:
        stories = Story.objects.published().prefetch_related(
            Prefetch("blocks", queryset=StoryBlock.objects.prefetch_related("entries"))
        )
        for story in stories:
            yield "story", story, story_parts(story)


class Matcher:
    """The query's words, phrases and exclusions, each word with every lemma it may stand
    for (`analysis.query_lemmas`, as the engines look words up)."""

    def __init__(self, query: SearchQuery):
        self.query = query
        self._lemmas: dict[str, set[str]] | None = None

    @property
    def lemmas(self) -> dict[str, set[str]]:
        # Looked up on first use: with nothing published, no query is spent on it.
        if self._lemmas is None:
            query = self.query
            words = [*query.words, *query.exclusions, *(w for p in query.phrases for w in p)]
            self._lemmas = analysis.query_lemmas(words) if words else {}
        return self._lemmas

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
    matcher = Matcher(query)
    hits = []
    for kind, narrative, (title_parts, parts) in published_narratives():
        score = matcher.score(analysed(title_parts), analysed(parts))
        if not score:
            continue
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
