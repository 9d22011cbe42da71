"""Probable duplicates: normalised titles, overlapping dates, the same image; one record or
many at once; the admin's warning after a save."""

import re

import pytest
from django.core.management import call_command
from django.utils import translation

from archive.duplicates import (
    Candidate,
    dates_overlap,
    fill_normalised_titles,
    normalise_title,
    probable_duplicates,
    probable_duplicates_many,
)
from archive.models import Item, Licence, Status
from tests.factories import ItemFactory, MediaFileFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "variant",
    [
        "Kościół św. Jana",
        "KOŚCIÓŁ ŚW. JANA",
        "Kosciol sw Jana",
        "kościół  św.  jana ",
        "Kościół św. Jana.",
        "Kościół – św. Jana",
        "„Kościół św. Jana”",
        "Kościół\u00a0św.\tJana",
        "Kościół św. Jana",  # ó as o + combining acute (NFD)
    ],
)
def test_title_variants_normalise_alike(variant):
    assert normalise_title(variant) == "kosciol sw jana"


def test_l_with_stroke_and_different_words_stay_apart():
    assert normalise_title("Łódź, ul. Piotrkowska") == "lodz ul piotrkowska"
    assert normalise_title("Kościół św. Jana") != normalise_title("Kościół św. Anny")


@pytest.mark.parametrize(
    ("one", "other", "overlap"),
    [
        ((1920, 1920), (1920, 1920), True),
        ((1920, 1929), (1925, 1935), True),
        ((1920, 1929), (1930, 1939), False),
        ((None, None), (1930, 1939), True),  # undated overlaps anything
        ((1930, 1939), (None, None), True),
        ((None, 1939), (1920, 1920), True),  # open start: "przed 1939"
        ((None, 1939), (1945, 1945), False),
        ((1945, None), (1950, 1950), True),  # open end: "po 1945"
        ((1945, None), (1939, 1939), False),
    ],
)
def test_dates_overlap(one, other, overlap):
    assert dates_overlap(*one, *other) is overlap


def test_same_title_with_overlapping_date_is_a_probable_duplicate():
    stored = ItemFactory(title="Rynek w Mszczonowie", date="1925")
    ItemFactory(title="Rynek w Mszczonowie", date="1960")  # same title, another time
    ItemFactory(title="Rynek w Grodzisku", date="1925")
    found = probable_duplicates("RYNEK w Mszczonowie.", 1920, 1929)
    assert [d.identifier for d in found] == [stored.identifier]
    assert found[0].same_title and not found[0].same_image


def test_undated_item_matches_any_date_of_the_same_title():
    undated = ItemFactory(title="Rynek", date="")
    assert [d.pk for d in probable_duplicates("Rynek", 1920, 1920)] == [undated.pk]


def test_same_image_checksum_is_a_probable_duplicate_whatever_the_title():
    media = MediaFileFactory(item=ItemFactory(title="Zupełnie inny tytuł", date="1990"))
    found = probable_duplicates("Rynek", 1920, 1920, checksums=[media.checksum])
    assert [d.pk for d in found] == [media.item_id]
    assert found[0].same_image and not found[0].same_title


def test_an_item_is_not_its_own_duplicate():
    item = ItemFactory(title="Rynek", date="1920")
    media = MediaFileFactory(item=item)
    assert probable_duplicates("Rynek", 1920, 1920, [media.checksum], exclude_pk=item.pk) == []


def test_batched_variant_answers_each_row_in_a_bounded_number_of_queries(
    django_assert_max_num_queries,
):
    stored = [ItemFactory(title=f"Zdjęcie nr {n}", date="1930") for n in range(20)]
    media = MediaFileFactory(item=stored[3])
    rows = [Candidate(n, f"ZDJĘCIE NR {n}", 1930, 1930) for n in range(1200)]
    rows.append(Candidate("image", "Coś innego", None, None, [media.checksum]))
    rows.append(Candidate("self", "Zdjęcie nr 5", 1930, 1930, exclude_pk=stored[5].pk))
    # 1201 distinct titles: three chunks of 500; one checksum: one query.
    with django_assert_max_num_queries(4):
        found = probable_duplicates_many(rows)
    assert set(found) == {*range(20), "image"}
    assert [d.pk for d in found[7]] == [stored[7].pk]
    assert [d.pk for d in found["image"]] == [stored[3].pk]


def test_single_and_batched_variants_agree():
    ItemFactory(title="Synagoga", date="193X")
    ItemFactory(title="Synagoga", date="")
    ItemFactory(title="Synagoga", date="1950")
    one = probable_duplicates("synagoga", 1935, 1936)
    many = probable_duplicates_many([Candidate("x", "synagoga", 1935, 1936)])["x"]
    assert [d.pk for d in one] == [d.pk for d in many] and len(one) == 2


def test_normalised_title_is_kept_by_save_by_the_importer_and_can_be_refilled(tmp_path):
    item = ItemFactory(title="Kościół")
    assert item.normalised_title == "kosciol"
    item.title = "Kościół farny"
    item.save(update_fields=["title"])
    item.refresh_from_db()
    assert item.normalised_title == "kosciol farny"

    csv = tmp_path / "k.csv"
    csv.write_text(
        f"identifier,title,item_type\n{item.identifier},Cmentarz Żydowski,photograph\n"
        "MOK-D-1,Ratusz – widok,photograph\n",
        encoding="utf-8",
    )
    call_command("import_catalogue", str(csv), verbosity=0)
    titles = dict(Item.objects.values_list("identifier", "normalised_title"))
    assert titles == {item.identifier: "cmentarz zydowski", "MOK-D-1": "ratusz widok"}

    Item.objects.update(normalised_title="")
    assert fill_normalised_titles(Item.objects.all()) == 2
    assert Item.objects.get(identifier="MOK-D-1").normalised_title == "ratusz widok"


# --- the admin's warning -------------------------------------------------------------------


def item_form(**fields) -> dict:
    data = {
        "identifier": "MOK-F-0200",
        "title": "Rynek w Mszczonowie",
        "title_en": "",
        "item_type": "photograph",
        "description": "",
        "description_en": "",
        "date": "1925",
        "licence": str(Licence.objects.get(code="InC").pk),
        "rights_holder": "",
        "source": "",
        "status": Status.DRAFT,
        "_save": "Save",
    }
    for prefix in ("item_creators", "media_files", "memberships"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(fields)
    return data


def add_url() -> str:
    from django.urls import reverse

    with translation.override("en"):
        return reverse("admin:archive_item_add")


def test_admin_warns_about_probable_duplicates_after_saving(archivist_client):
    stored = ItemFactory(identifier="MOK-F-0001", title="Rynek w Mszczonowie", date="192X")
    response = archivist_client.post(add_url(), item_form(), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert Item.objects.filter(identifier="MOK-F-0200").exists()  # saved all the same
    warning = re.search(r'<li class="warning">(.*?)</li>', page, re.S).group(1)
    assert "may be a duplicate" in warning
    assert f'/admin/archive/item/{stored.pk}/change/"' in warning
    assert "MOK-F-0001: Rynek w Mszczonowie" in warning and "same title and date" in warning


def test_admin_says_nothing_when_there_is_no_duplicate(archivist_client):
    ItemFactory(title="Rynek w Mszczonowie", date="1960")
    response = archivist_client.post(add_url(), item_form(), follow=True)
    assert response.status_code == 200
    assert "may be a duplicate" not in response.content.decode()


def test_admin_warning_escapes_titles(archivist_client):
    ItemFactory(title="<b>Rynek</b>", date="1925")
    response = archivist_client.post(add_url(), item_form(title="<b>Rynek</b>"), follow=True)
    page = response.content.decode()
    assert "may be a duplicate" in page and "&lt;b&gt;Rynek&lt;/b&gt;" in page
