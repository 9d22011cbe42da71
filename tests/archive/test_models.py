import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from archive.models import Item, Licence, Place, Status, Subject
from curation.models import Collection
from tests.factories import CollectionFactory, ItemFactory, MediaFileFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("date", "start", "end"),
    [
        ("1377", 1377, 1377),
        ("1920~", 1919, 1921),
        ("193X", 1930, 1939),
        ("1942/1945", 1942, 1945),
        ("1939?", 1938, 1940),
        ("18XX", 1800, 1899),
        ("1905-05-03", 1905, 1905),
        ("1942/..", 1942, None),
        ("", None, None),
    ],
)
def test_edtf_date_sets_year_interval(date, start, end):
    item = ItemFactory.build(date=date)
    item.full_clean()
    assert (item.date_start, item.date_end) == (start, end)


@pytest.mark.parametrize("date", ["19x5", "2099-13-01", "abc", "1945/1942", "1" * 80])
def test_invalid_edtf_date_is_rejected_with_clear_message(date):
    item = ItemFactory.build(date=date)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert "date" in excinfo.value.message_dict
    # The message says what is wrong (not EDTF nor a phrase, a month that does not exist,
    # ends before it starts, too long).
    message = " ".join(excinfo.value.message_dict["date"])
    assert any(reason in message for reason in ("EDTF", "ends before", "no month", "longer")), (
        message
    )


def test_save_derives_dates_even_without_full_clean():
    item = ItemFactory(date="193X")
    item.refresh_from_db()
    assert (item.date_start, item.date_end) == (1930, 1939)


def test_new_item_defaults_to_in_copyright_licence():
    item = ItemFactory()
    assert item.licence.code == "InC"
    assert set(Licence.objects.values_list("code", flat=True)) == {
        "CC0-1.0",
        "CC-BY-4.0",
        "CC-BY-SA-4.0",
        "CC-BY-NC-4.0",
        "PDM",
        "InC",
    }


@pytest.mark.parametrize("identifier", ["MOK F 1", "../etc", "MOK/1", "", "ąę-1"])
def test_identifier_must_be_url_safe(identifier):
    item = ItemFactory.build(identifier=identifier)
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert "identifier" in excinfo.value.message_dict


def test_publish_refuses_image_without_alt_text():
    item = ItemFactory(status=Status.DRAFT)
    MediaFileFactory(item=item, alt_text="", original_name="kosciol.jpg")
    with pytest.raises(ValidationError) as excinfo:
        item.publish()
    assert "kosciol.jpg" in str(excinfo.value)
    item.refresh_from_db()
    assert item.status == Status.DRAFT
    assert item.published_at is None


def test_publish_succeeds_when_every_image_has_alt_text():
    item = ItemFactory(status=Status.DRAFT)
    MediaFileFactory(item=item, alt_text="Kościół parafialny od strony rynku")
    item.publish()
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert item.published_at is not None


def test_publish_refuses_alt_text_that_only_names_the_medium():
    item = ItemFactory(status=Status.DRAFT)
    MediaFileFactory(item=item, alt_text="Zdjęcie", original_name="rynek.jpg")
    with pytest.raises(ValidationError) as excinfo:
        item.publish()
    assert excinfo.value.error_dict["status"][0].code == "inaccessible"
    assert "rynek.jpg" in str(excinfo.value)
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def test_unpublish_clears_publication_time():
    item = ItemFactory(status=Status.PUBLISHED)
    item.unpublish()
    item.refresh_from_db()
    assert item.status == Status.DRAFT and item.published_at is None


def test_image_of_published_item_needs_alt_text():
    item = ItemFactory(status=Status.PUBLISHED)
    media = MediaFileFactory.build(item=item, alt_text="  ")
    with pytest.raises(ValidationError) as excinfo:
        media.full_clean()
    assert "alt_text" in excinfo.value.message_dict


def test_published_queryset_hides_drafts():
    published = ItemFactory(status=Status.PUBLISHED)
    ItemFactory(status=Status.DRAFT)
    assert list(Item.objects.published()) == [published]


def test_vocabulary_is_matched_by_slug_or_name_ignoring_case_and_diacritics():
    subject, created = Subject.objects.find_or_create("Kościoły")
    assert created and subject.slug == "koscioly"
    for text in ["koscioly", "KOŚCIOŁY", "  Kościoły ", "Koscioly"]:
        assert Subject.objects.find(text) == subject
    again, created = Subject.objects.find_or_create("kościoły")
    assert again == subject and not created


def test_place_needs_both_coordinates():
    place = Place(name="Osuchów", slug="osuchow", latitude=51.897778)
    with pytest.raises(ValidationError):
        place.full_clean()


def test_place_coordinates_must_be_in_range():
    place = Place(name="Nigdzie", slug="nigdzie", latitude=123, longitude=20)
    with pytest.raises(ValidationError) as excinfo:
        place.full_clean()
    assert "latitude" in excinfo.value.message_dict


def test_collection_cannot_contain_itself():
    parent = CollectionFactory()
    child = CollectionFactory(parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError) as excinfo:
        parent.full_clean()
    assert "parent" in excinfo.value.message_dict


def test_collection_slug_is_made_polish_aware_and_unique():
    first = Collection.objects.create(title="Dziedzictwo żydowskie")
    second = Collection.objects.create(title="Dziedzictwo Żydowskie")
    assert first.slug == "dziedzictwo-zydowskie"
    assert second.slug == "dziedzictwo-zydowskie-2"
    assert [c.title for c in first.ancestors()] == []


COMMON_DATES = [
    "1377", "0999", "1905-05", "1905-05-03", "2024-02-29", "1942/1945", "1800/1801",
    "1920~", "1920?", "1920%", "1920-05~", "1920-05-03?", "1000~", "0005%", "0001~",
    "193X", "193X~", "193X?", "193X%", "18XX", "18XX~", "18XX%", "00XX", "0X",
    "1944-21", "1944-22", "1944-23", "1944-24", "1944-25", "1944-21~",
    "1920~/1925?", "193X/194X", "1800/1849", "1890/1909", "1945-05/..", "../1939-09",
    "1939-09/1945-01", "1918-11/1939-09", "1791-05-03/1791-06-05", "1944-10/1944-12",
    "1944-12/1945-01", "../1939", "1945/..", "../1800", "1920~/1925~", "1918/1939?",
    "193X?/1945", "1920/1919", "1942/..", "../..", "/1939", "1939/", "1905-02-30~",
]  # fmt: skip


@pytest.mark.parametrize("date", COMMON_DATES)
def test_plain_dates_read_directly_agree_with_the_edtf_library(date):
    from archive.dates import _parse_edtf, parse_date

    def outcome(read):
        try:
            return read(date)
        except ValidationError as exc:
            return exc.messages

    with translation.override("en"):
        assert outcome(parse_date) == outcome(_parse_edtf.__wrapped__)


@pytest.mark.parametrize("date", ["1905-13", "1905-00-10", "1905-04-31"])
def test_impossible_plain_dates_are_rejected(date):
    from archive.dates import parse_date

    with translation.override("en"), pytest.raises(ValidationError, match="not a valid EDTF date"):
        parse_date(date)


# --- identifiers are unique ignoring case ------------------------------------------------


def test_identifier_differing_only_in_case_is_a_validation_error_on_identifier():
    ItemFactory(identifier="MOK-F-0001")
    twin = Item(identifier="mok-f-0001", title="Bliźniak", item_type="photograph")
    with pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert "identifier" in caught.value.message_dict


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_renames_existing_case_twins_and_keeps_the_oldest():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("archive", "0004_rename_identifier_case_twins")]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("archive", "0003_harvest_and_filter_indexes")])
    try:
        old_apps = executor.loader.project_state(before).apps
        old = old_apps.get_model("archive", "Item")
        inc = old_apps.get_model("archive", "Licence").objects.get(code="InC")
        for identifier in ("MOK-F-0001", "mok-f-0001", "Mok-F-0001", "MOK-F-0002"):
            old.objects.create(
                identifier=identifier, title=identifier, item_type="photograph", licence=inc
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)

    assert sorted(Item.objects.values_list("title", "identifier")) == [
        ("MOK-F-0001", "MOK-F-0001"),
        ("MOK-F-0002", "MOK-F-0002"),
        ("Mok-F-0001", "Mok-F-0001-dup3"),
        ("mok-f-0001", "mok-f-0001-dup2"),
    ]
