"""import_catalogue: every row checked first, all rows written or none."""

import csv
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from archive.importing import CatalogueFileError, CatalogueImport, ImportResult
from archive.models import Agent, Item, Place, Status, Subject
from curation.models import Collection, CollectionItem
from media.models import MediaFile
from tests.factories import (
    CollectionFactory,
    ItemFactory,
    MediaFileFactory,
    SubjectFactory,
    image_bytes,
)
from tests.media import samples

pytestmark = pytest.mark.django_db

HEADER = ["identifier", "title", "item_type", "date", "status", "image", "alt_text"]
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, whatever the Polish catalogue says."""
    with translation.override("en"):
        yield


def write_csv(path: Path, rows: list[list[str]], header=None, encoding="utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header or HEADER)
        writer.writerows(rows)
    return path


def run_import(path, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_catalogue", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "zdjecia").mkdir()
    (folder / "zdjecia" / "kosciol.jpg").write_bytes(image_bytes(80, 60))
    (folder / "notatki.jpg").write_text("to nie jest obraz", encoding="utf-8")
    return folder


def test_import_creates_items_with_every_column(folder):
    header = [
        "identifier",
        "title",
        "title_en",
        "item_type",
        "date",
        "description",
        "description_en",
        "subjects",
        "places",
        "creators",
        "collections",
        "licence",
        "rights_holder",
        "source",
        "status",
        "image",
        "alt_text",
        "alt_text_en",
    ]
    row = [
        "MOK-F-0001",
        "Kościół św. Jana",
        "St John's Church",
        "photograph",
        "1920~",
        "Widok od **rynku**.",
        "Seen from the square.",
        "Kościoły; Architektura",
        "Mszczonów",
        "Jan Kowalski;Anna Nowak",
        "Zdjęcia dawne",
        "CC-BY-4.0",
        "MOK",
        "Album rodzinny",
        "published",
        "zdjecia/kosciol.jpg",
        "Kościół z wieżą",
        "A church with a tower",
    ]
    code, out, err = run_import(write_csv(folder / "katalog.csv", [row], header))
    assert code == 0, err
    assert "1 created, 0 updated, 1 images" in out
    item = Item.objects.get(identifier="MOK-F-0001")
    assert (item.title, item.title_en, item.item_type) == (
        "Kościół św. Jana",
        "St John's Church",
        "photograph",
    )
    assert (item.date, item.date_start, item.date_end) == ("1920~", 1919, 1921)
    assert item.description == "Widok od **rynku**."
    assert item.licence.code == "CC-BY-4.0"
    assert (item.rights_holder, item.source) == ("MOK", "Album rodzinny")
    assert item.status == Status.PUBLISHED and item.published_at is not None
    assert sorted(item.subjects.values_list("name", flat=True)) == ["Architektura", "Kościoły"]
    assert Subject.objects.get(name="Kościoły").slug == "koscioly"
    assert list(item.places.values_list("name", flat=True)) == ["Mszczonów"]
    assert [c.agent.name for c in item.item_creators.all()] == ["Jan Kowalski", "Anna Nowak"]
    assert list(item.collections.values_list("title", flat=True)) == ["Zdjęcia dawne"]
    media = item.media_files.get()
    assert (media.alt_text, media.alt_text_en) == ("Kościół z wieżą", "A church with a tower")


def test_imported_image_has_kind_size_and_checksum(folder):
    path = write_csv(
        folder / "k.csv",
        [["MOK-F-0001", "Kościół", "photograph", "", "draft", "zdjecia/kosciol.jpg", ""]],
    )
    assert run_import(path)[0] == 0
    media = MediaFile.objects.get()
    data = (folder / "zdjecia" / "kosciol.jpg").read_bytes()
    assert media.kind == MediaFile.Kind.IMAGE
    assert (media.width, media.height) == (80, 60)
    assert media.size == len(data)
    assert media.checksum == hashlib.sha256(data).hexdigest()
    assert media.original_name == "kosciol.jpg"
    with media.file.open("rb") as handle:
        assert handle.read() == data


def test_defaults_are_draft_and_in_copyright(folder):
    path = write_csv(folder / "k.csv", [["MOK-D-1", "Dokument", "document"]], HEADER[:3])
    assert run_import(path)[0] == 0
    item = Item.objects.get()
    assert (item.status, item.licence.code, item.published_at) == (Status.DRAFT, "InC", None)


def test_row_with_existing_identifier_updates_that_item(folder):
    item = ItemFactory(identifier="MOK-F-0001", title="Stary tytuł", status=Status.DRAFT)
    item.subjects.add(SubjectFactory(name="Stary temat", slug="stary-temat"))
    path = write_csv(
        folder / "k.csv",
        [["MOK-F-0001", "Nowy tytuł", "map", "1939?", "Nowy temat"]],
        ["identifier", "title", "item_type", "date", "subjects"],
    )
    code, out, _err = run_import(path)
    assert code == 0
    assert "0 created, 1 updated" in out
    item.refresh_from_db()
    assert (item.title, item.item_type, item.date_start, item.date_end) == (
        "Nowy tytuł",
        "map",
        1938,
        1940,
    )
    assert list(item.subjects.values_list("name", flat=True)) == ["Nowy temat"]
    assert Item.objects.count() == 1


def test_columns_missing_from_the_file_are_left_alone_on_update(folder):
    item = ItemFactory(identifier="MOK-F-0001", description="Opis", status=Status.PUBLISHED)
    item.places.add(Place.objects.create(name="Mszczonów"))
    path = write_csv(folder / "k.csv", [["MOK-F-0001", "Nowy", "photograph"]], HEADER[:3])
    assert run_import(path)[0] == 0
    item.refresh_from_db()
    assert (item.title, item.description, item.status) == ("Nowy", "Opis", Status.PUBLISHED)
    assert list(item.places.values_list("name", flat=True)) == ["Mszczonów"]


def test_vocabularies_match_existing_records_ignoring_case_and_diacritics(folder):
    church = Subject.objects.create(name="Kościoły")
    town = Place.objects.create(name="Mszczonów")
    photos = CollectionFactory(title="Zdjęcia dawne", slug="zdjecia-dawne")
    rows = [
        ["A-1", "Jeden", "photograph", "koscioly", "MSZCZONOW", "zdjecia-dawne"],
        ["A-2", "Dwa", "photograph", "KOŚCIOŁY", "mszczonów", "zdjęcia dawne"],
    ]
    path = write_csv(
        folder / "k.csv",
        rows,
        ["identifier", "title", "item_type", "subjects", "places", "collections"],
    )
    assert run_import(path)[0] == 0
    assert Subject.objects.count() == 1 and Place.objects.count() == 1
    assert Collection.objects.count() == 1
    for item in Item.objects.all():
        assert list(item.subjects.all()) == [church]
        assert list(item.places.all()) == [town]
        assert list(item.collections.all()) == [photos]
    assert list(
        CollectionItem.objects.filter(collection=photos).values_list("item__identifier", "order")
    ) == [("A-1", 0), ("A-2", 1)]


def test_unknown_vocabulary_names_are_created_with_polish_slugs(folder):
    path = write_csv(
        folder / "k.csv",
        [["A-1", "Jeden", "photograph", "Łąki i pola", "Józef Łęcki"]],
        ["identifier", "title", "item_type", "subjects", "creators"],
    )
    assert run_import(path)[0] == 0
    assert Subject.objects.get().slug == "laki-i-pola"
    assert Agent.objects.get().slug == "jozef-lecki"


def test_xlsx_import_reads_the_first_sheet(folder):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["identifier", "title", "item_type", "date", "status"])
    sheet.append(["MOK-X-1", "Mapa Mszczonowa", "map", 1939, "draft"])
    sheet.append([None, None, None, None, None])  # blank rows are skipped
    sheet.append(["MOK-X-2", "Plan", "map", "193X", ""])
    workbook.create_sheet("inne").append(["nie", "czytane"])
    workbook.save(folder / "k.xlsx")
    code, out, err = run_import(folder / "k.xlsx")
    assert code == 0, err
    assert dict(Item.objects.values_list("identifier", "date_start")) == {
        "MOK-X-1": 1939,
        "MOK-X-2": 1930,
    }


def test_utf8_bom_and_semicolon_separated_csv_are_accepted(folder):
    path = folder / "excel.csv"
    path.write_bytes(
        'identifier;title;item_type;subjects\r\nA-1;Kościół;monument;"A;B"\r\n'.encode("utf-8-sig")
    )
    assert run_import(path)[0] == 0
    item = Item.objects.get(identifier="A-1")
    assert item.title == "Kościół"
    assert sorted(item.subjects.values_list("name", flat=True)) == ["A", "B"]


def test_dry_run_reports_and_writes_nothing(folder):
    path = write_csv(
        folder / "k.csv",
        [["MOK-F-0001", "Kościół", "photograph", "", "published", "zdjecia/kosciol.jpg", "Wieża"]],
    )
    code, out, _err = run_import(path, "--dry-run")
    assert code == 0
    assert "1 would be created" in out and "nothing was written" in out
    assert Item.objects.count() == 0 and Subject.objects.count() == 0
    assert stored_files() == []


def test_dry_run_of_a_bad_file_exits_1(folder):
    path = write_csv(folder / "k.csv", [["MOK-1", "T", "photograph", "19x5", "", "", ""]])
    code, _out, err = run_import(path, "--dry-run")
    assert code == 1
    assert "line 2, column date: Could not read" in err and "“19x5”" in err


def valid_row(identifier="MOK-OK-1"):
    return [
        identifier,
        "Poprawny",
        "photograph",
        "1939",
        "published",
        "zdjecia/kosciol.jpg",
        "Kościół z wieżą na tle nieba",
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ["", "Tytuł", "photograph", "", "", "", ""],
            "line 3, column identifier: this column is required",
        ),
        (
            ["MOK-2", "", "photograph", "", "", "", ""],
            "line 3, column title: this column is required",
        ),
        (["MOK-2", "T", "", "", "", "", ""], "line 3, column item_type: this column is required"),
        (
            ["MOK-2", "T", "obraz", "", "", "", ""],
            "line 3, column item_type: “obraz” is not an item type",
        ),
        (
            ["MOK-2", "T", "map", "19x5", "", "", ""],
            "line 3, column date: Could not read “19x5”",
        ),
        (
            ["MOK-OK-1", "T", "map", "", "", "", ""],
            "line 3, column identifier: “MOK-OK-1” is already on line 2",
        ),
        (["MOK 2/ą", "T", "map", "", "", "", ""], "line 3, column identifier: Use letters, digits"),
        (
            ["MOK-2", "T", "map", "", "gotowe", "", ""],
            "line 3, column status: “gotowe” is not a status",
        ),
        (
            ["MOK-2", "T", "map", "", "", "brak.jpg", "Alt"],
            "line 3, column image: the image file “brak.jpg” does not exist",
        ),
        (
            ["MOK-2", "T", "map", "", "", "../../etc/passwd", "Alt"],
            "line 3, column image: “../../etc/passwd” points outside",
        ),
        (
            ["MOK-2", "T", "map", "", "", "/etc/passwd", "Alt"],
            "line 3, column image: “/etc/passwd” must be a path relative",
        ),
        (
            ["MOK-2", "T", "map", "", "", "notatki.jpg", "Alt"],
            "line 3, column image: This file is not an accepted image",
        ),
        (
            ["MOK-2", "T", "map", "", "published", "zdjecia/kosciol.jpg", ""],
            "line 3, column alt_text: Item MOK-2 cannot be published: these images have no "
            "alt-text: kosciol.jpg",
        ),
        (
            ["MOK-2", "T" * 501, "map", "", "", "", ""],
            "line 3, column title: Ensure this value has at most 500 characters",
        ),
        (
            ["MOK-2", "T", "map", "", "", "", "Alt bez obrazu"],
            "line 3, column alt_text: alt-text is only used together with an image",
        ),
        (
            ["MOK-2", "T", "map", "", "", "zdjecia/kosciol.jpg", "A" * 501],
            "line 3, column alt_text: Ensure this value has at most 500 characters",
        ),
        (
            ["MOK-2", "T", "map", "", "", "", "", "nadmiar"],
            "line 3: the row has more cells than the header",
        ),
    ],
)
def test_bad_row_is_reported_and_nothing_is_written(folder, row, expected):
    path = write_csv(folder / "k.csv", [valid_row(), row])
    code, _out, err = run_import(path)
    assert code == 1
    assert expected in err
    assert "nothing was imported" in err
    assert Item.objects.count() == 0
    assert Subject.objects.count() == 0
    assert stored_files() == []


def test_nul_character_in_a_cell_is_reported_and_nothing_is_written(folder):
    # PostgreSQL cannot store NUL: without the check the import died there with DataError.
    rows = [["MOK-1", "Tytu\x00ł", "map"], ["MOK-2", "T", "map"]]
    path = write_csv(folder / "k.csv", rows, HEADER[:3])
    code, _out, err = run_import(path)
    assert code == 1
    assert "line 2, column title: the cell contains a NUL character; remove it." in err
    assert Item.objects.count() == 0


def test_unknown_licence_is_reported(folder):
    path = write_csv(
        folder / "k.csv", [["MOK-1", "T", "map", "CC-BY-5.0"]], HEADER[:3] + ["licence"]
    )
    code, _out, err = run_import(path)
    assert code == 1
    assert "line 2, column licence: “CC-BY-5.0” is not a licence code" in err
    assert Item.objects.count() == 0


def test_over_long_vocabulary_name_is_reported(folder):
    path = write_csv(folder / "k.csv", [["MOK-1", "T", "map", "N" * 201]], HEADER[:3] + ["places"])
    code, _out, err = run_import(path)
    assert code == 1
    assert "line 2, column places: the name" in err and "longer than 200 characters" in err


def test_every_bad_row_is_reported_in_line_order(folder):
    rows = [
        ["MOK-1", "T", "map", "19x5", "", "", ""],
        valid_row(),
        ["MOK-3", "", "nic", "", "", "", ""],
    ]
    code, _out, err = run_import(write_csv(folder / "k.csv", rows))
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("line ")]
    assert lines == [
        lines[0],
        "line 4, column title: this column is required, but the cell is empty.",
        lines[2],
    ]
    assert lines[0].startswith("line 2, column date:")
    assert lines[2].startswith("line 4, column item_type: “nic” is not an item type")
    assert "3 problems found; nothing was imported." in err


def test_missing_required_column_is_a_file_error(folder):
    path = write_csv(folder / "k.csv", [["MOK-1", "T"]], ["identifier", "title"])
    code, _out, err = run_import(path)
    assert code == 1
    assert "line 1: The header lacks the required column(s): item_type." in err


def test_unknown_column_is_a_file_error(folder):
    path = write_csv(folder / "k.csv", [["MOK-1", "T", "map", "x"]], HEADER[:3] + ["titel"])
    code, _out, err = run_import(path)
    assert code == 1
    assert "Unknown column(s) in the header: titel." in err


def test_file_in_cp1250_is_reported_as_not_utf8_with_its_line(folder):
    path = write_csv(folder / "k.csv", [["MOK-1", "Kościół", "monument"]], HEADER[:3], "cp1250")
    code, _out, err = run_import(path)
    assert code == 1
    assert "line 2: The file is not UTF-8" in err
    assert Item.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"", "pusty.csv", "The file is empty."),
        (b"identifier,title,item_type\r\n", "naglowek.csv", "The file has a header but no rows."),
        (b"to nie jest arkusz", "zly.xlsx", "The file is not a valid XLSX workbook"),
        (b"PK\x03\x04uszkodzony zip", "zly.csv", "The file is not a valid XLSX workbook"),
    ],
)
def test_unreadable_files_are_reported(folder, content, name, expected):
    (folder / name).write_bytes(content)
    code, _out, err = run_import(folder / name)
    assert code == 1
    assert expected in err


def test_missing_file_is_reported(folder):
    code, _out, err = run_import(folder / "nie-ma.csv")
    assert code == 1
    assert "File not found:" in err


def test_published_update_refused_when_existing_images_lack_alt_text(folder):
    item = ItemFactory(identifier="MOK-F-0001", status=Status.DRAFT)
    MediaFileFactory(item=item, alt_text="")
    path = write_csv(folder / "k.csv", [["MOK-F-0001", "T", "photograph", "", "published", "", ""]])
    code, _out, err = run_import(path)
    assert code == 1
    assert "line 2, column status: Item MOK-F-0001 cannot be published" in err
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def test_published_row_with_alt_text_that_only_names_the_medium_is_refused(folder):
    row = ["MOK-1", "T", "photograph", "", "published", "zdjecia/kosciol.jpg", "Zdjęcie"]
    code, _out, err = run_import(write_csv(folder / "k.csv", [row]))
    assert code == 1
    assert "line 2, column status: Item MOK-1 cannot be published" in err
    assert "only names the medium" in err
    assert Item.objects.count() == 0
    assert stored_files() == []


def test_published_row_may_supply_alt_text_for_the_image_an_item_already_has(folder):
    item = ItemFactory(identifier="MOK-F-0001", status=Status.DRAFT)
    data = (folder / "zdjecia" / "kosciol.jpg").read_bytes()
    from django.core.files.base import ContentFile

    MediaFileFactory(item=item, alt_text="", file=ContentFile(data, name="kosciol.jpg"))
    row = ["MOK-F-0001", "T", "photograph", "", "published", "zdjecia/kosciol.jpg", "Wieża"]
    code, out, err = run_import(write_csv(folder / "k.csv", [row]))
    assert code == 0, err
    assert "0 images" in out
    assert list(item.media_files.values_list("alt_text", flat=True)) == ["Wieża"]
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


def test_draft_row_may_have_an_image_without_alt_text(folder):
    row = ["MOK-1", "T", "photograph", "", "draft", "zdjecia/kosciol.jpg", ""]
    assert run_import(write_csv(folder / "k.csv", [row]))[0] == 0
    assert MediaFile.objects.get().alt_text == ""


def test_stored_images_are_removed_when_writing_fails(folder):
    """If the file changes between checking and writing, the transaction and files are undone."""
    path = write_csv(folder / "k.csv", [valid_row(), valid_row("MOK-OK-2")])
    importer = CatalogueImport(path)
    result = importer.validate()
    assert result.ok
    write_csv(path, [valid_row(), ["MOK-OK-2", "T", "map", "19x5", "", "", ""]])
    importer.batch_size = 1
    with pytest.raises(CatalogueFileError, match="changed while it was being imported"):
        importer.write(ImportResult())
    assert Item.objects.count() == 0
    assert stored_files() == []


def test_result_lists_written_item_pks(folder):
    path = write_csv(folder / "k.csv", [valid_row(), valid_row("MOK-OK-2")])
    result = CatalogueImport(path).run()
    assert sorted(result.item_pks) == sorted(Item.objects.values_list("pk", flat=True))


def test_command_line_exit_code_and_stderr(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "cli-media"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True
    )
    path = write_csv(tmp_path / "k.csv", [["MOK-1", "Zły", "map", "19x5", "", "", ""]])
    done = subprocess.run(
        [sys.executable, "manage.py", "import_catalogue", str(path)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    # The site's language is Polish, so only the language-neutral parts are asserted.
    assert "2" in done.stderr and "date" in done.stderr and "19x5" in done.stderr
    assert done.stdout == ""
    helped = subprocess.run(
        [sys.executable, "manage.py", "import_catalogue", "--help"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert helped.returncode == 0 and "--dry-run" in helped.stdout


def test_two_spellings_of_one_name_in_a_cell_link_once(folder):
    Subject.objects.create(name="Kościoły")
    path = write_csv(
        folder / "k.csv",
        [["A-1", "Jeden", "photograph", "Kościoły; koscioly;KOŚCIOŁY"]],
        ["identifier", "title", "item_type", "subjects"],
    )
    assert run_import(path)[0] == 0
    assert list(Item.objects.get().subjects.values_list("name", flat=True)) == ["Kościoły"]


def test_pdf_in_the_image_column_is_refused(folder):
    (folder / "skan.pdf").write_bytes(samples.pdf())
    path = write_csv(folder / "k.csv", [["A-1", "Skan", "document", "", "", "skan.pdf", ""]])
    code, _out, err = run_import(path)
    assert code == 1
    assert "line 2, column image: “skan.pdf” is not an image" in err


def test_imported_published_items_are_found_by_search(
    tmp_path, client, django_capture_on_commit_callbacks
):
    path = tmp_path / "katalog.csv"
    path.write_text(
        "identifier,title,item_type,status,description\n"
        "IMP-1,Kościół parafialny,monument,published,Świątynia w Mszczonowie\n"
        "IMP-2,Szkic kościoła,document,draft,\n",
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_catalogue", str(path))
    response = client.get("/api/v1/search/", {"q": "kosciola"})
    assert [hit["identifier"] for hit in response.json()["results"]] == ["IMP-1"]


def test_import_that_unpublishes_leaves_an_oai_tombstone_and_republishing_removes_it(tmp_path):
    from interop.models import DeletedRecord

    ItemFactory(identifier="MOK-F-0500", title="Rynek", status=Status.PUBLISHED)
    header = ["identifier", "title", "item_type", "status"]
    draft = write_csv(tmp_path / "a.csv", [["MOK-F-0500", "Rynek", "photograph", "draft"]], header)
    assert run_import(draft)[0] == 0
    assert DeletedRecord.objects.filter(identifier="MOK-F-0500").exists()
    published = write_csv(
        tmp_path / "b.csv", [["MOK-F-0500", "Rynek", "photograph", "published"]], header
    )
    assert run_import(published)[0] == 0
    assert not DeletedRecord.objects.filter(identifier="MOK-F-0500").exists()


# --- identifiers ignore case; the publishing rule holds against changes meanwhile ------------


def test_row_with_identifier_in_another_case_updates_that_item(folder):
    item = ItemFactory(identifier="MOK-F-0001", title="Stary tytuł", status=Status.DRAFT)
    path = write_csv(folder / "k.csv", [["mok-f-0001", "Nowy tytuł", "map"]], HEADER[:3])

    code, out, _err = run_import(path)

    assert code == 0, _err
    assert "0 created, 1 updated" in out
    assert list(Item.objects.values_list("identifier", "title")) == [("MOK-F-0001", "Nowy tytuł")]
    item.refresh_from_db()
    assert item.item_type == "map"


def test_one_identifier_twice_in_a_file_in_two_cases_is_reported(folder):
    path = write_csv(
        folder / "k.csv",
        [["MOK-F-0001", "Jeden", "map"], ["mok-f-0001", "Drugi", "map"]],
        HEADER[:3],
    )
    code, _out, err = run_import(path)
    assert code == 1
    assert "line 3, column identifier" in err
    assert not Item.objects.exists()


def test_publishing_import_refuses_an_image_without_alt_text_added_meanwhile(folder):
    item = ItemFactory(identifier="MOK-F-0001", status=Status.DRAFT)
    path = write_csv(
        folder / "k.csv", [["MOK-F-0001", "Kościół", "photograph", "", "published"]], HEADER[:5]
    )
    importer = CatalogueImport(path)
    checked = importer.validate()
    assert checked.ok
    # Between the check and the write, someone uploads an image without alt-text.
    MediaFileFactory(item=item, alt_text="")

    with pytest.raises(CatalogueFileError, match="changed while the file was being imported"):
        importer.write(checked)

    item.refresh_from_db()
    assert item.status == Status.DRAFT


def _xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["identifier", "title", "item_type", "date"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_same_identifier_twice_in_one_file_names_both_lines_and_writes_nothing(folder, kind):
    """Within one file an identifier is one item: a second row with it (in any case of its
    letters, with spaces around it, however far down the file) is an error naming both
    lines, found before anything is written."""
    rows = [
        ["MOK-D-1", "Kościół", "photograph", "1920"],
        ["MOK-D-2", "Rynek", "photograph", "1930"],
        *[[f"MOK-D-{n}", f"Wiersz {n}", "photograph", ""] for n in range(3, 1203)],
        [" mok-d-1 ", "Kościół jeszcze raz", "photograph", "1921"],
    ]
    if kind == "csv":
        path = write_csv(
            folder / "k.csv", rows, header=["identifier", "title", "item_type", "date"]
        )
    else:
        path = _xlsx(folder / "k.xlsx", rows)
    code, out, err = run_import(path)
    assert code != 0
    assert "line 1204, column identifier: “mok-d-1” is already on line 2" in err
    assert not Item.objects.exists()
    # The dry run (the admin's preview underneath) reports it the same way.
    result = CatalogueImport(path).validate()
    assert [(e.line, e.column) for e in result.errors] == [(1204, "identifier")]
    assert "line 2" in result.errors[0].message
