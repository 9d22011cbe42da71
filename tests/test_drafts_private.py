"""Drafts are private everywhere, proven in one place (issue 13, §5).

One catalogue with everything that must stay hidden — a draft item with a word no other
record has and an image, a published item whose image's original is not public (the
untouched file; its licence forbids download), an item published, indexed, harvested and
then withdrawn, a draft lesson and a draft story, residents' contributions waiting or
rejected, and the names only drafts use — and an
anonymous visitor who asks every public channel for them: pages, the search page and API
(results, facets and counts, did-you-mean, suggestions), the items, media, vocabulary,
collection, lesson and story API, the sitemap, OAI-PMH, IIIF, media URLs, the Atom feed
and the classroom ZIP. Published records are asked for too, so the test can tell a hidden
draft from a channel that shows nothing.

It runs once per search engine: the test database's own (`database`: SQLite in `make test`,
PostgreSQL when the ordinary suite runs on it), `postgres` and `opensearch` in the service
tier. A new public channel joins `test_drafts_stay_private_on_every_channel`.
"""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from lxml import etree
from PIL import Image

from archive.models import Agent, Item, ItemCreator, Licence, Place, Status, Subject
from contributions.models import Contribution
from curation.models import (
    Collection,
    CollectionItem,
    Lesson,
    LessonStep,
    Story,
    StoryBlock,
    StoryBlockItem,
)
from interop.oai import OAI_NS
from media import derivatives
from media.models import MediaFile
from media.public import public_media, public_original_name
from search import analysis
from search.backends import base
from search.outbox import drain

pytestmark = pytest.mark.django_db

# Words no other record has: in a draft's description, a withdrawn item's, a draft lesson's.
DRAFT_WORD = "zgryzliwiec"
WITHDRAWN_WORD = "przepiórecznik"
DRAFT_LESSON_WORD = "rozsiewnikowa"
PENDING_WORD = "kłosowiśniak"  # a resident's contribution waiting for moderation
REJECTED_WORD = "pajęczynowiec"  # a rejected one
APPROVED_WORD = "miodokrzewnik"  # an approved one on a published item: a control
SHARED_WORD = "młynarstwo"  # in the draft's and the published item's text: facets and counts
NS = {"oai": OAI_NS}


def picture(color: str) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 700), color).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name=f"{color}.jpg")


@pytest.fixture(
    params=[
        "database",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("opensearch", marks=pytest.mark.opensearch),
    ]
)
def engine(request, settings):
    """The search engine under test, with an empty index (as tests/search/conftest.py)."""
    name = request.param
    if name == "database":
        name = "postgres" if connection.vendor == "postgresql" else "sqlite"
    if name == "postgres" and connection.vendor != "postgresql":
        pytest.fail("Run with DATABASE_URL=postgres://… (make test-services does).")
    if name == "opensearch":
        url = os.environ.get("KRONIKA_TEST_SEARCH_URL")
        if not url:
            pytest.fail("Set KRONIKA_TEST_SEARCH_URL to a live node (make test-services does).")
        settings.SEARCH_URL = url
    settings.SEARCH_BACKEND = name
    base._load.cache_clear()
    for backend in base.indexing_backends():
        backend.clear()
    yield name
    base._load.cache_clear()


def add_image(item: Item, color: str) -> MediaFile:
    return MediaFile.objects.create(item=item, file=picture(color), alt_text=f"Zdjęcie: {color}")


@pytest.fixture
def world(engine, django_capture_on_commit_callbacks, settings):
    """The catalogue: what must stay hidden and what may be seen, indexed by the engine."""
    settings.KRONIKA_ZOOM_MIN_SIDE = 600
    settings.KRONIKA_TILE_SIZE = 256
    open_licence = Licence.objects.get(code="CC-BY-4.0")
    closed = Licence.objects.get(code="InC")
    names = {
        "subject": Subject.objects.create(name="Hortensjowate", slug="hortensjowate"),
        "place": Place.objects.create(name="Hortensjówka", slug="hortensjowka"),
        "agent": Agent.objects.create(name="Hortensja Zgryzliwa", slug="hortensja-zgryzliwa"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        draft = Item.objects.create(
            identifier="MOK-F-0901",
            title="Kapliczka Hortensji",
            item_type="photograph",
            description=f"Szkic opisu: {DRAFT_WORD} przy drodze; {SHARED_WORD} nad rzeką.",
            licence=open_licence,
        )
        draft.subjects.add(names["subject"])
        draft.places.add(names["place"])
        ItemCreator.objects.create(item=draft, agent=names["agent"], role="creator")
        draft_image = add_image(draft, "olive")

        public = Item.objects.create(
            identifier="MOK-F-0902",
            title="Młyn w Osuchowie",
            item_type="photograph",
            description=f"Stary młyn; {SHARED_WORD} w okolicy.",
            licence=closed,
        )
        public_image = add_image(public, "teal")
        public.publish()
        public.related_items.add(draft)

        withdrawn = Item.objects.create(
            identifier="MOK-F-0903",
            title="Wiatrak Bartoszków",
            item_type="photograph",
            description=f"Wiatrak i {WITHDRAWN_WORD} na łące.",
            licence=open_licence,
        )
        withdrawn_image = add_image(withdrawn, "maroon")
        withdrawn.publish()

        only_drafts = Collection.objects.create(title="Zbiór Hortensji", slug="zbior-hortensji")
        CollectionItem.objects.create(collection=only_drafts, item=draft)
        mixed = Collection.objects.create(title="Młyny i wiatraki", slug="mlyny")
        for order, item in enumerate([public, draft, withdrawn]):
            CollectionItem.objects.create(collection=mixed, item=item, order=order)

        lesson = Lesson.objects.create(title="Młyny nad Pisią", slug="mlyny-nad-pisia")
        LessonStep.objects.create(lesson=lesson, heading="Młyn", item=public)
        LessonStep.objects.create(lesson=lesson, heading="Wiatrak", item=withdrawn, order=1)
        lesson.publish()
        story = Story.objects.create(title="Wiatraki i młyny", slug="wiatraki")
        gallery = StoryBlock.objects.create(story=story, kind="gallery")
        StoryBlockItem.objects.create(block=gallery, item=public, order=0)
        StoryBlockItem.objects.create(block=gallery, item=withdrawn, order=1)
        StoryBlockItem.objects.create(block=gallery, item=Item.objects.create(
            identifier="MOK-F-0904", title="Most na Pisi", item_type="photograph",
            licence=open_licence, status=Status.PUBLISHED,
        ), order=2)  # fmt: skip
        story.publish()
        draft_lesson = Lesson.objects.create(
            title="Lekcja robocza", slug="lekcja-robocza", summary=f"O {DRAFT_LESSON_WORD}."
        )
        draft_story = Story.objects.create(
            title="Opowieść robocza", slug="opowiesc-robocza", summary=f"O {DRAFT_LESSON_WORD}."
        )
        # Residents' contributions: only an approved one on a published item is public.
        for item, text, state in (
            (public, f"Pamiętam {PENDING_WORD} pod młynem.", Contribution.State.NEW),
            (public, f"Reklama {REJECTED_WORD}.", Contribution.State.REJECTED),
            (public, f"Mój dziadek hodował {APPROVED_WORD}.", Contribution.State.APPROVED),
            (withdrawn, f"Przy wiatraku rósł {PENDING_WORD}.", Contribution.State.APPROVED),
        ):
            contribution = Contribution(
                item=item, text=text, state=state, consent_at=timezone.now()
            )
            contribution.new_withdrawal_key()
            contribution.save()
    drain()

    # While it was public, the withdrawn item was seen: its media URLs, its OAI record.
    withdrawn_image.refresh_from_db()
    seen = public_media(withdrawn_image)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn.unpublish()
    drain()
    for media in (draft_image, public_image, withdrawn_image):
        media.refresh_from_db()
    return {
        "draft": draft,
        "public": public,
        "withdrawn": withdrawn,
        "draft_image": draft_image,
        "public_image": public_image,
        "withdrawn_image": withdrawn_image,
        "withdrawn_urls_seen": seen,
        "names": names,
        "only_drafts": only_drafts,
        "mixed": mixed,
        "lesson": lesson,
        "story": story,
        "draft_lesson": draft_lesson,
        "draft_story": draft_story,
    }


class Leaks:
    """What each channel showed that it should not have: collected, then reported at once."""

    def __init__(self):
        self.found: list[str] = []

    def check(self, channel: str, ok: bool, detail: str = "") -> None:
        if not ok:
            self.found.append(f"{channel}: {detail}".rstrip(": "))

    def absent(self, channel: str, text: str, secrets: list[str]) -> None:
        for secret in secrets:
            self.check(channel, secret not in text, f"shows {secret!r}")

    def status(self, channel: str, response, expected: int = 404) -> None:
        self.check(channel, response.status_code == expected, f"answered {response.status_code}")


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def secrets_of(world) -> list[str]:
    """Text only hidden records carry (titles, identifiers, words, names, slugs)."""
    return [
        world["draft"].identifier,
        world["draft"].title,
        DRAFT_WORD,
        world["withdrawn"].identifier,
        world["withdrawn"].title,
        WITHDRAWN_WORD,
        analysis.fold(WITHDRAWN_WORD),  # as engines keep it (a correction offers it so)
        world["draft_lesson"].title,
        world["draft_story"].title,
        DRAFT_LESSON_WORD,
        PENDING_WORD,
        REJECTED_WORD,
        "Hortensj",  # the draft-only subject, place, agent and collection
        world["draft_image"].checksum,
        world["withdrawn_image"].checksum,
    ]


def test_drafts_stay_private_on_every_channel(client, world):
    leaks = Leaks()
    secrets = secrets_of(world)
    draft, public, withdrawn = world["draft"], world["public"], world["withdrawn"]

    # --- pages ---------------------------------------------------------------------------
    for language in ("pl", "en"):
        for hidden in (draft, withdrawn):
            leaks.status(
                f"item page {language}", client.get(f"/{language}/items/{hidden.identifier}/")
            )
        visible = client.get(f"/{language}/items/{public.identifier}/")
        leaks.status("published item page", visible, 200)
        leaks.check(
            "published item page (approved contribution)",
            APPROVED_WORD in body(visible),
            "misses the approved contribution",
        )
        leaks.absent(f"published item page {language} (related items)", body(visible), secrets)
        for path in (
            "",
            "browse/",
            "browse/subjects/",
            "browse/places/",
            "browse/types/",
            "browse/periods/",
            "collections/",
            f"collections/{world['mixed'].slug}/",
            "lessons/",
            f"lessons/{world['lesson'].slug}/",
            f"lessons/{world['lesson'].slug}/worksheet/",
            "stories/",
            f"stories/{world['story'].slug}/",
            "sitemap/",
        ):
            response = client.get(f"/{language}/{path}")
            leaks.status(f"page /{language}/{path}", response, 200)
            leaks.absent(f"page /{language}/{path}", body(response), secrets)
        for path in (
            f"collections/{world['only_drafts'].slug}/",
            f"lessons/{world['draft_lesson'].slug}/",
            f"lessons/{world['draft_lesson'].slug}/worksheet/",
            f"stories/{world['draft_story'].slug}/",
            f"people/{world['names']['agent'].slug}/",
        ):
            leaks.status(f"page /{language}/{path}", client.get(f"/{language}/{path}"))

    # --- the search page -----------------------------------------------------------------
    for q in (
        DRAFT_WORD,
        WITHDRAWN_WORD,
        DRAFT_LESSON_WORD,
        PENDING_WORD,
        REJECTED_WORD,
        "Hortensji",
        "zgryzliwca",
    ):
        page = body(client.get("/pl/search/", {"q": q}))
        leaks.absent(f"search page q={q}", page.replace(q, ""), secrets)
    shared = client.get("/pl/search/", {"q": SHARED_WORD})
    leaks.check("search page (shared word)", public.title in body(shared), "misses the public item")
    leaks.absent("search page facets (shared word)", body(shared), secrets)

    # --- the search API: results, facets and counts, did-you-mean, suggestions ----------
    answer = client.get("/api/v1/search/", {"q": SHARED_WORD}).json()
    leaks.check("search API count", answer["count"] == 1, f"count {answer['count']}")
    leaks.check(
        "search API results",
        [hit["identifier"] for hit in answer["results"]] == [public.identifier],
        str([hit["identifier"] for hit in answer["results"]]),
    )
    for facet, values in answer["facets"].items():
        for value in values:
            leaks.check(f"search API facet {facet}", value["count"] <= 1, str(value))
    leaks.absent("search API facets", json.dumps(answer["facets"], ensure_ascii=False), secrets)
    for q in (
        DRAFT_WORD,
        WITHDRAWN_WORD,
        DRAFT_LESSON_WORD,
        PENDING_WORD,
        REJECTED_WORD,
        "zgryzliwca",
        "przepiórecznika",
    ):
        answer = client.get("/api/v1/search/", {"q": q}).json()
        leaks.check(f"search API q={q}", answer["count"] == 0, f"count {answer['count']}")
        # (The query comes back as asked: in `missing`, for example. Everything else counts.)
        shown = json.dumps(answer, ensure_ascii=False).replace(q, "")
        leaks.absent(f"search API q={q}", shown, secrets)
    for q in ("Kaplicz", "Hortens", "Wiatrak B", "zgryz", "Lekcja rob", "Opowieść rob"):
        answer = client.get("/api/v1/search/suggest/", {"q": q}).json()
        leaks.absent(f"suggest q={q}", json.dumps(answer, ensure_ascii=False), secrets)
    suggested = client.get("/api/v1/search/suggest/", {"q": "Młyn w"}).json()
    leaks.check(
        "suggest (published)",
        public.identifier in json.dumps(suggested),
        "misses the public item",
    )

    # --- items, media, vocabularies, collections, lessons, stories in the API -----------
    listed = client.get("/api/v1/items/", {"page_size": 100}).json()
    leaks.check(
        "items API list",
        {row["identifier"] for row in listed["results"]} == {public.identifier, "MOK-F-0904"},
        str([row["identifier"] for row in listed["results"]]),
    )
    for hidden in (draft, withdrawn):
        leaks.status("items API detail", client.get(f"/api/v1/items/{hidden.identifier}/"))
    detail = client.get(f"/api/v1/items/{public.identifier}/").json()
    leaks.absent("items API published detail", json.dumps(detail, ensure_ascii=False), secrets)
    (public_media_json,) = detail["media"]
    image = world["public_image"]
    leaks.check(
        "items API media url",
        image.file.name not in (public_media_json["url"] or "")
        and public_original_name(image) not in (public_media_json["url"] or ""),
        "links an original the licence keeps private",
    )
    leaks.check("items API download_url", public_media_json["download_url"] is None)
    media_list = client.get("/api/v1/media/", {"page_size": 100}).json()
    leaks.absent("media API list", json.dumps(media_list, ensure_ascii=False), secrets)
    for hidden in (world["draft_image"], world["withdrawn_image"]):
        leaks.status("media API detail", client.get(f"/api/v1/media/{hidden.pk}/"))
    for kind, record in world["names"].items():
        plural = {"subject": "subjects", "place": "places", "agent": "agents"}[kind]
        leaks.status(f"{plural} API detail", client.get(f"/api/v1/{plural}/{record.slug}/"))
        every = client.get(f"/api/v1/{plural}/", {"page_size": 100}).json()
        leaks.absent(f"{plural} API list", json.dumps(every, ensure_ascii=False), secrets)
    leaks.status("collections API", client.get(f"/api/v1/collections/{world['only_drafts'].slug}/"))
    mixed = client.get(f"/api/v1/collections/{world['mixed'].slug}/").json()
    leaks.check("collections API item_count", mixed["item_count"] == 1, str(mixed["item_count"]))
    collections = client.get("/api/v1/collections/", {"page_size": 100}).json()
    leaks.absent("collections API list", json.dumps(collections, ensure_ascii=False), secrets)
    filtered = client.get("/api/v1/items/", {"collection": world["mixed"].slug}).json()
    leaks.check("items API ?collection", filtered["count"] == 1, str(filtered["count"]))
    for kind in ("lessons", "stories"):
        every = client.get(f"/api/v1/{kind}/", {"page_size": 100}).json()
        leaks.absent(f"{kind} API list", json.dumps(every, ensure_ascii=False), secrets)
        published = world["lesson" if kind == "lessons" else "story"]
        shown = client.get(f"/api/v1/{kind}/{published.slug}/")
        leaks.status(f"{kind} API published detail", shown, 200)
        leaks.absent(f"{kind} API published detail", body(shown), secrets)
    leaks.status("lessons API draft", client.get(f"/api/v1/lessons/{world['draft_lesson'].slug}/"))
    leaks.status("stories API draft", client.get(f"/api/v1/stories/{world['draft_story'].slug}/"))

    # --- sitemap and Atom feed -----------------------------------------------------------
    sitemap = body(client.get("/sitemap.xml"))
    leaks.check("sitemap", f"/items/{public.identifier}/" in sitemap, "misses the public item")
    leaks.absent("sitemap", sitemap, secrets + ["zbior-hortensji", "lekcja-robocza"])
    for language in ("pl", "en"):
        feed = client.get(f"/{language}/feed/")
        leaks.check("feed", public.identifier in body(feed), "misses the public item")
        leaks.absent(f"Atom feed /{language}/", body(feed), secrets)

    # --- OAI-PMH -------------------------------------------------------------------------
    def oai(**params) -> etree._Element:
        return etree.fromstring(client.get("/oai/", params).content)

    for verb in ("ListRecords", "ListIdentifiers"):
        root = oai(verb=verb, metadataPrefix="oai_dc")
        headers = {
            h.findtext("oai:identifier", namespaces=NS).rsplit(":", 1)[-1]: h.get("status")
            for h in root.iterfind(".//oai:header", NS)
        }
        leaks.check(f"OAI {verb} (draft)", draft.identifier not in headers, str(headers))
        leaks.check(
            f"OAI {verb} (withdrawn)",
            headers.get(withdrawn.identifier) == "deleted",
            f"withdrawn as {headers.get(withdrawn.identifier, 'missing')}",
        )
        leaks.check(f"OAI {verb} (public)", headers.get(public.identifier) is None)
        leaks.absent(f"OAI {verb} metadata", etree.tostring(root, encoding="unicode"), secrets[1:3])
    sets = etree.tostring(oai(verb="ListSets"), encoding="unicode")
    leaks.absent("OAI ListSets", sets, ["zbior-hortensji", "Hortensj"])
    # Records are named oai:<repository>:<identifier>; the public item's header says how.
    listed = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    prefix = next(
        e.text[: -len(public.identifier)]
        for e in listed.iterfind(".//oai:header/oai:identifier", NS)
        if e.text.endswith(f":{public.identifier}")
    )
    for hidden, expected in ((draft, "idDoesNotExist"), (withdrawn, "deleted")):
        root = oai(
            verb="GetRecord",
            metadataPrefix="oai_dc",
            identifier=prefix + hidden.identifier,
        )
        error = root.find("oai:error", NS)
        header = root.find(".//oai:header", NS)
        got = error.get("code") if error is not None else header.get("status") or "a record"
        leaks.check(f"OAI GetRecord {hidden.identifier}", got == expected, got)
        leaks.check("OAI GetRecord metadata", root.find(".//oai:metadata", NS) is None)

    # --- IIIF ----------------------------------------------------------------------------
    for hidden in (draft, withdrawn):
        leaks.status("IIIF manifest", client.get(f"/iiif/{hidden.identifier}/manifest.json"))
    leaks.status(
        "IIIF manifest (public)", client.get(f"/iiif/{public.identifier}/manifest.json"), 200
    )
    for media in (world["draft_image"], world["withdrawn_image"]):
        for url in (
            f"/iiif/image/{media.checksum}",
            f"/iiif/image/{media.checksum}/info.json",
            f"/iiif/image/{media.checksum}/full/320,/0/default.jpg",
            f"/iiif/image/{media.checksum}/0,0,256,256/256,/0/default.jpg",
        ):
            leaks.status(f"IIIF image {url}", client.get(url))
    info = f"/iiif/image/{world['public_image'].checksum}/info.json"
    leaks.status("IIIF image (public)", client.get(info), 200)

    # --- media by URL: originals, public copies, derivatives, old tokened links ----------
    for media in (world["draft_image"], world["withdrawn_image"]):
        names = [media.file.name, public_original_name(media)]
        names += [
            d.name for d in derivatives.derivatives_for(media.checksum, media.width, media.height)
        ]
        for name in names:
            leaks.status(f"media /media/{name}", client.get(f"/media/{name}"))
    seen = world["withdrawn_urls_seen"]
    for url in [seen["url"], seen["download_url"], *seen["derivatives"]["jpeg"].values()]:
        leaks.status(f"withdrawn media (URL given while public) {url}", client.get(url))
    image = world["public_image"]
    for name in (image.file.name, public_original_name(image)):
        leaks.status(
            f"published item's private original /media/{name}", client.get(f"/media/{name}")
        )
    for url in public_media(image)["derivatives"]["jpeg"].values():
        leaks.status("published derivative", client.get(url), 200)

    # --- the classroom ZIP ---------------------------------------------------------------
    leaks.status(
        "classroom ZIP (draft lesson)",
        client.get(f"/pl/lessons/{world['draft_lesson'].slug}/download.zip"),
    )
    response = client.get(f"/pl/lessons/{world['lesson'].slug}/download.zip")
    leaks.status("classroom ZIP", response, 200)
    if response.status_code == 200:
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", "replace")
            leaks.absent(f"classroom ZIP {name}", name + text, secrets)

    assert not leaks.found, "\n".join(leaks.found)
