"""The archivist's desk on the admin's home page: each queue's count and the list behind it."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from archive import audit, desk
from archive.models import Item, Licence, Status
from tests.factories import ItemFactory, MediaFileFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def admin_url(name: str, *args) -> str:
    from django.urls import reverse

    with translation.override("en"):
        return reverse(name, args=args)


def complete_item(**fields) -> Item:
    """An item with nothing missing: date, place, description, rights, good media."""
    values = {
        "date": "1925",
        "description": "Opis.",
        "rights_holder": "MOK Mszczonów",
        "status": Status.DRAFT,
    }
    item = ItemFactory(**{**values, **fields})
    item.places.add(PlaceFactory())
    return item


def desk_row(html: str, name: str) -> tuple[str, int]:
    """(link, count) of one queue's row on the home page."""
    row = re.search(rf'<tr id="desk-{name}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {name}"
    link = re.search(r'href="([^"]+)"', row.group(1)).group(1)
    count = int(re.search(r'kronika-desk-count">(\d+)<', row.group(1)).group(1))
    return link.replace("&amp;", "&"), count


def listed(client, link: str) -> set[str]:
    """Identifiers of the items on the filtered items list a desk link opens."""
    response = client.get(link)
    assert response.status_code == 200
    return set(re.findall(r"DESK-\d+", response.content.decode())) | set(
        re.findall(r"TEST-\d+", response.content.decode())
    )


@pytest.fixture
def catalogue():
    """One item in each queue (and one complete item that is in none)."""
    complete_item(identifier="DESK-01")
    items = {
        "review": complete_item(identifier="DESK-02", status=Status.REVIEW),
        "date": complete_item(identifier="DESK-03", date=""),
        "description": complete_item(identifier="DESK-04", description=""),
        "rights": complete_item(identifier="DESK-05", rights_holder=""),
        "place": ItemFactory(
            identifier="DESK-06",
            date="1930",
            description="Opis.",
            rights_holder="MOK",
            status=Status.DRAFT,
        ),
        "accessibility": complete_item(identifier="DESK-07"),
    }
    MediaFileFactory(item=items["accessibility"], alt_text="DSC_0001.jpg")
    # Another licence with no rights holder is a choice someone made: not "missing".
    complete_item(
        identifier="DESK-08", rights_holder="", licence=Licence.objects.get(code="CC0-1.0")
    )
    # Good media are no work.
    MediaFileFactory(item=complete_item(identifier="DESK-09"))
    return items


@pytest.mark.parametrize(
    "queue", ["review", "date", "description", "rights", "place", "accessibility"]
)
def test_each_queue_counts_its_items_and_links_to_exactly_them(archivist_client, catalogue, queue):
    html = archivist_client.get(admin_url("admin:index")).content.decode()
    link, count = desk_row(html, queue)
    assert count == 1
    assert listed(archivist_client, link) == {catalogue[queue].identifier}


def test_desk_shows_above_the_app_list_with_headings(archivist_client, catalogue):
    html = archivist_client.get(admin_url("admin:index")).content.decode()
    assert html.index('id="desk-heading"') < html.index('class="app-archive')
    assert '<h2 id="desk-heading">Work waiting</h2>' in html
    assert 'scope="row"' in html and "<caption" in html


def test_counts_take_a_handful_of_queries_whatever_the_catalogue(
    archivist, django_assert_max_num_queries
):
    for n in range(30):
        item = ItemFactory(date="", status=Status.REVIEW if n % 2 else Status.DRAFT)
        MediaFileFactory(item=item, alt_text="" if n % 3 else "Rynek")
    # Counts, the media read, the changes (and which of their items still exist), imports,
    # residents' contributions waiting.
    with django_assert_max_num_queries(7):
        result = desk.desk(archivist)
    counts = {q.name: q.count for q in result["queues"]}
    assert counts["review"] == 15 and counts["date"] == 30 and counts["accessibility"] == 20


def test_desk_lists_changes_by_others_not_mine(archivist_client, archivist, django_user_model):
    other = django_user_model.objects.create_user("katalogujacy", is_staff=True)
    theirs, mine, old = (ItemFactory(identifier=f"DESK-1{n}") for n in range(3))
    for user, item in ((other, theirs), (archivist, mine), (other, old)):
        with audit.history_channel("api", user=user):
            item.title = f"{item.title} (poprawiony)"
            item.save()
    Item.history.filter(id=old.pk).update(
        history_date=timezone.now() - datetime.timedelta(days=desk.RECENT_DAYS + 1)
    )
    # The factory's own saves (a shell, nobody signed) are older than a week here too.
    Item.history.filter(history_user__isnull=True).update(
        history_date=timezone.now() - datetime.timedelta(days=desk.RECENT_DAYS + 1)
    )
    html = archivist_client.get(admin_url("admin:index")).content.decode()
    section = html[html.index('id="desk-changes-heading"') : html.index("</section>")]
    assert "katalogujacy" in section and theirs.identifier in section
    assert mine.identifier not in section and old.identifier not in section
    link = re.search(r'href="([^"]*attention=changed-by-others)"', section).group(1)
    assert listed(archivist_client, link.replace("&amp;", "&")) == {theirs.identifier}


def test_changes_through_any_channel_and_unsigned_ones_count_as_others(archivist):
    item = ItemFactory(identifier="DESK-20")
    with audit.history_channel("command", reference="load_demo"):
        item.title = "Rynek z lotu ptaka"
        item.save()
    [change, *_older] = desk.recent_changes(archivist)
    assert (change.what, change.action, change.item_pk) == (
        "DESK-20: Rynek z lotu ptaka",
        "changed",
        item.pk,
    )
    pk = item.pk
    item.delete()
    [deleted, *_older] = desk.recent_changes(archivist)
    assert (deleted.action, deleted.item_pk, deleted.url) == ("deleted", None, "")
    assert pk not in desk.items_changed_by_others(archivist)


def test_recent_imports_list_the_newest_batches_with_links(archivist_client, archivist, tmp_path):
    from archive.importing import BatchInfo, import_catalogue

    path = tmp_path / "spis.csv"
    path.write_text("identifier,title,item_type\nDESK-30,Młyn,photograph\n", encoding="utf-8")
    result = import_catalogue(path, record=BatchInfo(channel="admin", user=archivist))
    assert result.ok
    html = archivist_client.get(admin_url("admin:index")).content.decode()
    section = html[html.index('id="desk-imports-heading"') :]
    assert "spis.csv" in section and result.batch.get_absolute_url() in section
    assert admin_url("admin:archive_importbatch_changelist") in section


def test_recent_imports_say_so_when_there_are_none(archivist_client):
    html = archivist_client.get(admin_url("admin:index")).content.decode()
    assert desk.recent_imports() == []
    assert 'id="desk-imports-heading"' in html


def test_desk_is_not_shown_to_staff_who_may_not_see_items(client, django_user_model):
    user = django_user_model.objects.create_user("gosc", password="x", is_staff=True)
    client.force_login(user)
    response = client.get(admin_url("admin:index"))
    assert response.status_code == 200
    assert 'id="desk-heading"' not in response.content.decode()


def test_unknown_attention_value_leaves_the_list_whole(archivist_client, catalogue):
    response = archivist_client.get(admin_url("admin:archive_item_changelist") + "?attention=x")
    assert response.status_code == 200
    assert len(listed(archivist_client, admin_url("admin:archive_item_changelist"))) == 9


def test_check_accessibility_and_the_desk_share_one_rule(catalogue):
    from media.accessibility import published_report

    catalogue["accessibility"].status = Status.PUBLISHED
    Item.objects.filter(pk=catalogue["accessibility"].pk).update(status=Status.PUBLISHED)
    assert [item.identifier for item, _ in published_report()] == ["DESK-07"]
    assert desk.items_failing_accessibility() == {catalogue["accessibility"].pk}
