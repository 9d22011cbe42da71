"""Lessons and stories in search: their own group beside the items, found with the same
Polish analysis as items (folded, lemmatised), published ones only, on every engine."""

import pytest
from rest_framework.test import APIClient

from archive.models import Status
from curation.models import Lesson, LessonStep, Story, StoryBlock, StoryBlockItem
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def narratives(db):
    item = ItemFactory(identifier="MOK-F-0001", title="Kościół św. Jana")
    war = Lesson.objects.create(
        title="Mszczonów w czasie II wojny światowej",
        title_en="Mszczonów in the Second World War",
        slug="mszczonow-w-czasie-wojny",
        summary="Wrzesień 1939 i **okupacja** w małym mieście.",
        summary_en="September 1939 and the occupation of a small town.",
        goals="- uczeń wyjaśnia, czym było getto",
    )
    LessonStep.objects.create(
        lesson=war, heading="Bitwa", text="Obrona miasta przy kościele.", item=item,
        tasks="Gdzie stał pomnik strzelców kaniowskich?",
    )  # fmt: skip
    war.publish()
    charter = Story.objects.create(
        title="Prawa miejskie i herb", slug="herb", summary="Jak miasto dostało przywilej."
    )
    block = StoryBlock.objects.create(
        story=charter, kind="quote", text="Nadajemy miastu prawo", source="Siemowit III"
    )
    gallery = StoryBlock.objects.create(story=charter, kind="item", order=1)
    StoryBlockItem.objects.create(block=gallery, item=item, caption="Pieczęć z basztą")
    charter.publish()
    Lesson.objects.create(
        title="Szkic: wojna i pieczęć", slug="szkic", summary="Tajna pieczęć, wojna i okupacja."
    )
    Story.objects.create(
        title="Opowieść w recenzji", slug="recenzja", status=Status.REVIEW, summary="pieczęć"
    )
    return {"war": war, "charter": charter, "block": block}


def narratives_for(q: str, language: str = "pl") -> list[dict]:
    response = APIClient().get("/api/v1/search/", {"q": q}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()["narratives"]


@pytest.mark.parametrize(
    "q, slugs",
    [
        ("wojny", ["mszczonow-w-czasie-wojny"]),  # title, as written
        ("wojna", ["mszczonow-w-czasie-wojny"]),  # lemma
        ("okupacji", ["mszczonow-w-czasie-wojny"]),  # a lemma from the summary's Markdown
        ("Mszczonowa", ["mszczonow-w-czasie-wojny"]),  # the local-name lexicon
        ("kosciol", ["mszczonow-w-czasie-wojny"]),  # without diacritics, ł folded
        ("kosciele", ["mszczonow-w-czasie-wojny"]),  # a form typed without diacritics
        ("kaniowskich", ["mszczonow-w-czasie-wojny"]),  # a step's tasks
        ("getto", ["mszczonow-w-czasie-wojny"]),  # goals
        ("Siemowit", ["herb"]),  # a quotation's source
        ("pieczęć", ["herb"]),  # a caption; never the draft or the story under review
        ("occupation", ["mszczonow-w-czasie-wojny"]),  # English summary, stemmed
        ('"obrona miasta"', ["mszczonow-w-czasie-wojny"]),  # a phrase
        ('"miasta obrona"', []),
        ("wojna -kosciol", []),  # an excluded word
        ("wojna herb", []),  # every word must match in one narrative
        ("przywilej miasto", ["herb"]),
        ("", []),  # no words: no group
    ],
)
def test_lessons_and_stories_are_found_like_items(narratives, q, slugs):
    assert [hit["slug"] for hit in narratives_for(q)] == slugs


def test_drafts_are_never_found(narratives):
    for q in ("szkic", "tajna", "recenzji"):
        assert narratives_for(q) == []
    page = APIClient().get("/pl/search/", {"q": "tajna pieczęć"})
    assert "Szkic" not in page.content.decode()


def test_the_group_has_its_own_shape_and_items_keep_theirs(narratives):
    body = APIClient().get("/api/v1/search/", {"q": "wojna"}).json()
    assert set(body) == {
        "count", "results", "facets", "backend", "degraded", "did_you_mean", "corrected",
        "partial", "missing", "complete", "narratives",
    }  # fmt: skip
    assert body["narratives"] == [
        {
            "kind": "lesson",
            "slug": "mszczonow-w-czasie-wojny",
            "title": "Mszczonów w czasie II wojny światowej",
            "url": "/pl/lessons/mszczonow-w-czasie-wojny/",
            "summary": "Wrzesień 1939 i okupacja w małym mieście.",
        }
    ]
    english = narratives_for("wojna", "en")[0]
    assert english["title"] == "Mszczonów in the Second World War"
    assert english["url"] == "/en/lessons/mszczonow-w-czasie-wojny/"
    assert english["summary"].startswith("September 1939")


def test_a_title_match_ranks_first(narratives):
    narratives["war"].summary = "Herb i pieczęć nie są tu tematem."
    narratives["war"].save()
    assert [hit["slug"] for hit in narratives_for("herb")] == ["herb", "mszczonow-w-czasie-wojny"]


def test_an_edit_is_found_at_once(narratives):
    assert narratives_for("jarmark") == []
    narratives["block"].text = "Jarmark na rynku"
    narratives["block"].save()
    narratives["charter"].save()  # as the admin's form and the API save the story too
    assert [hit["slug"] for hit in narratives_for("jarmarku")] == ["herb"]
    narratives["charter"].unpublish()
    assert narratives_for("jarmarku") == []
    Lesson.objects.filter(pk=narratives["war"].pk).delete()
    assert narratives_for("wojna") == []


def test_the_search_page_shows_lessons_and_stories_after_the_items(client, narratives):
    html = client.get("/en/search/", {"q": "pieczęć"}).content.decode()
    assert 'id="narratives-heading"' in html
    # After the first page's items, so that the first item stays on a phone's first screen.
    assert html.index('id="results-heading"') < html.index('id="narratives-heading"')
    assert 'href="/en/stories/herb/"' in html
    assert 'lang="pl">Prawa miejskie i herb</a>' in html  # no English title: marked Polish
    assert "Story" in html
    second_page = client.get("/en/search/", {"q": "pieczęć", "page": 2}).content.decode()
    assert 'id="narratives-heading"' not in second_page
    nothing = client.get("/en/search/", {"q": "zzzz"}).content.decode()
    assert 'id="narratives-heading"' not in nothing


def test_every_engine_gives_the_same_group(search_backend, narratives):
    assert [hit["slug"] for hit in narratives_for("wojna")] == ["mszczonow-w-czasie-wojny"]
    assert [hit["slug"] for hit in narratives_for("pieczęć")] == ["herb"]


def test_the_group_costs_a_fixed_number_of_queries(narratives, django_assert_max_num_queries):
    from search.narratives import find_narratives
    from search.query import SearchQuery

    query = SearchQuery.from_params({"q": "pieczęć"})
    for n in range(5):
        lesson = Lesson.objects.create(title=f"Lekcja {n}", slug=f"lekcja-{n}")
        for m in range(4):
            LessonStep.objects.create(lesson=lesson, heading=f"Krok {m}", order=m)
        lesson.publish()
    # the version, lessons, steps, stories, blocks, entries, the vocabulary's names
    with django_assert_max_num_queries(7):
        assert [hit.slug for hit in find_narratives(query)] == ["herb"]
    with django_assert_max_num_queries(1):  # nothing changed: the version alone
        assert [hit.slug for hit in find_narratives(query)] == ["herb"]
    Lesson.objects.all().delete()
    Story.objects.all().delete()
    with django_assert_max_num_queries(1):
        assert find_narratives(query) == []
