"""The admin's Import page: upload, paged preview, confirm or cancel; nothing before confirm."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from archive.batches import ImportBatch
from archive.models import Item, Licence, Status, Subject
from tests.factories import ItemFactory, SubjectFactory, image_bytes

pytestmark = pytest.mark.django_db

# The contract's address is /pl/…; the tests read English pages (/en/…), whose messages
# do not depend on the Polish catalogue.
CONTRACT_URL = "/pl/admin/archive/item/import/"
IMPORT_URL = "/en/admin/archive/item/import/"
HEADER = ["identifier", "title", "item_type", "date", "subjects", "licence", "status"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_bytes(rows, header=HEADER, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(client, content: bytes, name="katalog.csv", follow=False):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)}, follow=follow)


def staged_preview_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_items_changelist_links_to_the_import_page(archivist_client):
    with translation.override("pl"):
        page = archivist_client.get(reverse("admin:archive_item_changelist")).content.decode()
    assert f'href="{CONTRACT_URL}"' in page
    assert archivist_client.get(CONTRACT_URL).status_code == 200


def test_preview_shows_new_items_and_updates_with_old_and_new_values(archivist_client):
    ItemFactory(identifier="MOK-F-0001", title="Stary tytuł", status=Status.DRAFT)
    SubjectFactory(name="Kościoły", slug="koscioly")
    content = csv_bytes(
        [
            ["MOK-F-0001", "Nowy tytuł", "photograph", "1920~", "Kościoły", "", "draft"],
            ["MOK-F-0002", "Rynek", "photograph", "193X", "Rynki;Kościoły", "CC-BY-4.0", ""],
        ]
    )
    page = archivist_client.get(staged_preview_url(upload(archivist_client, content)))
    html = page.content.decode()
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [(r["identifier"], r["action"]) for r in rows] == [
        ("MOK-F-0001", "update"),
        ("MOK-F-0002", "create"),
    ]
    title = next(c for c in rows[0]["changes"] if c["field"] == "title")
    assert (title["old"], title["new"]) == ("Stary tytuł", "Nowy tytuł")
    assert "<del>Stary tytuł</del> → <ins>Nowy tytuł</ins>" in html
    # Dates as read, and names that will be created.
    assert rows[1]["date"] == {"text": "193X", "as_written": "", "start": 1930, "end": 1939}
    assert "193X: 1930–1939" in html
    assert rows[1]["new_terms"] == {"subjects": ["Rynki"]}
    assert page.context["preview"]["new_terms"] == {"subjects": ["Rynki"]}
    assert 'id="import-confirm"' in html


def test_preview_shows_a_date_phrase_as_read_and_probable_duplicates(archivist_client):
    stored = ItemFactory(identifier="MOK-F-0007", title="Kościół św. Jana", date="1930")
    content = csv_bytes(
        [
            ["MOK-F-0008", "KOŚCIÓŁ  ŚW JANA", "photograph", "lata 30. XX w.", "", "", ""],
            ["MOK-F-0009", "Kościół św. Jana", "photograph", "1950", "", "", ""],
            ["MOK-F-0007", "Kościół św. Jana", "photograph", "1930", "", "", ""],
        ]
    )
    page = archivist_client.get(staged_preview_url(upload(archivist_client, content)))
    rows = {r["identifier"]: r for r in page.context["rows"]}
    assert rows["MOK-F-0008"]["date"] == {
        "text": "193X",
        "as_written": "lata 30. XX w.",
        "start": 1930,
        "end": 1939,
    }
    assert "lata 30. XX w. (193X): 1930–1939" in page.content.decode()
    # Same title once normalised and an overlapping date: a warning, not an error.
    assert rows["MOK-F-0008"]["duplicates"] == [
        {"identifier": stored.identifier, "title": stored.title, "reasons": ["title"]}
    ]
    assert rows["MOK-F-0008"]["errors"] == []
    assert "This item may be a duplicate of:" in page.content.decode()
    # Another time, and the item itself, are not duplicates.
    assert rows["MOK-F-0009"]["duplicates"] == [] and rows["MOK-F-0007"]["duplicates"] == []
    assert 'id="import-confirm"' in page.content.decode()


def test_nothing_is_written_before_confirm(archivist_client):
    ItemFactory(identifier="MOK-F-0001", title="Stary tytuł")
    content = csv_bytes(
        [
            ["MOK-F-0001", "Nowy tytuł", "photograph", "", "Nowy temat", "", ""],
            ["MOK-F-0002", "Rynek", "photograph", "", "", "", ""],
        ]
    )
    archivist_client.get(staged_preview_url(upload(archivist_client, content)))
    assert list(Item.objects.values_list("identifier", "title")) == [("MOK-F-0001", "Stary tytuł")]
    assert not Subject.objects.filter(name="Nowy temat").exists()
    assert not ImportBatch.objects.exists()


def test_preview_lists_every_error_with_line_and_column_and_offers_no_confirm(archivist_client):
    content = csv_bytes(
        [
            ["MOK-F-0001", "", "photograph", "", "", "", ""],
            ["MOK-F-0002", "Rynek", "statek", "", "", "", ""],
            ["MOK-F-0003", "Ratusz", "photograph", "jutro", "", "XYZ", ""],
        ]
    )
    page = archivist_client.get(staged_preview_url(upload(archivist_client, content)))
    html = page.content.decode()
    errors = {(r["line"], e["column"]) for r in page.context["rows"] for e in r["errors"]}
    assert errors == {(2, "title"), (3, "item_type"), (4, "date"), (4, "licence")}
    assert page.context["preview"]["error_count"] == 4
    assert "column title" in html and "column licence" in html
    assert 'id="import-confirm"' not in html
    # Confirming anyway (a crafted POST) writes nothing either.
    token = token_of(page.request["PATH_INFO"])
    archivist_client.post(reverse("admin:archive_item_import_confirm", args=[token]))
    assert not Item.objects.exists()


def test_preview_is_paged_and_filtered(archivist_client):
    rows = [[f"MOK-{n:04d}", f"Obiekt {n}", "photograph", "", "", "", ""] for n in range(1, 251)]
    rows[199][2] = "statek"  # line 201
    url = staged_preview_url(upload(archivist_client, csv_bytes(rows)))
    first = archivist_client.get(url)
    assert len(first.context["rows"]) == 100
    assert first.context["page"].paginator.num_pages == 3
    last = archivist_client.get(url, {"page": 3})
    assert [r["line"] for r in last.context["rows"]] == list(range(202, 252))
    only_errors = archivist_client.get(url, {"show": "errors"})
    assert [r["line"] for r in only_errors.context["rows"]] == [201]
    # A page past the end shows the last page, not an error.
    assert archivist_client.get(url, {"page": 99}).context["page"].number == 3


def test_filter_only_changes_leaves_out_unchanged_rows(archivist_client):
    ItemFactory(identifier="MOK-1", title="Bez zmian", status=Status.DRAFT)
    ItemFactory(identifier="MOK-2", title="Stary", status=Status.DRAFT)
    header = ["identifier", "title", "item_type"]
    content = csv_bytes(
        [["MOK-1", "Bez zmian", "photograph"], ["MOK-2", "Nowy", "photograph"]], header=header
    )
    url = staged_preview_url(upload(archivist_client, content))
    page = archivist_client.get(url, {"show": "changes"})
    assert [r["identifier"] for r in page.context["rows"]] == ["MOK-2"]
    assert page.context["preview"]["unchanged"] == 1


def test_confirm_imports_every_row_and_records_the_batch(archivist_client, archivist):
    content = csv_bytes(
        [
            ["MOK-F-0001", "Kościół", "photograph", "1920", "Kościoły", "", ""],
            ["MOK-F-0002", "Rynek", "photograph", "", "", "", ""],
        ]
    )
    url = staged_preview_url(upload(archivist_client, content, name="partia.csv"))
    token = token_of(url)
    response = archivist_client.post(reverse("admin:archive_item_import_confirm", args=[token]))
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    assert set(Item.objects.values_list("identifier", flat=True)) == {"MOK-F-0001", "MOK-F-0002"}
    assert (batch.user, batch.channel, batch.file_name) == (archivist, "admin", "partia.csv")
    assert (batch.rows, batch.created_count, batch.updated_count) == (2, 2, 0)
    import hashlib

    assert batch.checksum == hashlib.sha256(content).hexdigest()
    assert batch.report["created"] == 2
    # The staged upload is gone; its preview no longer opens.
    assert archivist_client.get(url).status_code == 404
    page = archivist_client.get(batch.get_absolute_url()).content.decode()
    assert "MOK-F-0001" in page and 'id="batch-undo-button"' in page


def test_confirm_writes_nothing_when_the_file_no_longer_passes(archivist_client):
    """All or nothing: a licence removed between preview and confirm fails the whole file."""
    licence = Licence.objects.create(code="X-TEMP", name="Tymczasowa")
    content = csv_bytes(
        [
            ["MOK-F-0001", "Kościół", "photograph", "", "", "", ""],
            ["MOK-F-0002", "Rynek", "photograph", "", "", "X-TEMP", ""],
        ]
    )
    url = staged_preview_url(upload(archivist_client, content))
    assert archivist_client.get(url).context["preview"]["ok"]
    licence.delete()
    response = archivist_client.post(
        reverse("admin:archive_item_import_confirm", args=[token_of(url)]), follow=True
    )
    assert not Item.objects.exists() and not ImportBatch.objects.exists()
    html = response.content.decode()
    assert "Nothing was imported" in html and "X-TEMP" in html
    assert 'id="import-confirm"' not in html


def test_cancel_discards_the_upload(archivist_client, settings):
    url = staged_preview_url(
        upload(archivist_client, csv_bytes([["A-1", "A", "photograph", "", "", "", ""]]))
    )
    response = archivist_client.post(
        reverse("admin:archive_item_import_cancel", args=[token_of(url)])
    )
    assert response["Location"] == reverse("admin:archive_item_changelist")
    assert not any(Path(settings.KRONIKA_IMPORT_STAGING_DIR).iterdir())
    assert not Item.objects.exists()


def test_staging_is_outside_media_root_and_private_to_the_uploader(
    archivist_client, client, django_user_model, settings
):
    url = staged_preview_url(
        upload(archivist_client, csv_bytes([["A-1", "A", "photograph", "", "", "", ""]]))
    )
    token = token_of(url)
    assert (Path(settings.KRONIKA_IMPORT_STAGING_DIR) / token).is_dir()
    assert (
        not list(Path(settings.MEDIA_ROOT).rglob("*.csv"))
        if Path(settings.MEDIA_ROOT).exists()
        else True
    )
    other = django_user_model.objects.create_user(
        "inna", password="x-haslo-123", is_staff=True, is_superuser=True
    )
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("admin:archive_item_import_confirm", args=[token])).status_code == 404
    )
    assert client.post(reverse("admin:archive_item_import_cancel", args=[token])).status_code == 404
    assert not Item.objects.exists()
    assert (Path(settings.KRONIKA_IMPORT_STAGING_DIR) / token).is_dir()


def test_expired_uploads_are_removed(archivist_client, settings):
    import os
    import time

    url = staged_preview_url(
        upload(archivist_client, csv_bytes([["A-1", "A", "photograph", "", "", "", ""]]))
    )
    folder = Path(settings.KRONIKA_IMPORT_STAGING_DIR) / token_of(url)
    old = time.time() - (settings.KRONIKA_IMPORT_STAGING_HOURS * 3600 + 60)
    os.utime(folder, (old, old))
    upload(archivist_client, csv_bytes([["B-1", "B", "photograph", "", "", "", ""]]))
    assert not folder.exists()


def test_file_over_the_size_limit_is_refused(archivist_client, settings):
    settings.KRONIKA_IMPORT_MAX_BYTES = 100
    content = csv_bytes([[f"A-{n}", "Tytuł", "photograph", "", "", "", ""] for n in range(10)])
    response = upload(archivist_client, content)
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    assert "KRONIKA_IMPORT_MAX_BYTES" in response.content.decode()
    assert not any(Path(settings.KRONIKA_IMPORT_STAGING_DIR).glob("*/meta.json"))


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("katalog.pdf", b"%PDF-1.4", "is not a CSV, XLSX or ZIP file"),
        (
            "katalog.csv",
            "identifier,title,item_type\nA-1,Zażółć,photograph\n".encode("cp1250"),
            "not UTF-8",
        ),
        ("katalog.csv", b"numer,nazwa\n1,2\n", "Unknown column"),
        ("katalog.csv", b"identifier,title,item_type\n", "no rows"),
        ("katalog.xlsx", b"PK\x03\x04 not really a workbook", "not a valid XLSX"),
        ("katalog.zip", b"PK\x03\x04 broken", "cannot be read"),
        ("katalog.zip", None, "exactly one catalogue sheet"),
        ("katalog.zip", "slip", "outside its folder"),
        ("katalog.csv", b"", "empty"),
    ],
)
def test_bad_files_get_a_clear_message(archivist_client, settings, name, content, message):
    if content is None:
        content = _zip({"a.csv": b"identifier,title,item_type\n", "b.csv": b"x"})
    elif content == "slip":
        content = _zip({"../evil.csv": b"identifier,title,item_type\n"})
    response = upload(archivist_client, content, name=name, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Item.objects.exists()


def test_zip_with_sheet_and_images_previews_and_imports_the_images(archivist_client):
    header = ["identifier", "title", "item_type", "image", "alt_text"]
    sheet = csv_bytes(
        [
            ["MOK-F-0001", "Kościół", "photograph", "zdjecia/kosciol.jpg", "Kościół z wieżą"],
            ["MOK-F-0002", "Rynek", "photograph", "zdjecia/brak.jpg", "Rynek"],
        ],
        header=header,
    )
    content = _zip({"paczka/katalog.csv": sheet, "paczka/zdjecia/kosciol.jpg": image_bytes(40, 30)})
    url = staged_preview_url(upload(archivist_client, content, name="paczka.zip"))
    page = archivist_client.get(url)
    images = [r["image"] for r in page.context["rows"]]
    assert images == [
        {"name": "kosciol.jpg", "found": True},
        {"name": "brak.jpg", "found": False},
    ]
    assert not page.context["preview"]["ok"]
    # Fixed package: the image is stored with its alt-text.
    sheet = csv_bytes(
        [["MOK-F-0001", "Kościół", "photograph", "zdjecia/kosciol.jpg", "Kościół z wieżą"]],
        header=header,
    )
    content = _zip({"katalog.csv": sheet, "zdjecia/kosciol.jpg": image_bytes(40, 30)})
    url = staged_preview_url(upload(archivist_client, content, name="paczka.zip"))
    archivist_client.post(reverse("admin:archive_item_import_confirm", args=[token_of(url)]))
    item = Item.objects.get(identifier="MOK-F-0001")
    assert list(item.media_files.values_list("alt_text", flat=True)) == ["Kościół z wieżą"]
    assert ImportBatch.objects.get().images == 1


def test_xlsx_upload_previews(archivist_client):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["identifier", "title", "item_type", "date"])
    sheet.append(["MOK-X-1", "Mapa", "map", "1905-05-03"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    url = staged_preview_url(upload(archivist_client, buffer.getvalue(), name="k.xlsx"))
    row = archivist_client.get(url).context["rows"][0]
    assert (row["identifier"], row["action"], row["date"]["start"]) == ("MOK-X-1", "create", 1905)


def test_anonymous_and_non_staff_users_cannot_reach_the_import_page(client, django_user_model):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    user = django_user_model.objects.create_user("gosc", password="x-haslo-123")
    client.force_login(user)
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_without_the_right_to_add_items_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user("czytelnik", password="x-haslo-123", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_item"))
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403
    content = csv_bytes([["A-1", "A", "photograph", "", "", "", ""]])
    assert upload(client, content).status_code == 403
    assert not Item.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_identifier_twice_in_the_file_is_an_error_in_the_preview_naming_both_lines(
    archivist_client, kind
):
    rows = [
        ["MOK-D-1", "Kościół", "photograph", "1920"],
        ["MOK-D-2", "Rynek", "photograph", "1930"],
        ["Mok-D-1", "Kościół jeszcze raz", "photograph", "1921"],
    ]
    if kind == "csv":
        content, name = csv_bytes(rows, header=HEADER[:4]), "k.csv"
    else:
        workbook = Workbook()
        workbook.active.append(HEADER[:4])
        for row in rows:
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        content, name = buffer.getvalue(), "k.xlsx"
    page = archivist_client.get(staged_preview_url(upload(archivist_client, content, name=name)))
    errors = [
        (r["line"], e["column"], e["message"]) for r in page.context["rows"] for e in r["errors"]
    ]
    assert len(errors) == 1
    line, column, message = errors[0]
    assert (line, column) == (4, "identifier") and "line 2" in message and "Mok-D-1" in message
    assert 'id="import-confirm"' not in page.content.decode()
    token = token_of(page.request["PATH_INFO"])
    archivist_client.post(reverse("admin:archive_item_import_confirm", args=[token]))
    assert not Item.objects.exists() and not ImportBatch.objects.exists()
