"""Lessons and stories in the API: who reads what, who writes what, and bad payloads."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from archive.models import Status
from archive.roles import CATALOGUER, status_change_refusal
from curation.models import Lesson, LessonStep, Story, StoryBlock, StoryBlockItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def cataloguer_api(django_user_model):
    user = django_user_model.objects.create_user(username="katalog", password="tajne-haslo-123")
    user.groups.add(Group.objects.get(name=CATALOGUER))
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def world(catalogue):
    """A published lesson with two steps, a draft lesson, a published story, a draft story."""
    lesson = Lesson.objects.create(
        title="Mszczonów w czasie wojny",
        title_en="Mszczonów in the war",
        slug="wojna",
        summary="Lekcja o wrześniu 1939.",
        duration_minutes=45,
    )
    lesson.audiences.set(lesson.audiences.model.objects.filter(code="klasy-7-8"))
    lesson.school_subjects.set(lesson.school_subjects.model.objects.filter(code="historia"))
    LessonStep.objects.create(lesson=lesson, order=0, heading="Kościół", item=catalogue["kosciol"])
    LessonStep.objects.create(lesson=lesson, order=1, heading="Mapa", item=catalogue["mapa"])
    lesson.publish()
    draft_lesson = Lesson.objects.create(title="Szkic lekcji", slug="szkic")
    LessonStep.objects.create(lesson=draft_lesson, heading="Tajny", item=catalogue["draft"])
    story = Story.objects.create(title="Herb miasta", slug="herb")
    block = StoryBlock.objects.create(story=story, kind="pair", order=0)
    StoryBlockItem.objects.create(block=block, item=catalogue["kosciol"], order=0)
    StoryBlockItem.objects.create(block=block, item=catalogue["mapa"], order=1)
    story.publish()
    draft_story = Story.objects.create(title="Szkic opowieści", slug="szkic-opowiesci")
    return {"lesson": lesson, "draft_lesson": draft_lesson, "story": story,
            "draft_story": draft_story, **catalogue}  # fmt: skip


def counts() -> tuple:
    return (
        Lesson.objects.count(),
        LessonStep.objects.count(),
        Story.objects.count(),
        StoryBlock.objects.count(),
        StoryBlockItem.objects.count(),
        list(Lesson.objects.order_by("pk").values_list("status", "title", "modified")),
        list(LessonStep.objects.order_by("pk").values_list("heading", "item_id")),
    )


LESSON = {
    "title": "Tradycje Mszczonowa",
    "title_en": "Traditions of Mszczonów",
    "summary": "Jarmark i urodziny miasta.",
    "audiences": ["klasy-4-6"],
    "school_subjects": ["edukacja-regionalna", "muzyka"],
    "duration_minutes": 45,
    "goals": "- uczeń opisuje jarmark",
    "curriculum_references": [
        {"school_subject": "edukacja-regionalna", "stage": "4-8", "text": "Zna tradycje."}
    ],
    "steps": [
        {"heading": "Kościół", "item": "MOK-F-0001", "tasks": "Co widzisz?\nKiedy?"},
        {"heading": "Bez obiektu", "text": "Opowieść nauczyciela."},
        {"heading": "Mapa", "item": "MOK-M-0002"},
    ],
}

STORY = {
    "title": "Pomniki gminy",
    "blocks": [
        {"kind": "text", "text": "Wstęp **opowieści**."},
        {"kind": "item", "entries": [{"item": "MOK-F-0001", "caption": "Kościół"}]},
        {"kind": "pair", "entries": [{"item": "MOK-F-0001"}, {"item": "MOK-M-0002"}]},
        {"kind": "quote", "text": "Słowa.", "source": "Kronika parafialna"},
        {
            "kind": "gallery",
            "entries": [{"item": "MOK-F-0001"}, {"item": "MOK-M-0002"}, {"item": "MOK-D-0003"}],
        },
    ],
}


# --- Reading ---------------------------------------------------------------------------------


def test_the_public_lists_published_lessons_and_stories_only(anon, world):
    lessons = anon.get("/api/v1/lessons/").json()
    assert [row["slug"] for row in lessons["results"]] == ["wojna"]
    assert set(lessons) == {"count", "next", "previous", "results"}
    stories = anon.get("/api/v1/stories/").json()
    assert [row["slug"] for row in stories["results"]] == ["herb"]
    assert anon.get("/api/v1/lessons/szkic/").status_code == 404
    assert set(anon.get("/api/v1/stories/szkic-opowiesci/").json()) == {"detail"}
    assert anon.get("/api/v1/lessons/?status=draft").json()["count"] == 0


def test_staff_read_drafts(staff_api, world):
    slugs = {row["slug"] for row in staff_api.get("/api/v1/lessons/").json()["results"]}
    assert slugs == {"wojna", "szkic"}
    detail = staff_api.get("/api/v1/lessons/szkic/").json()
    assert detail["status"] == "draft"
    assert detail["steps"][0]["item"]["identifier"] == "MOK-X-0099"
    assert staff_api.get("/api/v1/stories/szkic-opowiesci/").status_code == 200


def test_lesson_detail_shape(anon, world):
    lesson = anon.get("/api/v1/lessons/wojna/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert lesson["url"] == "http://testserver/en/lessons/wojna/"
    assert lesson["audiences"] == [
        {"code": "klasy-7-8", "name": "klasy 7–8", "name_en": "grades 7–8"}
    ]
    assert [s["heading"] for s in lesson["steps"]] == ["Kościół", "Mapa"]
    item = lesson["steps"][0]["item"]
    assert item["identifier"] == "MOK-F-0001" and item["licence"] == "CC-BY-4.0"
    assert item["image"]["alt_text"] == "Kościół od strony rynku"
    assert item["api_url"] == "http://testserver/api/v1/items/MOK-F-0001/"


def test_an_item_unpublished_later_is_never_shown_to_the_public(anon, staff_api, world):
    world["mapa"].status = Status.DRAFT
    world["mapa"].save()
    steps = anon.get("/api/v1/lessons/wojna/").json()["steps"]
    assert steps[1]["heading"] == "Mapa" and steps[1]["item"] is None
    entries = anon.get("/api/v1/stories/herb/").json()["blocks"][0]["entries"]
    assert [e["item"]["identifier"] for e in entries] == ["MOK-F-0001"]
    assert "MOK-M-0002" not in anon.get("/api/v1/stories/herb/").content.decode()
    staff_steps = staff_api.get("/api/v1/lessons/wojna/").json()["steps"]
    assert staff_steps[1]["item"]["status"] == "draft"


def test_a_draft_cover_item_is_hidden(anon, world):
    world["lesson"].cover_item = world["draft"]
    world["lesson"].save()
    assert anon.get("/api/v1/lessons/").json()["results"][0]["cover_item"] is None
    assert "MOK-X-0099" not in anon.get("/api/v1/lessons/wojna/").content.decode()


@pytest.mark.parametrize(
    "query, slugs",
    [
        ("audience=klasy-7-8", ["wojna"]),
        ("audience=klasy-1-3", []),
        ("audience=klasy-1-3&audience=klasy-7-8", ["wojna"]),
        ("subject=historia", ["wojna"]),
        ("subject=muzyka", []),
        ("audience=klasy-7-8&subject=muzyka", []),
    ],
)
def test_lessons_filter_by_audience_and_subject(anon, world, query, slugs):
    rows = anon.get(f"/api/v1/lessons/?{query}").json()["results"]
    assert [row["slug"] for row in rows] == slugs


@pytest.mark.parametrize(
    "query, name", [("audience=klasy-9", "audience"), ("subject=x", "subject")]
)
def test_unknown_filter_codes_are_a_400_naming_the_parameter(anon, world, query, name):
    response = anon.get(f"/api/v1/lessons/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {name} and body["parameter"] == name


def test_details_carry_an_etag_and_answer_304(anon, world):
    first = anon.get("/api/v1/stories/herb/")
    assert first["ETag"]
    again = anon.get("/api/v1/stories/herb/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_lesson_detail_queries_do_not_grow_with_steps(anon, world, django_assert_max_num_queries):
    for n in range(12):
        LessonStep.objects.create(lesson=world["lesson"], order=10 + n, heading=f"Krok {n}",
                                  item=world["kosciol"])  # fmt: skip
    with django_assert_max_num_queries(10):
        response = anon.get("/api/v1/lessons/wojna/")
    assert len(response.json()["steps"]) == 14


def test_list_queries_do_not_grow_with_lessons(anon, world, django_assert_max_num_queries):
    for n in range(10):
        lesson = Lesson.objects.create(title=f"Lekcja {n}", slug=f"lekcja-{n}",
                                       cover_item=world["kosciol"])  # fmt: skip
        lesson.audiences.set(lesson.audiences.model.objects.all())
        lesson.publish()
    with django_assert_max_num_queries(7):
        response = anon.get("/api/v1/lessons/")
    assert response.json()["count"] == 11


# --- Writing ---------------------------------------------------------------------------------


def test_a_cataloguer_creates_a_draft_lesson_with_steps(cataloguer_api, world):
    response = cataloguer_api.post("/api/v1/lessons/", LESSON, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "tradycje-mszczonowa" and body["status"] == "draft"
    assert response["Location"] == body["url"]
    lesson = Lesson.objects.get(slug="tradycje-mszczonowa")
    assert [(s.order, s.heading, s.item_id) for s in lesson.steps.all()] == [
        (0, "Kościół", world["kosciol"].pk),
        (1, "Bez obiektu", None),
        (2, "Mapa", world["mapa"].pk),
    ]
    assert lesson.steps.first().task_list == ["Co widzisz?", "Kiedy?"]
    assert {s.code for s in lesson.school_subjects.all()} == {"edukacja-regionalna", "muzyka"}
    assert body["curriculum_references"][0]["school_subject"] == "edukacja-regionalna"


def test_sending_a_list_replaces_it_whole(cataloguer_api, world):
    cataloguer_api.post("/api/v1/lessons/", LESSON, format="json")
    response = cataloguer_api.patch(
        "/api/v1/lessons/tradycje-mszczonowa/",
        {"steps": [{"heading": "Jedyny krok", "item": "MOK-D-0003"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    lesson = Lesson.objects.get(slug="tradycje-mszczonowa")
    assert [s.heading for s in lesson.steps.all()] == ["Jedyny krok"]
    assert lesson.curriculum_references.count() == 1  # not sent: kept


def test_a_blank_slug_keeps_the_old_one(cataloguer_api, world):
    response = cataloguer_api.patch("/api/v1/lessons/szkic/", {"slug": "", "title": "Nowy"},
                                    format="json")  # fmt: skip
    assert response.status_code == 200 and response.json()["slug"] == "szkic"
    response = cataloguer_api.patch("/api/v1/lessons/szkic/", {"slug": "nowy-adres"},
                                    format="json")  # fmt: skip
    assert response.json()["slug"] == "nowy-adres"
    assert cataloguer_api.get("/api/v1/lessons/nowy-adres/").status_code == 200


def test_a_cataloguer_may_not_publish_or_unpublish(cataloguer_api, world):
    before = counts()
    response = cataloguer_api.post("/api/v1/lessons/", {**LESSON, "status": "published"},
                                   format="json")  # fmt: skip
    assert response.status_code == 403
    assert response.json() == {
        "detail": status_change_refusal(None, "published", "curation.publish_lesson")
    }
    assert cataloguer_api.patch("/api/v1/lessons/wojna/", {"status": "draft"},
                                format="json").status_code == 403  # fmt: skip
    assert cataloguer_api.patch("/api/v1/stories/herb/", {"status": "review"},
                                format="json").status_code == 403  # fmt: skip
    assert cataloguer_api.delete("/api/v1/lessons/wojna/").status_code == 403
    assert counts() == before
    # Correcting a published lesson while it stays published is open to them.
    response = cataloguer_api.patch("/api/v1/lessons/wojna/", {"summary": "Poprawione."},
                                    format="json")  # fmt: skip
    assert response.status_code == 200
    assert cataloguer_api.delete("/api/v1/lessons/szkic/").status_code == 204


def test_publishing_with_a_draft_item_is_refused_with_the_list(archivist_api, world):
    before = counts()
    response = archivist_api.patch(
        "/api/v1/lessons/szkic/",
        {"status": "published", "title": "Nowy tytuł", "steps": [
            {"heading": "A", "item": "MOK-X-0099"}, {"heading": "B", "item": "MOK-F-0001"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]
    assert "MOK-X-0099" in response.json()["errors"]["status"][0]
    assert "MOK-F-0001" not in response.json()["errors"]["status"][0]
    assert counts() == before  # nothing half-written: title and steps as they were


def test_publishing_a_story_with_a_draft_item_is_refused(archivist_api, world):
    story = {**STORY, "status": "published"}
    story["blocks"] = [*STORY["blocks"], {"kind": "item", "entries": [{"item": "MOK-X-0099"}]}]
    before = counts()
    response = archivist_api.post("/api/v1/stories/", story, format="json")
    assert response.status_code == 400 and "MOK-X-0099" in response.json()["errors"]["status"][0]
    assert counts() == before


def test_an_editor_publishes_and_unpublishes(archivist_api, anon, world):
    response = archivist_api.post("/api/v1/stories/", {**STORY, "status": "published"},
                                  format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["published_at"]
    public = anon.get("/api/v1/stories/pomniki-gminy/").json()
    assert [b["kind"] for b in public["blocks"]] == ["text", "item", "pair", "quote", "gallery"]
    assert len(public["blocks"][4]["entries"]) == 3
    response = archivist_api.patch("/api/v1/stories/pomniki-gminy/", {"status": "draft"},
                                   format="json")  # fmt: skip
    assert response.status_code == 200
    assert anon.get("/api/v1/stories/pomniki-gminy/").status_code == 404


def test_who_may_write_at_all(anon, staff_api, world):
    assert anon.post("/api/v1/lessons/", LESSON, format="json").status_code == 401
    assert staff_api.post("/api/v1/lessons/", LESSON, format="json").status_code == 403
    assert staff_api.delete("/api/v1/stories/herb/").status_code == 403


def test_a_stale_if_match_is_412(archivist_api, world):
    etag = archivist_api.get("/api/v1/lessons/szkic/")["ETag"]
    assert archivist_api.patch("/api/v1/lessons/szkic/", {"title": "Raz"}, format="json",
                               HTTP_IF_MATCH=etag).status_code == 200  # fmt: skip
    stale = archivist_api.patch("/api/v1/lessons/szkic/", {"title": "Dwa"}, format="json",
                                HTTP_IF_MATCH=etag)  # fmt: skip
    assert stale.status_code == 412
    assert Lesson.objects.get(slug="szkic").title == "Raz"


BAD_LESSONS = {
    "title a number": {"title": 123},
    "a blank title": {"title": ""},
    "steps not a list": {"steps": "krok"},
    "a step not an object": {"steps": [1]},
    "a step without heading": {"steps": [{"text": "Bez nagłówka"}]},
    "a heading as a list": {"steps": [{"heading": ["a"]}]},
    "an item that does not exist": {"steps": [{"heading": "A", "item": "MOK-NIE-MA"}]},
    "an item as a number": {"steps": [{"heading": "A", "item": 7}]},
    "a huge heading": {"steps": [{"heading": "x" * 100_000}]},
    "a huge title": {"title": "x" * 10_000},
    "huge goals": {"goals": "x" * 200_000},
    "duration as text": {"duration_minutes": "godzina"},
    "duration too long": {"duration_minutes": 99_999},
    "an unknown audience": {"audiences": ["przedszkole"]},
    "audiences not a list": {"audiences": "klasy-4-6"},
    "an unknown subject in a reference": {
        "curriculum_references": [{"school_subject": "alchemia"}]
    },
    "an unknown stage": {"curriculum_references": [{"stage": "klasa-9"}]},
    "a bad slug": {"slug": "z odstępem!"},
    "a taken slug": {"slug": "wojna"},
    "an unknown cover": {"cover_item": "MOK-NIE-MA"},
    "an unknown status": {"status": "archived"},
    "too many steps": {"steps": [{"heading": str(n)} for n in range(101)]},
}


@pytest.mark.parametrize("change", BAD_LESSONS.values(), ids=BAD_LESSONS.keys())
def test_bad_lesson_payloads_are_a_400_and_change_nothing(archivist_api, world, change):
    before = counts()
    created = archivist_api.post("/api/v1/lessons/", {**LESSON, **change}, format="json")
    assert created.status_code == 400, created.content
    assert isinstance(created.json(), dict) and created.json()
    patched = archivist_api.patch("/api/v1/lessons/szkic/", change, format="json")
    assert patched.status_code == 400, patched.content
    assert counts() == before


BAD_STORIES = {
    "three items in a pair": {"kind": "pair", "entries": [{"item": "MOK-F-0001"}] * 3},
    "one item in a pair": {"kind": "pair", "entries": [{"item": "MOK-F-0001"}]},
    "an item block without an item": {"kind": "item"},
    "a text block with an item": {"kind": "text", "entries": [{"item": "MOK-F-0001"}]},
    "a gallery of one": {"kind": "gallery", "entries": [{"item": "MOK-F-0001"}]},
    "an unknown kind": {"kind": "video"},
    "an entry without item": {"kind": "item", "entries": [{"caption": "Bez obiektu"}]},
    "an entry with an unknown item": {"kind": "item", "entries": [{"item": "MOK-NIE-MA"}]},
    "a huge source": {"kind": "quote", "text": "a", "source": "x" * 5_000},
    "entries not a list": {"kind": "gallery", "entries": {"item": "MOK-F-0001"}},
}


@pytest.mark.parametrize("block", BAD_STORIES.values(), ids=BAD_STORIES.keys())
def test_bad_story_blocks_are_a_400_and_change_nothing(archivist_api, world, block):
    before = counts()
    payload = {"title": "Zła opowieść", "blocks": [{"kind": "text", "text": "Dobry."}, block]}
    response = archivist_api.post("/api/v1/stories/", payload, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]["blocks"]
    assert list(errors) == ["1"] and errors["1"]  # the bad block, by its place in the list
    patched = archivist_api.patch("/api/v1/stories/herb/", {"blocks": [block]}, format="json")
    assert patched.status_code == 400
    assert counts() == before
    assert StoryBlock.objects.get(story=world["story"]).kind == "pair"


def test_schema_documents_lessons_and_stories(anon, db):
    paths = anon.get("/api/v1/schema/?format=json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/lessons/"])
    assert {"get", "put", "patch", "delete"} <= set(paths["/api/v1/stories/{slug}/"])
    lesson_list = {p["name"] for p in paths["/api/v1/lessons/"]["get"]["parameters"]}
    assert {"audience", "subject", "page", "page_size"} <= lesson_list
