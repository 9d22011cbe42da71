"""Dates as archivists write them, on every channel: the admin form and its preview, the
CSV/XLSX import and export, the API and the item page all read a phrase the same way and
keep it beside the EDTF date."""

import csv
import io

import pytest
from django.core.management import call_command
from django.utils import translation
from rest_framework.test import APIClient

from archive.models import Item, Status
from tests.archive.test_admin import admin_url, item_post
from tests.archive.test_import import run_import, write_csv
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- the model -----------------------------------------------------------------------------


def test_saving_an_item_with_a_phrase_stores_edtf_and_the_phrase():
    item = ItemFactory(date="lata 30. XX w.")
    item.refresh_from_db()
    assert (item.date, item.date_as_written, item.date_start, item.date_end) == (
        "193X",
        "lata 30. XX w.",
        1930,
        1939,
    )


def test_changing_the_date_to_edtf_drops_the_old_phrase_and_other_edits_keep_it():
    item = ItemFactory(date="ok. 1920")
    item = Item.objects.get(pk=item.pk)
    item.title = "Nowy tytuł"
    item.full_clean()
    item.save()
    assert Item.objects.get(pk=item.pk).date_as_written == "ok. 1920"
    item = Item.objects.get(pk=item.pk)
    item.date = "1925"
    item.full_clean()
    item.save()
    assert Item.objects.values_list("date", "date_as_written").get(pk=item.pk) == ("1925", "")


def test_no_date_is_an_empty_date_with_its_phrase():
    item = ItemFactory(date="b.d.")
    assert (item.date, item.date_as_written, item.date_start) == ("", "b.d.", None)


# --- the admin -----------------------------------------------------------------------------


def test_admin_saves_a_phrase_as_edtf_and_keeps_it_as_written(archivist_client):
    response = archivist_client.post(
        admin_url("admin:archive_item_add"), item_post(date="I poł. XIX w.")
    )
    assert response.status_code == 302, response.content
    item = Item.objects.get(identifier="MOK-F-0100")
    assert (item.date, item.date_as_written, item.date_start, item.date_end) == (
        "1800/1849",
        "I poł. XIX w.",
        1800,
        1849,
    )


def test_admin_form_opens_with_the_phrase_and_says_how_it_was_read(archivist_client):
    item = ItemFactory(date="lata 30. XX w.")
    response = archivist_client.get(admin_url("admin:archive_item_change", item.pk))
    html = response.content.decode()
    assert 'name="date" value="lata 30. XX w."' in html
    assert 'aria-live="polite"' in html
    assert "Read as: 1930–1939" in html and "(EDTF: 193X)" in html
    # An unchanged phrase saves as it was.
    post = item_post(item, date="lata 30. XX w.")
    post["version"] = response.context["adminform"].form["version"].value()
    assert (
        archivist_client.post(admin_url("admin:archive_item_change", item.pk), post).status_code
        == 302
    )
    item.refresh_from_db()
    assert (item.date, item.date_as_written) == ("193X", "lata 30. XX w.")


def test_admin_refuses_an_unreadable_phrase_naming_the_part(archivist_client):
    response = archivist_client.post(
        admin_url("admin:archive_item_add"), item_post(date="ok. 1920 za króla Ćwieczka")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["date"]
    assert "Could not read “za króla Ćwieczka”" in errors[0]
    assert not Item.objects.exists()


def test_admin_refuses_an_impossible_date(archivist_client):
    response = archivist_client.post(
        admin_url("admin:archive_item_add"), item_post(date="30 lutego 1920")
    )
    assert "does not exist" in response.context["adminform"].form.errors["date"][0]


def test_date_preview_answers_how_a_phrase_is_read(archivist_client):
    url = admin_url("admin:archive_item_date_preview")
    data = archivist_client.get(url, {"q": "lata 30. XX w."}).json()
    assert data["ok"] is True
    assert (data["edtf"], data["years"], data["date_start"], data["date_end"]) == (
        "193X",
        "1930–1939",
        1930,
        1939,
    )
    assert data["message"].startswith("Read as: 1930–1939")
    bad = archivist_client.get(url, {"q": "32 maja 1920"}).json()
    assert bad["ok"] is False and "does not exist" in bad["message"]


def test_date_preview_is_for_staff_only(client, django_user_model):
    url = admin_url("admin:archive_item_date_preview")
    assert client.get(url, {"q": "1920"}).status_code == 302  # to the login page
    visitor = django_user_model.objects.create_user("gosc", password="haslo-123-abc")
    client.force_login(visitor)
    assert client.get(url, {"q": "1920"}).status_code == 302


def test_date_preview_refuses_staff_who_cannot_edit_items(client, django_user_model):
    clerk = django_user_model.objects.create_user("sekretarka", password="x-123-abc", is_staff=True)
    client.force_login(clerk)
    response = client.get(admin_url("admin:archive_item_date_preview"), {"q": "1920"})
    assert response.status_code == 403


def test_named_periods_are_edited_in_the_admin(archivist_client):
    response = archivist_client.get(admin_url("admin:archive_namedperiod_changelist"))
    assert response.status_code == 200
    assert "II wojna światowa" in response.content.decode()


# --- import and export ---------------------------------------------------------------------


def test_import_reads_phrases_and_keeps_them(tmp_path):
    path = write_csv(
        tmp_path / "k.csv",
        [
            ["MOK-1", "Rynek", "photograph", "ok. 1920", "", "", ""],
            ["MOK-2", "Kościół", "photograph", "przełom XIX i XX w.", "", "", ""],
            ["MOK-3", "List", "document", "b.d.", "", "", ""],
            ["MOK-4", "Mapa", "map", "1920~", "", "", ""],
        ],
    )
    assert run_import(path)[0] == 0
    rows = dict(
        (identifier, rest)
        for identifier, *rest in Item.objects.values_list(
            "identifier", "date", "date_as_written", "date_start", "date_end"
        )
    )
    assert rows == {
        "MOK-1": ["1920~", "ok. 1920", 1919, 1921],
        "MOK-2": ["1890/1909", "przełom XIX i XX w.", 1890, 1909],
        "MOK-3": ["", "b.d.", None, None],
        "MOK-4": ["1920~", "", 1919, 1921],
    }


def test_import_reports_a_bad_phrase_with_line_and_column(tmp_path):
    path = write_csv(
        tmp_path / "k.csv",
        [
            ["MOK-1", "Rynek", "photograph", "ok. 1920", "", "", ""],
            ["MOK-2", "Kościół", "photograph", "32 maja 1920", "", "", ""],
        ],
    )
    code, _out, err = run_import(path)
    assert code == 1
    assert "line 3, column date: The day 32.05.1920 does not exist." in err
    assert not Item.objects.exists()


def test_import_refuses_a_date_as_written_that_reads_as_another_date(tmp_path):
    header = ["identifier", "title", "item_type", "date", "date_as_written"]
    path = write_csv(
        tmp_path / "k.csv", [["MOK-1", "Rynek", "photograph", "1925", "ok. 1920"]], header
    )
    code, _out, err = run_import(path)
    assert code == 1
    assert "line 2, column date_as_written:" in err and "reads as 1920~" in err


def test_reimporting_edtf_without_the_phrase_column_keeps_the_phrase_of_an_unchanged_date(tmp_path):
    ItemFactory(identifier="MOK-1", date="ok. 1920")
    path = write_csv(
        tmp_path / "k.csv",
        [["MOK-1", "Rynek", "photograph", "1920~", "", "", ""]],
    )
    assert run_import(path)[0] == 0
    assert Item.objects.get().date_as_written == "ok. 1920"
    path = write_csv(tmp_path / "k.csv", [["MOK-1", "Rynek", "photograph", "1925", "", "", ""]])
    assert run_import(path)[0] == 0
    assert Item.objects.values_list("date", "date_as_written").get() == ("1925", "")


def test_export_carries_both_and_import_gives_them_back(tmp_path):
    ItemFactory(identifier="MOK-1", date="lata 60. i 70. XX w.")
    ItemFactory(identifier="MOK-2", date="bez daty")
    path = tmp_path / "katalog.csv"
    call_command("export_catalogue", str(path), stdout=io.StringIO())
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["identifier"]: row for row in csv.DictReader(handle)}
    assert (rows["MOK-1"]["date"], rows["MOK-1"]["date_as_written"]) == (
        "1960/1979",
        "lata 60. i 70. XX w.",
    )
    assert (rows["MOK-2"]["date"], rows["MOK-2"]["date_as_written"]) == ("", "bez daty")
    Item.objects.all().delete()
    assert run_import(path)[0] == 0
    assert sorted(Item.objects.values_list("identifier", "date", "date_as_written")) == [
        ("MOK-1", "1960/1979", "lata 60. i 70. XX w."),
        ("MOK-2", "", "bez daty"),
    ]


# --- the API -------------------------------------------------------------------------------


def api(archivist) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")  # English error messages
    client.force_authenticate(archivist)
    return client


def test_api_accepts_a_phrase_and_answers_with_both(archivist):
    payload = {"identifier": "MOK-F-0900", "title": "Rynek", "item_type": "photograph"}
    response = api(archivist).post(
        "/api/v1/items/", {**payload, "date": "2. poł. XX w."}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["date"], body["date_as_written"], body["date_start"], body["date_end"]) == (
        "1950/1999",
        "2. poł. XX w.",
        1950,
        1999,
    )


def test_api_refuses_an_unreadable_phrase_with_a_400_on_date(archivist):
    payload = {"identifier": "MOK-F-0900", "title": "Rynek", "item_type": "photograph"}
    response = api(archivist).post(
        "/api/v1/items/", {**payload, "date": "lata 130."}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "date" in errors and "not a decade" in str(errors["date"])
    assert not Item.objects.exists()


def test_api_get_then_put_keeps_the_phrase(archivist):
    item = ItemFactory(identifier="MOK-F-0901", date="ok. 1920", status=Status.PUBLISHED)
    client = api(archivist)
    body = client.get(f"/api/v1/items/{item.identifier}/").json()
    assert (body["date"], body["date_as_written"]) == ("1920~", "ok. 1920")
    response = client.patch(
        f"/api/v1/items/{item.identifier}/",
        {"date": body["date"], "date_as_written": body["date_as_written"], "title": "Inny"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["date_as_written"] == "ok. 1920"


# --- the item page -------------------------------------------------------------------------


def test_item_page_shows_the_phrase_with_its_years(client):
    item = ItemFactory(date="lata 30. XX w.", status=Status.PUBLISHED)
    with translation.override("pl"):
        html = client.get(item.get_absolute_url()).content.decode()
    assert "lata 30. XX w." in html
    assert "1930–1939" in html and "<code>193X</code>" in html


def test_item_page_shows_no_date_as_written(client):
    item = ItemFactory(date="b.d.", status=Status.PUBLISHED)
    with translation.override("pl"):
        html = client.get(item.get_absolute_url()).content.decode()
    assert '<span class="date-as-written" lang="pl">b.d.</span>' in html


def test_either_or_dates_are_described_in_words():
    from archive.date_display import describe_date, describe_years

    assert describe_date("[1880,1881]") == "1880 or 1881"
    assert describe_date("[1945-05,1945-06]") == "May 1945 or June 1945"
    assert describe_years(1930, 1939) == "1930–1939"
    assert describe_years(None, 1939) == "until 1939"
    assert describe_years(1920, 1920) == "1920"
