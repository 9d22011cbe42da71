"""Batch edits of the items list: confirmation, change, refusals, one transaction, history,
search outbox and OAI-PMH datestamps."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.db import IntegrityError
from django.db.models.signals import post_save
from django.utils import timezone, translation

from archive.models import Item, ItemCreator, Licence, Status
from curation.models import CollectionItem
from search.models import OutboxEntry
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    ItemFactory,
    MediaFileFactory,
    PlaceFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


def admin_url(name: str, *args) -> str:
    from django.urls import reverse

    with translation.override("en"):
        return reverse(name, args=args)


CHANGELIST = "admin:archive_item_changelist"


def run(client, action: str, items, follow: bool = True, **term):
    """Confirm a batch action as the confirmation page posts it."""
    data = {
        "action": f"batch_{action}",
        "_selected_action": [i.pk for i in items],
        "batch_confirmed": "1",
        **{f"batch-{name}": value for name, value in term.items()},
    }
    return client.post(admin_url(CHANGELIST), data, follow=follow)


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def items():
    return [ItemFactory(identifier=f"MOK-B-{n}", status=Status.DRAFT) for n in range(3)]


def test_action_first_asks_with_the_items_and_a_term_field(archivist_client, items):
    response = archivist_client.post(
        admin_url(CHANGELIST),
        {"action": "batch_add_subject", "_selected_action": [i.pk for i in items]},
    )
    assert response.status_code == 200
    page = text(response)
    assert "The change applies to 3 items" in page
    assert all(i.identifier in page for i in items)
    assert 'name="batch-term"' in page and "admin-autocomplete" in page
    assert page.count('name="_selected_action"') == 3
    assert not any(i.subjects.exists() for i in items)


def test_missing_term_shows_the_form_again_with_an_error(archivist_client, items):
    response = run(archivist_client, "add_subject", items, follow=False)
    assert response.status_code == 200
    assert "This field is required" in text(response)


@pytest.mark.parametrize(
    ("action", "make", "linked"),
    [
        ("add_subject", SubjectFactory, lambda item: item.subjects),
        ("add_place", PlaceFactory, lambda item: item.places),
        ("add_creator", AgentFactory, lambda item: item.creators),
        ("add_to_collection", CollectionFactory, lambda item: item.collections),
    ],
)
def test_add_actions_link_the_term_to_every_item(archivist_client, items, action, make, linked):
    term = make()
    extra = {"role": "photographer"} if action == "add_creator" else {}
    linked(items[0]).add(term, **({"through_defaults": extra} if extra else {}))
    response = run(archivist_client, action, items, term=term.pk, **extra)
    page = text(response)
    assert "2 items were changed." in page
    assert "1 item already was as asked" in page
    assert all(list(linked(i).all()) == [term] for i in items)


@pytest.mark.parametrize(
    ("action", "make", "linked"),
    [
        ("remove_subject", SubjectFactory, lambda item: item.subjects),
        ("remove_place", PlaceFactory, lambda item: item.places),
        ("remove_from_collection", CollectionFactory, lambda item: item.collections),
    ],
)
def test_remove_actions_unlink_the_term(archivist_client, items, action, make, linked):
    term, other = make(), make()
    for item in items[:2]:
        linked(item).add(term, other)
    response = run(archivist_client, action, items, term=term.pk)
    assert "2 items were changed." in text(response)
    assert all(list(linked(i).all()) == ([other] if i in items[:2] else []) for i in items)


def test_add_creator_gives_the_role_and_remove_with_any_role_takes_every_role(
    archivist_client, items
):
    agent = AgentFactory()
    run(archivist_client, "add_creator", items, term=agent.pk, role="photographer")
    run(archivist_client, "add_creator", items[:1], term=agent.pk, role="depicted")
    roles = set(ItemCreator.objects.values_list("item__identifier", "role"))
    assert roles == {
        ("MOK-B-0", "photographer"),
        ("MOK-B-0", "depicted"),
        ("MOK-B-1", "photographer"),
        ("MOK-B-2", "photographer"),
    }
    run(archivist_client, "remove_creator", items[1:], term=agent.pk, role="photographer")
    run(archivist_client, "remove_creator", items[:1], term=agent.pk, role="")
    assert not ItemCreator.objects.exists()


def test_set_licence_and_rights_holder(archivist_client, items):
    cc0 = Licence.objects.get(code="CC0-1.0")
    run(archivist_client, "set_licence", items, term=cc0.pk)
    run(archivist_client, "set_rights_holder", items[:2], term="  Gmina Mszczonów ")
    assert set(Item.objects.values_list("licence__code", flat=True)) == {"CC0-1.0"}
    holders = dict(Item.objects.values_list("identifier", "rights_holder"))
    assert holders == {"MOK-B-0": "Gmina Mszczonów", "MOK-B-1": "Gmina Mszczonów", "MOK-B-2": ""}
    run(archivist_client, "set_rights_holder", items, term="")
    assert set(Item.objects.values_list("rights_holder", flat=True)) == {""}


def test_item_that_breaks_the_rules_is_refused_and_named_the_others_change(archivist_client, items):
    bad = ItemFactory(identifier="MOK-B-9", status=Status.PUBLISHED)
    MediaFileFactory(item=bad, alt_text="", original_name="ciemne.jpg")
    cc0 = Licence.objects.get(code="CC0-1.0")
    page = text(run(archivist_client, "set_licence", [*items, bad], term=cc0.pk))
    assert "MOK-B-9 was not changed" in page and "ciemne.jpg" in page
    assert "3 items were changed." in page
    bad.refresh_from_db()
    assert bad.licence.code == "InC"
    assert not LogEntry.objects.filter(object_id=str(bad.pk)).exists()


def test_item_the_user_may_not_change_is_refused(client, django_user_model, items, monkeypatch):
    from django.contrib.auth.models import Permission

    from archive.admin import ItemAdmin

    user = django_user_model.objects.create_user("katalog", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_item", "change_item"]))
    client.force_login(user)
    # A rule of the roles part could refuse one item (e.g. a published one): the hook is
    # ModelAdmin.has_change_permission(request, obj), asked for every item.
    original = ItemAdmin.has_change_permission

    def no_published(self, request, obj=None):
        if obj is not None and obj.identifier == "MOK-B-2":
            return False
        return original(self, request, obj)

    monkeypatch.setattr(ItemAdmin, "has_change_permission", no_published)
    page = text(run(client, "set_rights_holder", items, term="MOK"))
    assert "MOK-B-2 was not changed: you may not change this item." in page
    assert dict(Item.objects.values_list("identifier", "rights_holder")) == {
        "MOK-B-0": "MOK",
        "MOK-B-1": "MOK",
        "MOK-B-2": "",
    }


def test_a_failure_on_the_way_changes_nothing(archivist_client, items):
    subject = SubjectFactory()
    saved = []

    def fail_on_second(sender, instance, **kwargs):
        saved.append(instance.pk)
        if len(saved) == 2:
            raise IntegrityError("disk full")

    post_save.connect(fail_on_second, sender=Item, dispatch_uid="test_fail_on_second")
    try:
        page = text(run(archivist_client, "add_subject", items, term=subject.pk))
    finally:
        post_save.disconnect(dispatch_uid="test_fail_on_second", sender=Item)
    assert "no item was changed" in page
    assert not Item.subjects.through.objects.exists()
    assert not LogEntry.objects.exists()


def test_every_changed_item_gets_history(archivist_client, archivist, items):
    subject = SubjectFactory(name="Kościoły")
    items[0].subjects.add(subject)
    run(archivist_client, "add_subject", items, term=subject.pk)
    entries = LogEntry.objects.order_by("object_id")
    assert [e.object_id for e in entries] == [str(items[1].pk), str(items[2].pk)]
    assert {e.user_id for e in entries} == {archivist.pk}
    history = archivist_client.get(admin_url("admin:archive_item_history", items[1].pk))
    assert "Added subject “Kościoły”." in text(history)
    run(archivist_client, "set_licence", items[:1], term=Licence.objects.get(code="PDM").pk)
    history = archivist_client.get(admin_url("admin:archive_item_history", items[0].pk))
    assert "Changed licence." in text(history)


def test_changed_items_go_to_the_search_outbox_and_move_their_datestamp(archivist_client, items):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Item.objects.update(modified=long_ago)
    OutboxEntry.objects.all().delete()
    items[0].places.add(place := PlaceFactory())
    OutboxEntry.objects.all().delete()
    Item.objects.update(modified=long_ago)
    run(archivist_client, "add_place", items, term=place.pk)
    assert set(OutboxEntry.objects.values_list("item_id", flat=True)) == {
        items[1].pk,
        items[2].pk,
    }
    modified = dict(Item.objects.values_list("identifier", "modified"))
    assert modified["MOK-B-0"] == long_ago
    assert modified["MOK-B-1"] > long_ago and modified["MOK-B-2"] > long_ago


def test_collection_membership_goes_last_in_the_collection(archivist_client, items):
    collection = CollectionFactory()
    CollectionItem.objects.create(collection=collection, item=ItemFactory(), order=7)
    run(archivist_client, "add_to_collection", items, term=collection.pk)
    orders = list(
        CollectionItem.objects.filter(item__in=items)
        .order_by("order")
        .values_list("order", flat=True)
    )
    assert orders == [8, 9, 10]


def test_batch_actions_are_offered_only_to_those_who_may_change_items(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("czytelnik", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_item"))
    client.force_login(user)
    ItemFactory()
    page = text(client.get(admin_url(CHANGELIST)))
    assert "batch_add_subject" not in page


def test_select_all_of_a_filtered_list_is_sent_on_as_such(archivist_client):
    """'Select all' of a long list is not sent back as thousands of fields (Django refuses
    more than DATA_UPLOAD_MAX_NUMBER_FIELDS); the list's address keeps its filter."""
    undated = [ItemFactory(date="", status=Status.DRAFT) for _ in range(3)]
    dated = ItemFactory(date="1920", status=Status.DRAFT)
    url = admin_url(CHANGELIST) + "?attention=date"
    first = {
        "action": "batch_set_rights_holder",
        "_selected_action": [undated[0].pk],
        "select_across": "1",
        "index": "0",
    }
    page = text(archivist_client.post(url, first))
    assert "The change applies to 3 items" in page
    assert page.count('name="_selected_action"') == 1
    assert 'name="select_across" value="1"' in page
    confirm = {
        "action": "batch_set_rights_holder",
        "_selected_action": [undated[0].pk],
        "select_across": "1",
        "batch_confirmed": "1",
        "batch-term": "MOK",
    }
    response = archivist_client.post(url, confirm, follow=True)
    assert "3 items were changed." in text(response)
    holders = dict(Item.objects.values_list("pk", "rights_holder"))
    assert {holders[i.pk] for i in undated} == {"MOK"} and holders[dated.pk] == ""
