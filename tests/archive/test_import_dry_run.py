"""A dry run checks everything the import checks (issue 15, 5): it runs the real write and
rolls it back, so whatever the write refuses, the dry run reports, by line, never with a
traceback."""

import csv
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from archive.models import Item, Subject
from curation.models import Collection
from media.models import MediaFile
from tests.archive.commands import run_import
from tests.factories import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def catalogue_file(tmp_path: Path, titles: list[str]) -> Path:
    (tmp_path / "rynek.jpg").write_bytes(image_bytes())
    path = tmp_path / "katalog.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["identifier", "title", "item_type", "subjects", "image", "alt_text"])
        for number, title in enumerate(titles, start=1):
            writer.writerow(
                [f"MOK-R-{number:04d}", title, "photograph", "Nowy temat", "rynek.jpg", "Rynek"]
            )
    return path


@pytest.fixture
def database_refuses_a_title():
    """A rule only the database knows (a trigger), which no check of the importer foresees."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER refuse_title BEFORE INSERT ON archive_item "
                "WHEN NEW.title = 'Zakazany' BEGIN SELECT RAISE(ABORT, 'trigger-says-no'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_title() RETURNS trigger AS $$ BEGIN "
                "IF NEW.title = 'Zakazany' THEN RAISE EXCEPTION 'trigger-says-no'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_title BEFORE INSERT ON archive_item "
                "FOR EACH ROW EXECUTE FUNCTION refuse_title()"
            )


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "import"])
def test_a_refusal_of_the_write_is_reported_by_line_in_both(
    tmp_path, media_root, database_refuses_a_title, dry_run
):
    path = catalogue_file(tmp_path, ["Rynek", "Zakazany"])
    code, err = run_import(path, *(["--dry-run"] if dry_run else []))
    assert code == 1
    assert "line 2: The rows on lines 2–3 could not be written" in err, err
    assert "Traceback" not in err and "trigger-says-no" not in err  # no database wording
    assert not Item.objects.exists() and not Subject.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_dry_run_writes_nothing_and_counts_what_the_import_would_do(tmp_path, media_root):
    path = catalogue_file(tmp_path, ["Rynek", "Ratusz"])
    code, out = run_import(path, "--dry-run")
    assert code == 0
    assert "all 2 rows are valid (2 would be created, 0 updated)" in out
    assert not Item.objects.exists() and not Subject.objects.exists()
    assert not Collection.objects.exists() and not MediaFile.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]
    # and the real import, after it, writes what the dry run promised
    code, out = run_import(path)
    assert code == 0 and Item.objects.count() == 2 and Subject.objects.count() == 1
