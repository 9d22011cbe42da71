"""export_archive / import_archive: a lossless full backup, restored all or nothing."""

import datetime
import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path, PurePosixPath

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from archive.backup import CHECKSUMS, MANIFEST, backed_up_models
from archive.models import Agent, Item, ItemCreator, Licence, NamedPeriod, Place, Status, Subject
from curation.models import Collection
from media import derivatives
from media.models import MediaFile
from search.models import OutboxEntry
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

CAPTIONS = "WEBVTT\n\n00:00.000 --> 00:02.000\nDzwony kościoła św. Jana\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def build_catalogue() -> None:
    """Every kind of record and relation a backup must carry, with awkward values."""
    churches = SubjectFactory(name="Kościoły", name_en="Churches", slug="koscioly")
    war = SubjectFactory(name="II wojna światowa", slug="ii-wojna-swiatowa")
    town = PlaceFactory(
        name="Mszczonów",
        slug="mszczonow",
        latitude=Decimal("51.974321"),
        longitude=Decimal("20.521987"),
    )
    PlaceFactory(name="Osuchów", slug="osuchow")
    kowalski = AgentFactory(
        name="Jan Kowalski", slug="jan-kowalski", dates="1890–1960", biography="Fotograf."
    )
    mok = AgentFactory(name="MOK", slug="mok", kind=Agent.Kind.ORGANISATION)

    church = ItemFactory(
        identifier="MOK-F-0001",
        title='Kościół św. Jana, widok "od rynku"',
        title_en="St John's Church",
        date="1920~",
        description="Linia pierwsza,\nlinia druga; **pogrubienie** ☃ \u2028 koniec.",
        licence=Licence.objects.get(code="CC-BY-4.0"),
        rights_holder="MOK",
        source="Album rodziny Nowaków",
        status=Status.PUBLISHED,
    )
    church.subjects.add(churches, war)
    church.places.add(town)
    ItemCreator.objects.create(
        item=church, agent=kowalski, role=ItemCreator.Role.PHOTOGRAPHER, order=0
    )
    ItemCreator.objects.create(item=church, agent=mok, role=ItemCreator.Role.PUBLISHER, order=1)
    draft = ItemFactory(
        identifier="MOK-D-0002", title="Szkic: rynek", date="193X", status=Status.DRAFT
    )
    draft.subjects.add(churches)
    ItemCreator.objects.create(item=draft, agent=kowalski, role=ItemCreator.Role.DEPICTED)
    church.related_items.add(draft)

    MediaFileFactory(item=church, alt_text="Kościół od strony rynku", caption="Widok", order=0)
    MediaFileFactory(
        item=church,
        file=ContentFile(image_bytes(80, 60, "PNG", "navy"), name="plan.png"),
        alt_text="Plan",
        alt_text_en="Plan",
        long_description="Plan kościoła z 1920 roku.",
        captions=ContentFile(CAPTIONS.encode(), name="napisy.vtt"),
        order=1,
    )
    MediaFileFactory(item=draft, alt_text="", order=0)

    parent = CollectionFactory(title="Zdjęcia dawne", slug="zdjecia-dawne", cover_item=church)
    child = CollectionFactory(title="Kościoły Mszczonowa", slug="koscioly-mszczonowa")
    child.parent = parent
    child.order = 2
    child.save()
    CollectionItemFactory(collection=parent, item=church, order=5)
    CollectionItemFactory(collection=child, item=draft, order=0)
    CollectionItemFactory(collection=child, item=church, order=1)

    # Timestamps that an ordinary save would overwrite (auto_now, auto_now_add).
    old = datetime.datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)
    Item.objects.filter(pk=church.pk).update(
        created=old, modified=old + datetime.timedelta(days=1), published_at=old
    )
    Collection.objects.filter(pk=parent.pk).update(created=old, modified=old)
    MediaFile.objects.filter(item=draft).update(created=old)


def snapshot() -> dict[str, list[dict]]:
    """Every backed-up row, every concrete field, by primary key."""
    return {
        model._meta.label_lower: list(
            model._default_manager.order_by("pk").values(
                *[f.attname for f in model._meta.concrete_fields]
            )
        )
        for model in backed_up_models()
    }


def stored_files() -> dict[str, bytes]:
    files = {}
    for media in MediaFile.objects.all():
        for fieldfile in (media.file, media.captions):
            if fieldfile:
                with default_storage.open(fieldfile.name, "rb") as handle:
                    files[fieldfile.name] = handle.read()
    return files


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def empty_database(media_root: Path) -> None:
    """What a fresh, migrated database and an empty media folder hold: licences and named
    periods only."""
    with connection.cursor() as cursor:
        for model in reversed(backed_up_models()):
            if model not in (Licence, NamedPeriod):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    OutboxEntry.objects.all().delete()
    shutil.rmtree(media_root, ignore_errors=True)


def export(directory: Path) -> Path:
    call_command("export_archive", str(directory), verbosity=0)
    return directory


def restore(directory: Path) -> None:
    """Restore as the command does outside a test: the media files are moved into the
    storage when the transaction commits (here the test's own transaction stays open)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("import_archive", str(directory), verbosity=0)


def restore_fails(directory: Path) -> str:
    with pytest.raises(CommandError) as caught:
        restore(directory)
    assert caught.value.returncode == 1
    return str(caught.value)


def jsonl(path: Path) -> list[str]:
    """The lines of a JSON Lines file (str.splitlines would also split at U+2028)."""
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def rewrite(directory: Path, name: str, content: bytes) -> None:
    """Change a file and its checksums consistently, as if the backup had been made so."""
    (directory / name).write_bytes(content)
    sums = directory / CHECKSUMS
    lines = []
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, listed = line.split("  ", 1)
        if listed == name:
            digest = hashlib.sha256(content).hexdigest()
        lines.append(f"{digest}  {listed}")
    sums.write_text("\n".join(lines) + "\n")
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    manifest["checksums"]["sha256"] = hashlib.sha256(sums.read_bytes()).hexdigest()
    (directory / MANIFEST).write_text(json.dumps(manifest))


def set_count(directory: Path, label: str, count: int) -> None:
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    manifest["records"][label]["count"] = count
    (directory / MANIFEST).write_text(json.dumps(manifest))


@pytest.fixture
def backup(tmp_path, media_root):
    """A catalogue, its backup, and then an empty database to restore it into."""
    build_catalogue()
    before = snapshot(), stored_files()
    directory = export(tmp_path / "kopia")
    empty_database(media_root)
    return directory, before


def assert_nothing_written(media_root: Path) -> None:
    assert not Item.objects.exists()
    assert not Subject.objects.exists()
    assert not MediaFile.objects.exists()
    assert not Collection.objects.exists()
    assert files_under(media_root) == []


# The round trip ----------------------------------------------------------------------------


def test_round_trip_restores_every_field_relation_and_file(backup):
    directory, (rows_before, files_before) = backup
    assert not Item.objects.exists()
    # The licences `migrate` seeds are not content: the backed-up ones replace them.
    Licence.objects.filter(code="PDM").update(name="zmieniona")
    Licence.objects.create(code="X-1", name="Nieużywana")
    # So are the named periods: an edit made since is replaced by the backed-up period.
    NamedPeriod.objects.filter(name="PRL").update(date="1952/1989")

    restore(directory)
    assert NamedPeriod.objects.get(name="PRL").date == "1944-07/1989-12"

    assert snapshot() == rows_before
    assert stored_files() == files_before
    for media in MediaFile.objects.all():
        with media.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == media.checksum


def test_round_trip_keeps_timestamps_status_and_relations(backup):
    directory, _before = backup
    restore(directory)

    church = Item.objects.get(identifier="MOK-F-0001")
    old = datetime.datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)
    assert church.created == old
    assert church.modified == old + datetime.timedelta(days=1)
    assert church.published_at == old
    assert church.status == Status.PUBLISHED
    assert Item.objects.get(identifier="MOK-D-0002").status == Status.DRAFT
    assert Item.objects.get(identifier="MOK-D-0002").published_at is None
    assert church.licence.code == "CC-BY-4.0"
    assert sorted(s.name for s in church.subjects.all()) == ["II wojna światowa", "Kościoły"]
    assert [(c.agent.name, c.role) for c in church.item_creators.all()] == [
        ("Jan Kowalski", "photographer"),
        ("MOK", "publisher"),
    ]
    assert [i.identifier for i in church.related_items.all()] == ["MOK-D-0002"]
    assert [i.identifier for i in Item.objects.get(identifier="MOK-D-0002").related_items.all()]
    child = Collection.objects.get(slug="koscioly-mszczonowa")
    assert child.parent.slug == "zdjecia-dawne"
    assert child.parent.cover_item == church
    assert [m.item.identifier for m in child.memberships.all()] == ["MOK-D-0002", "MOK-F-0001"]
    assert Place.objects.get(slug="mszczonow").latitude == Decimal("51.974321")
    plan = MediaFile.objects.get(original_name="plan.png")
    with plan.captions.open("rb") as handle:
        assert handle.read().decode() == CAPTIONS


def test_restored_items_are_queued_for_search_and_new_rows_get_new_keys(backup):
    directory, _before = backup
    call_command("import_archive", str(directory), verbosity=0)  # the commit never comes

    queued = set(OutboxEntry.objects.values_list("item_id", flat=True))
    assert queued == set(Item.objects.values_list("pk", flat=True))
    newest = Item.objects.order_by("-pk").first().pk
    assert ItemFactory(identifier="MOK-F-0099").pk > newest


def test_restored_images_get_their_derivatives_again(backup, django_capture_on_commit_callbacks):
    directory, _before = backup
    with django_capture_on_commit_callbacks() as after_commit:
        call_command("import_archive", str(directory), verbosity=0)
    # Run what the restore scheduled for the media (files into place, then derivatives);
    # the search drain is tested in search/.
    scheduled = [c for c in after_commit if "ArchiveRestore" in getattr(c, "__qualname__", "")]
    assert [c.__name__ for c in scheduled] == ["_place_staged_files", "_enqueue_derivatives"]
    for callback in scheduled:
        callback()

    for media in MediaFile.objects.filter(kind=MediaFile.Kind.IMAGE):
        names = [
            d.name for d in derivatives.derivatives_for(media.checksum, media.width, media.height)
        ]
        assert names
        assert all(default_storage.exists(name) for name in names)


def test_backup_folder_is_self_describing(backup):
    directory, (rows_before, _files) = backup
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == "kronika-archive"
    assert manifest["format_version"] == 1
    assert manifest["counts"]["archive.item"] == 2
    assert manifest["counts"]["media.mediafile"] == 3
    assert manifest["media"]["files"] == 4  # three originals and one caption file
    assert "created" in manifest and "kronika_version" in manifest
    # SHA256SUMS is in `sha256sum -c` format and covers every file of the backup.
    listed = {}
    for line in (directory / CHECKSUMS).read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    on_disk = {
        p.relative_to(directory).as_posix()
        for p in files_under(directory)
        if p.name not in (MANIFEST, CHECKSUMS)
    }
    assert set(listed) == on_disk
    for name, digest in listed.items():
        assert hashlib.sha256((directory / name).read_bytes()).hexdigest() == digest
    lines = jsonl(directory / "records/archive.item.jsonl")
    assert len(lines) == 2
    assert json.loads(lines[0])["identifier"] in {"MOK-F-0001", "MOK-D-0002"}


def test_round_trip_of_the_demo_catalogue(tmp_path, media_root):
    call_command("load_demo", verbosity=0)
    rows_before, files_before = snapshot(), stored_files()
    directory = export(tmp_path / "demo")
    empty_database(media_root)

    restore(directory)

    assert snapshot() == rows_before
    assert stored_files() == files_before
    assert Item.objects.published().count() == len(
        [r for r in rows_before["archive.item"] if r["status"] == Status.PUBLISHED]
    )


# Refusals: nothing is written --------------------------------------------------------------


def test_refuses_a_database_that_is_not_empty(tmp_path, media_root):
    build_catalogue()
    rows_before = snapshot()
    directory = export(tmp_path / "kopia")

    message = restore_fails(directory)

    assert "empty database" in message
    assert snapshot() == rows_before


def test_refuses_a_missing_folder(tmp_path, media_root):
    message = restore_fails(tmp_path / "nie-ma")
    assert "does not exist" in message and "nie-ma" in message


def test_refuses_a_folder_without_manifest(backup, media_root):
    directory, _before = backup
    (directory / MANIFEST).unlink()
    assert "manifest.json is missing" in restore_fails(directory)
    assert_nothing_written(media_root)


def test_refuses_a_corrupt_manifest(backup, media_root):
    directory, _before = backup
    (directory / MANIFEST).write_text('{"format": "kronika-archive", ')
    message = restore_fails(directory)
    assert "manifest.json is damaged" in message
    assert_nothing_written(media_root)


def test_refuses_another_format_version(backup, media_root):
    directory, _before = backup
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    manifest["format_version"] = 99
    (directory / MANIFEST).write_text(json.dumps(manifest))
    assert "format version 99" in restore_fails(directory)
    assert_nothing_written(media_root)


def test_refuses_a_media_file_whose_checksum_differs(backup, media_root):
    directory, _before = backup
    damaged = files_under(directory / "media")[0]
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"\x00")
    message = restore_fails(directory)
    assert "checksum" in message and damaged.name in message
    assert_nothing_written(media_root)


def test_refuses_a_record_file_whose_checksum_differs(backup, media_root):
    directory, _before = backup
    records = directory / "records/archive.item.jsonl"
    records.write_text(
        records.read_text(encoding="utf-8").replace("Kościół", "Kosciol"), encoding="utf-8"
    )
    message = restore_fails(directory)
    assert "checksum" in message and "archive.item.jsonl" in message
    assert_nothing_written(media_root)


def test_refuses_a_missing_media_file(backup, media_root):
    directory, _before = backup
    missing = files_under(directory / "media/originals")[0]
    missing.unlink()
    message = restore_fails(directory)
    assert "missing" in message and missing.name in message
    assert_nothing_written(media_root)


def test_refuses_a_record_naming_a_file_not_in_the_backup(backup, media_root):
    directory, _before = backup
    name = "records/media.mediafile.jsonl"
    lines = jsonl(directory / name)
    record = json.loads(lines[1])
    record["file"] = "originals/zz/nie-ma.jpg"
    lines[1] = json.dumps(record)
    rewrite(directory, name, ("\n".join(lines) + "\n").encode())
    message = restore_fails(directory)
    assert "media.mediafile.jsonl, line 2" in message and "nie-ma.jpg" in message
    assert_nothing_written(media_root)


def test_refuses_a_malformed_json_line_naming_file_and_line(backup, media_root):
    directory, _before = backup
    name = "records/archive.item.jsonl"
    lines = jsonl(directory / name)
    lines[1] = lines[1][:-5]
    rewrite(directory, name, ("\n".join(lines) + "\n").encode())
    message = restore_fails(directory)
    assert "archive.item.jsonl, line 2: not valid JSON" in message
    assert_nothing_written(media_root)


def test_refuses_unknown_fields_and_bad_values(backup, media_root):
    directory, _before = backup
    name = "records/archive.item.jsonl"
    original = jsonl(directory / name)
    record = json.loads(original[0])
    record["colour"] = "red"
    rewrite(directory, name, (json.dumps(record) + "\n" + original[1] + "\n").encode())
    assert "line 1: unknown fields colour" in restore_fails(directory)

    record = json.loads(original[0])
    record["created"] = "wczoraj"
    rewrite(directory, name, (json.dumps(record) + "\n" + original[1] + "\n").encode())
    message = restore_fails(directory)
    assert "archive.item.jsonl, line 1, field created" in message
    assert_nothing_written(media_root)


def test_a_backup_without_a_newer_field_restores_it_with_its_default(backup):
    directory, (rows_before, _files) = backup
    name = "records/media.mediafile.jsonl"
    lines = []
    for line in jsonl(directory / name):
        record = json.loads(line)
        del record["credit"]
        lines.append(json.dumps(record))
    rewrite(directory, name, ("\n".join(lines) + "\n").encode())

    restore(directory)

    assert MediaFile.objects.count() == 3
    assert set(MediaFile.objects.values_list("credit", flat=True)) == {""}
    assert snapshot()["archive.item"] == rows_before["archive.item"]


def test_refuses_a_count_that_differs_from_the_manifest(backup, media_root):
    directory, _before = backup
    set_count(directory, "archive.subject", 7)
    assert "the manifest says 7" in restore_fails(directory)
    assert_nothing_written(media_root)


def test_a_failure_while_writing_leaves_no_rows_and_no_files(backup, media_root):
    """Two media records with one primary key pass every check but fail on insert,
    after their files were copied: the copies go too."""
    directory, _before = backup
    name = "records/media.mediafile.jsonl"
    lines = jsonl(directory / name)
    rewrite(directory, name, ("\n".join([*lines, lines[-1]]) + "\n").encode())
    set_count(directory, "media.mediafile", len(lines) + 1)

    message = restore_fails(directory)

    assert "media.mediafile.jsonl could not be restored" in message
    assert_nothing_written(media_root)


def test_records_that_do_not_fit_together_are_refused(backup, media_root):
    directory, _before = backup
    name = "records/archive.itemcreator.jsonl"
    lines = jsonl(directory / name)
    record = json.loads(lines[0])
    record["agent_id"] = 999999
    lines[0] = json.dumps(record)
    rewrite(directory, name, ("\n".join(lines) + "\n").encode())
    assert "do not fit together" in restore_fails(directory)
    assert_nothing_written(media_root)


def test_refuses_a_different_file_already_in_the_media_storage(backup, media_root):
    directory, _before = backup
    name = files_under(directory / "media/originals")[0].relative_to(directory / "media")
    default_storage.save(name.as_posix(), ContentFile(b"inny plik"))
    assert "different file" in restore_fails(directory)
    assert not Item.objects.exists()


# Export ------------------------------------------------------------------------------------


def test_export_refuses_a_folder_that_is_not_empty(tmp_path):
    directory = tmp_path / "zajety"
    directory.mkdir()
    (directory / "notatka.txt").write_text("moje")
    with pytest.raises(CommandError) as caught:
        call_command("export_archive", str(directory), verbosity=0)
    assert caught.value.returncode == 1
    assert "not empty" in str(caught.value)
    assert [p.name for p in directory.iterdir()] == ["notatka.txt"]


def test_export_with_a_missing_original_fails_and_leaves_nothing(tmp_path, media_root):
    media = MediaFileFactory()
    default_storage.delete(media.file.name)
    directory = tmp_path / "kopia"
    with pytest.raises(CommandError) as caught:
        call_command("export_archive", str(directory), verbosity=0)
    assert caught.value.returncode == 1
    assert media.file.name in str(caught.value)
    assert not directory.exists()


def test_export_warns_about_an_original_that_changed_since_upload(tmp_path, media_root):
    media = MediaFileFactory()
    default_storage.delete(media.file.name)
    default_storage.save(media.file.name, ContentFile(image_bytes(color="red")))
    errors = io.StringIO()

    call_command("export_archive", str(tmp_path / "kopia"), verbosity=0, stderr=errors)

    assert media.file.name in errors.getvalue()
    assert "no longer matches the checksum" in errors.getvalue()
    assert (tmp_path / "kopia" / MANIFEST).exists()


def test_export_of_an_empty_catalogue_restores_to_an_empty_catalogue(tmp_path, media_root):
    directory = export(tmp_path / "pusta")
    restore(directory)
    assert not Item.objects.exists()
    assert Licence.objects.filter(code="InC").exists()


def test_export_streams_without_a_query_per_row(tmp_path, media_root):
    """Rows are read in chunks: ten times the catalogue costs no more queries."""

    def queries_to_export(directory: Path) -> int:
        with CaptureQueriesContext(connection) as captured:
            export(directory)
        return len(captured)

    for _n in range(3):
        item = ItemFactory()
        item.subjects.add(SubjectFactory())
        MediaFileFactory(item=item)
    few = queries_to_export(tmp_path / "mala")
    for _n in range(27):
        item = ItemFactory()
        item.subjects.add(SubjectFactory())
        MediaFileFactory(item=item)
    assert queries_to_export(tmp_path / "duza") == few


def test_commands_explain_themselves():
    for name in ("export_archive", "import_archive"):
        command = load_command_class("archive", name)
        text = command.create_parser("manage.py", name).format_help()
        assert "DIR" in text and "backup" in text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_neither_waits_for_nor_blocks_another_writer(
    database, tmp_path, run_together, short_busy_timeout, another_writer_holds
):
    from archive.backup import export_archive

    item = ItemFactory(identifier="MOK-F-0001", rights_holder="MOK")
    with another_writer_holds(item):
        (result,) = run_together(lambda: export_archive(tmp_path / "kopia"))

    assert result.counts["archive.item"] == 1
    lines = (tmp_path / "kopia" / "records" / "archive.item.jsonl").read_text().splitlines()
    # The committed version, not the other writer's unfinished change.
    assert json.loads(lines[0])["rights_holder"] == "MOK"


# A restore that dies -----------------------------------------------------------------------

PROJECT = Path(__file__).resolve().parents[2]
# Runs import_archive and stops it just before its commit, every row inserted and every file
# copied, and says so in a file: the point where a SIGKILL hurts most.
PAUSED_IMPORT = """
import sys, time
import django
django.setup()
from django.core.management import call_command
from archive import backup

def pause(self):
    open(sys.argv[1], "w").close()
    time.sleep(300)

backup.ArchiveRestore._reset_sequences = pause
call_command("import_archive", sys.argv[2], verbosity=0)
"""


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


def test_a_restore_killed_before_its_commit_leaves_no_files_and_the_next_run_succeeds(
    tmp_path, media_root
):
    build_catalogue()
    directory = export(tmp_path / "kopia")
    originals = {
        p.relative_to(directory / "media").as_posix()
        for p in files_under(directory / "media/originals")
    }
    assert len(originals) >= 2
    target_media = tmp_path / "restored-media"
    database = tmp_path / "restored.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(target_media),
        "SEARCH_BACKEND": "sqlite",
    }
    assert manage(env, "migrate", "-v0").returncode == 0

    ready = tmp_path / "paused"
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_IMPORT, str(ready), str(directory)],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ready.exists(), process.stderr.read() if process.poll() is not None else "slow"
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    # The files were copied, but only into staging; nothing sits where originals live.
    assert files_under(target_media / "originals") == []
    staged = files_under(target_media / ".import-staging")
    assert {p.name for p in staged} >= {PurePosixPath(n).name for n in originals}
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM archive_item").fetchone() == (0,)

    result = manage(env, "import_archive", str(directory), "-v0")
    assert result.returncode == 0, result.stderr
    assert not (target_media / ".import-staging").exists()
    restored = {p.relative_to(target_media).as_posix() for p in files_under(target_media)}
    assert originals <= restored
    for name in originals:
        content = (target_media / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() in name
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM archive_item").fetchone() == (2,)


def test_the_next_restore_finishes_a_committed_restore_and_clears_an_uncommitted_one(
    backup, media_root
):
    """A restore that died after its commit left its files in staging: they belong to
    committed rows and are moved into place. Files no row names are removed."""
    directory, _before = backup
    call_command("import_archive", str(directory), verbosity=0)  # rows only: no commit here
    media = MediaFile.objects.order_by("pk").first()
    name = media.file.name
    dead = media_root / ".import-staging" / "dead-restore"
    for staged_name, content in ((name, b"committed"), ("originals/zz/stray.jpg", b"stray")):
        (dead / staged_name).parent.mkdir(parents=True, exist_ok=True)
        (dead / staged_name).write_bytes(content)
    (dead / ".lock").touch()

    assert "empty database" in restore_fails(directory)

    assert (media_root / name).read_bytes() == b"committed"
    assert not (media_root / "originals/zz/stray.jpg").exists()
    assert not dead.exists()


def test_a_running_restore_s_staging_is_left_alone(media_root):
    from archive.backup import StagingFolder, recover_staging

    running = StagingFolder()
    (running.path / "originals").mkdir()
    (running.path / "originals" / "a.jpg").write_bytes(b"in progress")
    try:
        assert recover_staging() == (0, 0)
        assert (running.path / "originals" / "a.jpg").exists()
    finally:
        running.remove()
    assert not (media_root / ".import-staging").exists()
