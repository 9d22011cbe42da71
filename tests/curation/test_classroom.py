"""A lesson in the classroom: the pupils' worksheet and the ZIP with images and credits."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from PIL import Image

from archive.models import Agent, ItemCreator, Licence, Status
from curation.models import Lesson, LessonStep
from tests.factories import AgentFactory, ItemFactory, MediaFileFactory, image_bytes

pytestmark = pytest.mark.django_db

OPEN = "CC-BY-4.0"
CLOSED = "InC"


@pytest.fixture(autouse=True)
def classroom_cache(settings, tmp_path):
    settings.KRONIKA_CLASSROOM_CACHE_DIR = str(tmp_path / "classroom-cache")
    return tmp_path / "classroom-cache"


def licence(code: str) -> Licence:
    return Licence.objects.get(code=code)


def illustrated_item(title: str, code: str = OPEN, status=Status.PUBLISHED, **fields):
    item = ItemFactory(title=title, licence=licence(code), status=status, **fields)
    MediaFileFactory(item=item)
    return item


def make_lesson(*steps: dict, status=Status.PUBLISHED, slug="wojna-w-mszczonowie") -> Lesson:
    lesson = Lesson.objects.create(
        title="Mszczonów w czasie wojny",
        title_en="Mszczonów during the war",
        slug=slug,
        status=Status.DRAFT,
    )
    for order, step in enumerate(steps):
        LessonStep.objects.create(lesson=lesson, order=order, **step)
    if status == Status.PUBLISHED:
        Lesson.objects.filter(pk=lesson.pk).update(status=status)
        lesson.refresh_from_db()
    return lesson


def download(client, lesson, language="pl"):
    response = client.get(f"/{language}/lessons/{lesson.slug}/download.zip")
    assert response.status_code == 200
    return response


def open_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def mixed_lesson():
    """Three published items (open licence with an image, In Copyright with an image, open
    licence without media) and a draft one."""
    church = illustrated_item(
        "Kościół św. Jana", date="1930", source="Album parafialny", rights_holder="Parafia"
    )
    ItemCreator.objects.create(item=church, agent=AgentFactory(name="Jan Kowalski"))
    poster = illustrated_item("Afisz okupacyjny", CLOSED)
    letter = ItemFactory(title="List z obozu", licence=licence(OPEN))
    secret = illustrated_item("Szkic niepublikowany", status=Status.DRAFT)
    lesson = make_lesson(
        {"heading": "Kościół", "item": church, "tasks": "Co widać na zdjęciu?\nKiedy je zrobiono?"},
        {"heading": "Afisz", "item": poster, "tasks": "Kto wydał afisz?"},
        {"heading": "List", "item": letter},
        {"heading": "Szkic", "item": secret, "tasks": "Zadanie przy szkicu"},
    )
    return lesson, church, poster, letter, secret


def test_zip_holds_the_worksheet_credits_and_only_images_the_licence_allows(client, mixed_lesson):
    lesson, church, poster, letter, secret = mixed_lesson
    archive = open_zip(download(client, lesson))
    names = archive.namelist()
    assert {"worksheet.html", "worksheet.css", "credits.txt", "credits.html"} <= set(names)
    images = [name for name in names if name.startswith("images/")]
    assert images == [f"images/01-{church.identifier}-kosciol-sw-jana.jpg"]
    assert Image.open(archive.open(images[0])).format == "JPEG"


def test_credits_name_every_image_with_licence_link_and_reason(client, mixed_lesson):
    lesson, church, poster, letter, secret = mixed_lesson
    archive = open_zip(download(client, lesson, "en"))
    text = archive.read("credits.txt").decode()
    html = archive.read("credits.html").decode()
    for credits in (text, html):
        for item in (church, poster, letter):
            assert item.title in credits
            assert f"http://testserver/en/items/{item.identifier}/" in credits
            assert item.licence.name_en in credits
            assert item.licence.url in credits
        assert "Jan Kowalski" in credits and "Album parafialny" in credits
        assert "Parafia" in credits and "1930" in credits
        assert secret.title not in credits
    poster_entry = text.split(poster.title, 1)[1].split("\n[", 1)[0]
    assert "does not allow sharing copies" in poster_entry
    assert "not in this download" in poster_entry
    letter_entry = text.split(letter.title, 1)[1].split("\n[", 1)[0]
    assert "has no image" in letter_entry


def test_worksheet_in_the_zip_refers_to_its_images_relatively(client, mixed_lesson):
    lesson, church, poster, *_ = mixed_lesson
    archive = open_zip(download(client, lesson))
    html = archive.read("worksheet.html").decode()
    sources = re.findall(r'<img src="([^"]+)"', html)
    assert sources == [f"images/01-{church.identifier}-kosciol-sw-jana.jpg"]
    assert all(source in archive.namelist() for source in sources)
    assert "/media/" not in html and "/static/" not in html and "<script" not in html
    # The print stylesheet travels in the ZIP, beside the worksheet.
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["worksheet.css"]
    assert "@media print" in archive.read("worksheet.css").decode()
    assert "Co widać na zdjęciu?" in html and "Kto wydał afisz?" in html
    assert poster.title in html and f"/pl/items/{poster.identifier}/" in html
    assert "Zadanie przy szkicu" in html  # a step's tasks stay, without its draft item
    assert "Szkic niepublikowany" not in html


def test_zip_images_are_in_a_classroom_size(client):
    item = ItemFactory(title="Rynek", licence=licence("PDM"))
    MediaFileFactory(item=item, file=ContentFile(image_bytes(2400, 1800), name="rynek.jpg"))
    lesson = make_lesson({"heading": "Rynek", "item": item})
    archive = open_zip(download(client, lesson))
    (name,) = [n for n in archive.namelist() if n.startswith("images/")]
    assert Image.open(archive.open(name)).size == (1920, 1440)


def test_zip_is_an_attachment_named_after_the_lesson(client, mixed_lesson):
    lesson = mixed_lesson[0]
    response = download(client, lesson)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="wojna-w-mszczonowie.zip"'
    assert int(response["Content-Length"]) > 0


def test_head_answers_like_get_without_a_body(client, mixed_lesson):
    lesson = mixed_lesson[0]
    response = client.head(f"/pl/lessons/{lesson.slug}/download.zip")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b""
    assert client.head(f"/en/lessons/{lesson.slug}/worksheet/").status_code == 200


def test_zip_is_built_once_and_reused(client, mixed_lesson, classroom_cache):
    lesson = mixed_lesson[0]
    first = download(client, lesson)
    (cached,) = classroom_cache.glob("*.zip")
    built = cached.stat().st_mtime_ns
    second = download(client, lesson)
    assert second["ETag"] == first["ETag"]
    assert list(classroom_cache.glob("*.zip")) == [cached]
    assert cached.stat().st_mtime_ns == built


def test_zip_is_rebuilt_after_an_item_changes(client, mixed_lesson, classroom_cache):
    lesson, church, *_ = mixed_lesson
    first = download(client, lesson)
    church.title = "Kościół parafialny św. Jana"
    church.save()
    second = download(client, lesson)
    assert second["ETag"] != first["ETag"]
    assert "Kościół parafialny św. Jana" in open_zip(second).read("credits.txt").decode()
    assert len(list(classroom_cache.glob("*.zip"))) == 1  # the old one is removed


def test_zip_is_rebuilt_after_a_licence_stops_allowing_downloads(client, mixed_lesson):
    lesson = mixed_lesson[0]
    assert any(n.startswith("images/") for n in open_zip(download(client, lesson)).namelist())
    Licence.objects.filter(code=OPEN).update(allows_download=False)
    names = open_zip(download(client, lesson)).namelist()
    assert not any(name.startswith("images/") for name in names)


def test_zip_is_rebuilt_after_a_creator_is_renamed(client, mixed_lesson):
    lesson = mixed_lesson[0]
    download(client, lesson)
    Agent.objects.filter(name="Jan Kowalski").update(name="Jan Maria Kowalski")
    credits = open_zip(download(client, lesson)).read("credits.txt").decode()
    assert "Jan Maria Kowalski" in credits


def test_zip_is_rebuilt_after_an_image_is_replaced(client, mixed_lesson):
    lesson, church, *_ = mixed_lesson
    before = open_zip(download(client, lesson))
    (name,) = [n for n in before.namelist() if n.startswith("images/")]
    media = church.media_files.get()
    media.file = ContentFile(image_bytes(80, 60, color="navy"), name="nowy.jpg")
    media.save()
    after = open_zip(download(client, lesson))
    assert Image.open(after.open(name)).size == (80, 60)


def test_zip_is_rebuilt_after_a_step_changes(client, mixed_lesson):
    lesson = mixed_lesson[0]
    download(client, lesson)
    LessonStep.objects.filter(lesson=lesson, heading="Afisz").update(tasks="Nowe pytanie?")
    html = open_zip(download(client, lesson)).read("worksheet.html").decode()
    assert "Nowe pytanie?" in html and "Kto wydał afisz?" not in html


def test_each_language_has_its_own_zip(client, mixed_lesson, classroom_cache):
    lesson = mixed_lesson[0]
    polish = open_zip(download(client, lesson, "pl")).read("worksheet.html").decode()
    english = open_zip(download(client, lesson, "en")).read("worksheet.html").decode()
    assert '<html lang="pl">' in polish and "Mszczonów w czasie wojny" in polish
    assert '<html lang="en">' in english and "Mszczonów during the war" in english
    assert len(list(classroom_cache.glob("*.zip"))) == 2


@pytest.mark.parametrize("page", ["worksheet/", "download.zip"])
def test_draft_lesson_is_private(archivist_client, page):
    client = Client()  # the public (`archivist_client` is the same `client`, logged in)
    lesson = make_lesson({"heading": "Krok"}, status=Status.DRAFT)
    assert client.get(f"/pl/lessons/{lesson.slug}/{page}").status_code == 404
    assert client.head(f"/pl/lessons/{lesson.slug}/{page}").status_code == 404
    assert archivist_client.get(f"/pl/lessons/{lesson.slug}/{page}").status_code == 200


def test_staff_preview_of_a_draft_lesson_leaves_out_draft_items(archivist_client):
    secret = illustrated_item("Szkic niepublikowany", status=Status.DRAFT)
    lesson = make_lesson({"heading": "Krok", "item": secret}, status=Status.DRAFT)
    html = archivist_client.get(f"/pl/lessons/{lesson.slug}/worksheet/").content.decode()
    assert "Szkic niepublikowany" not in html
    response = archivist_client.get(f"/pl/lessons/{lesson.slug}/download.zip")
    archive = open_zip(response)
    assert not [n for n in archive.namelist() if n.startswith("images/")]
    assert "Szkic niepublikowany" not in archive.read("credits.txt").decode()


@pytest.mark.parametrize(
    "path",
    [
        "/pl/lessons/nie-ma-takiej-lekcji/worksheet/",
        "/en/lessons/nie-ma-takiej-lekcji/download.zip",
        "/pl/lessons/zła%20lekcja/worksheet/",
        "/pl/lessons/wojna-w-mszczonowie/download.tar",
    ],
)
def test_bad_addresses_answer_404(client, mixed_lesson, path):
    assert client.get(path).status_code == 404


def test_writing_methods_are_refused(client, mixed_lesson):
    lesson = mixed_lesson[0]
    assert client.post(f"/pl/lessons/{lesson.slug}/download.zip").status_code == 405
    assert client.post(f"/pl/lessons/{lesson.slug}/worksheet/").status_code == 405


def test_worksheet_page_has_pupil_fields_tasks_images_and_credits(client, mixed_lesson):
    lesson, church, poster, letter, secret = mixed_lesson
    response = client.get(f"/en/lessons/{lesson.slug}/worksheet/")
    html = response.content.decode()
    assert "Name and surname" in html and "Class" in html and "Date" in html
    assert "Co widać na zdjęciu?" in html and "Kiedy je zrobiono?" in html
    assert html.count('class="ws-answer"') == 4  # room to write under each task
    assert html.count("<img ") == 2  # the In Copyright picture is shown on the site
    credits = html.split('id="credits-heading"', 1)[1]
    for item in (church, poster, letter):
        assert item.title in credits
        assert f"http://testserver/en/items/{item.identifier}/" in credits
        assert item.licence.url in credits
    assert "Jan Kowalski" in credits
    assert secret.title not in html
    assert "css/worksheet.css" in html and "data-print" in html
    assert f'href="/en/lessons/{lesson.slug}/download.zip"' in html


def test_worksheet_queries_do_not_grow_with_steps(client, django_assert_max_num_queries):
    items = [illustrated_item(f"Obiekt {n}") for n in range(12)]
    short = make_lesson(*({"heading": f"Krok {n}", "item": items[n]} for n in range(2)))
    long = make_lesson(
        *({"heading": f"Krok {n}", "item": item} for n, item in enumerate(items)),
        slug="dluga-lekcja",
    )
    client.get(f"/pl/lessons/{short.slug}/worksheet/")  # derivatives made on first sight
    client.get(f"/pl/lessons/{long.slug}/worksheet/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/pl/lessons/{short.slug}/worksheet/")
    with django_assert_max_num_queries(len(few)):
        client.get(f"/pl/lessons/{long.slug}/worksheet/")


def test_lesson_downloads_links_the_worksheet_and_the_zip_with_its_size(client, mixed_lesson):
    lesson = mixed_lesson[0]
    request = RequestFactory().get("/pl/")
    before = render_to_string(
        "curation/includes/lesson_downloads.html", {"lesson": lesson}, request
    )
    assert f'href="/pl/lessons/{lesson.slug}/worksheet/"' in before
    assert f'href="/pl/lessons/{lesson.slug}/download.zip"' in before
    assert "about" not in before
    size = len(b"".join(download(client, lesson).streaming_content))
    after = render_to_string("curation/includes/lesson_downloads.html", {"lesson": lesson}, request)
    from django.template.defaultfilters import filesizeformat

    assert str(filesizeformat(size)) in after


def test_check_reports_a_cache_folder_that_cannot_be_written(settings, tmp_path):
    from curation.checks import check_classroom_cache_dir

    assert check_classroom_cache_dir() == []
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.KRONIKA_CLASSROOM_CACHE_DIR = str(blocker / "classroom")
    (problem,) = check_classroom_cache_dir()
    assert problem.id == "curation.E001" and "KRONIKA_CLASSROOM_CACHE_DIR" in problem.msg
