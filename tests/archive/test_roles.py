"""Staff roles (archive/0013_roles) and the publishing rule on every channel: the admin form,
its actions and deleting, the API, and import_catalogue --user. Each channel, each role."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from rest_framework.test import APIClient

from archive import roles
from archive.importing import CatalogueFileError, CatalogueImport
from archive.models import Item, Status
from tests.archive.test_admin import admin_url, item_post, page_text
from tests.archive.test_import import run_import, write_csv
from tests.factories import ItemFactory, MediaFileFactory

pytestmark = pytest.mark.django_db

CATALOGUER, EDITOR, ADMINISTRATOR = roles.CATALOGUER, roles.EDITOR, roles.ADMINISTRATOR
PUBLISHERS = [EDITOR, ADMINISTRATOR]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


# --- the groups --------------------------------------------------------------------------


def test_cataloguers_catalogue_but_do_not_publish():
    perms = codenames(CATALOGUER)
    for model in ("item", "itemcreator", "subject", "place", "agent"):
        for action in ("add", "change", "delete", "view"):
            assert f"archive.{action}_{model}" in perms
    for wanted in ("media.add_mediafile", "media.change_mediafile", "curation.add_collection"):
        assert wanted in perms
    assert "curation.change_collectionitem" in perms
    assert "archive.view_licence" in perms and "archive.change_licence" not in perms
    assert roles.PUBLISH_PERMISSION not in perms
    assert not {p for p in perms if p.startswith(("auth.", "authtoken.", "axes.", "otp_totp."))}


def test_editors_do_what_cataloguers_do_and_publish():
    perms = codenames(EDITOR)
    assert codenames(CATALOGUER) < perms
    assert roles.PUBLISH_PERMISSION in perms
    assert "auth.change_user" not in perms


def test_administrators_have_every_permission():
    perms = codenames(ADMINISTRATOR)
    assert len(perms) == Permission.objects.count()
    for wanted in ("auth.change_user", "auth.change_group", "otp_totp.delete_totpdevice"):
        assert wanted in perms
    assert "axes.delete_accessattempt" in perms and "archive.change_licence" in perms


def test_the_old_archivists_group_is_gone():
    assert not Group.objects.filter(name="archivists").exists()


def test_the_migration_maps_archivists_onto_editors_and_back(django_user_model):
    """Run the migration's own functions on the historical models, both ways."""
    from importlib import import_module

    migration = import_module("archive.migrations.0013_roles")
    state = MigrationExecutor(connection).loader.project_state(("archive", "0013_roles"))
    apps = state.apps
    editor = django_user_model.objects.create_user(username="redaktorka")
    editor.groups.add(Group.objects.get(name=EDITOR))
    cataloguer = django_user_model.objects.create_user(username="katalogujacy")
    cataloguer.groups.add(Group.objects.get(name=CATALOGUER))

    migration.remove_roles(apps, None)
    assert not Group.objects.filter(name__in=roles.ROLES).exists()
    archivists = Group.objects.get(name="archivists")
    assert list(archivists.user_set.all()) == [editor]
    assert archivists.permissions.filter(codename="change_item").exists()

    keeper = django_user_model.objects.create_user(username="kustosz")
    keeper.groups.add(archivists)
    migration.create_roles(apps, None)
    assert not Group.objects.filter(name="archivists").exists()
    assert set(Group.objects.get(name=EDITOR).user_set.all()) == {editor, keeper}
    assert codenames(EDITOR) >= {roles.PUBLISH_PERMISSION, "media.change_mediafile"}
    keeper = django_user_model.objects.get(pk=keeper.pk)
    assert keeper.has_perm(roles.PUBLISH_PERMISSION)


# --- the rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "cataloguer_may"),
    [
        (None, Status.DRAFT, True),
        (None, Status.REVIEW, True),
        (None, Status.PUBLISHED, False),
        (Status.DRAFT, Status.REVIEW, True),
        (Status.REVIEW, Status.DRAFT, True),
        (Status.REVIEW, Status.PUBLISHED, False),
        (Status.PUBLISHED, Status.PUBLISHED, True),
        (Status.PUBLISHED, Status.DRAFT, False),
        (Status.PUBLISHED, Status.REVIEW, False),
    ],
)
def test_status_changes_by_role(role_user, old, new, cataloguer_may):
    assert roles.can_change_status(role_user(CATALOGUER), old, new) is cataloguer_may
    assert roles.can_change_status(role_user(EDITOR), old, new) is True
    assert roles.can_change_status(None, old, new) is True  # the system


# --- the admin form ----------------------------------------------------------------------


def logged_in(client, user):
    client.force_login(user)
    return client


def status_options(response) -> list[str]:
    import re

    select = re.search(r'<select name="status".*?</select>', page_text(response), re.S).group(0)
    return re.findall(r'<option value="(\w+)"', select)


def test_a_cataloguer_is_offered_draft_and_review_only(client, role_user):
    logged_in(client, role_user(CATALOGUER))
    response = client.get(admin_url("admin:archive_item_add"))
    assert status_options(response) == ["draft", "review"]
    published = ItemFactory(status=Status.PUBLISHED)
    response = client.get(admin_url("admin:archive_item_change", published.pk))
    assert status_options(response) == ["published"]


@pytest.mark.parametrize("role", PUBLISHERS)
def test_editors_are_offered_every_status(client, role_user, role):
    logged_in(client, role_user(role))
    response = client.get(admin_url("admin:archive_item_add"))
    assert status_options(response) == ["draft", "review", "published"]


def test_a_forged_publishing_post_by_a_cataloguer_is_refused(client, role_user):
    logged_in(client, role_user(CATALOGUER))
    response = client.post(admin_url("admin:archive_item_add"), item_post(status="published"))
    assert response.status_code == 200
    assert "You may not publish items" in page_text(response)
    assert not Item.objects.exists()


def test_a_cataloguer_saves_a_draft_ready_for_review(client, role_user):
    logged_in(client, role_user(CATALOGUER))
    response = client.post(admin_url("admin:archive_item_add"), item_post(status="review"))
    assert response.status_code == 302
    assert Item.objects.get().status == Status.REVIEW


def test_a_cataloguer_cannot_unpublish_in_the_form_but_may_correct(client, role_user):
    logged_in(client, role_user(CATALOGUER))
    item = ItemFactory(status=Status.PUBLISHED, title="Stary tytuł")
    url = admin_url("admin:archive_item_change", item.pk)
    response = client.post(url, item_post(item, status="draft"))
    assert response.status_code == 200
    assert "You may not unpublish items" in page_text(response)
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and item.title == "Stary tytuł"
    response = client.post(url, item_post(item, title="Poprawiony tytuł"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and item.title == "Poprawiony tytuł"


@pytest.mark.parametrize("role", PUBLISHERS)
def test_editors_publish_and_unpublish_in_the_form(client, role_user, role):
    logged_in(client, role_user(role))
    item = ItemFactory(status=Status.REVIEW)
    url = admin_url("admin:archive_item_change", item.pk)
    assert client.post(url, item_post(item, status="published")).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert client.post(url, item_post(item, status="draft")).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.DRAFT


# --- the admin's actions and deleting ----------------------------------------------------


def test_a_cataloguer_has_no_publishing_actions_and_a_forged_one_does_nothing(client, role_user):
    logged_in(client, role_user(CATALOGUER))
    changelist = admin_url("admin:archive_item_changelist")
    page = page_text(client.get(changelist))
    assert "publish_selected" not in page and "unpublish_selected" not in page
    draft, published = ItemFactory(status=Status.REVIEW), ItemFactory(status=Status.PUBLISHED)
    for action, item in (("publish_selected", draft), ("unpublish_selected", published)):
        client.post(changelist, {"action": action, "_selected_action": [item.pk]})
    assert Item.objects.get(pk=draft.pk).status == Status.REVIEW
    assert Item.objects.get(pk=published.pk).status == Status.PUBLISHED


@pytest.mark.parametrize("role", PUBLISHERS)
def test_editors_publish_with_the_action_and_hear_why_an_item_was_refused(client, role_user, role):
    logged_in(client, role_user(role))
    good = ItemFactory(status=Status.REVIEW)
    bad = ItemFactory(status=Status.REVIEW, identifier="MOK-F-0777")
    MediaFileFactory(item=bad, alt_text="", original_name="bez-opisu.jpg")
    response = client.post(
        admin_url("admin:archive_item_changelist"),
        {"action": "publish_selected", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    text = page_text(response)
    assert "MOK-F-0777 was not published" in text and "bez-opisu.jpg" in text
    assert Item.objects.get(pk=good.pk).status == Status.PUBLISHED
    assert Item.objects.get(pk=bad.pk).status == Status.REVIEW
    response = client.post(
        admin_url("admin:archive_item_changelist"),
        {"action": "unpublish_selected", "_selected_action": [good.pk]},
        follow=True,
    )
    assert Item.objects.get(pk=good.pk).status == Status.DRAFT


def test_a_cataloguer_deletes_drafts_but_not_published_items(client, role_user):
    logged_in(client, role_user(CATALOGUER))
    draft, published = ItemFactory(status=Status.DRAFT), ItemFactory(status=Status.PUBLISHED)
    assert client.get(admin_url("admin:archive_item_delete", published.pk)).status_code == 403
    assert client.post(admin_url("admin:archive_item_delete", published.pk), {"post": "yes"})
    assert Item.objects.filter(pk=published.pk).exists()
    change_page = page_text(client.get(admin_url("admin:archive_item_change", published.pk)))
    assert f"/item/{published.pk}/delete/" not in change_page
    response = client.post(admin_url("admin:archive_item_delete", draft.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Item.objects.filter(pk=draft.pk).exists()


def test_a_cataloguer_cannot_bulk_delete_a_published_item(client, role_user):
    logged_in(client, role_user(CATALOGUER))
    draft, published = ItemFactory(status=Status.DRAFT), ItemFactory(status=Status.PUBLISHED)
    changelist = admin_url("admin:archive_item_changelist")
    selected = {"action": "delete_selected", "_selected_action": [draft.pk, published.pk]}
    response = client.post(changelist, selected)
    assert "published items (an editor deletes them)" in page_text(response)
    client.post(changelist, {**selected, "post": "yes"})
    assert Item.objects.filter(pk__in=[draft.pk, published.pk]).count() == 2


@pytest.mark.parametrize("role", PUBLISHERS)
def test_editors_delete_published_items(client, role_user, role):
    logged_in(client, role_user(role))
    published = ItemFactory(status=Status.PUBLISHED)
    response = client.post(admin_url("admin:archive_item_delete", published.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Item.objects.filter(pk=published.pk).exists()


# --- the API -----------------------------------------------------------------------------


def api_as(user) -> APIClient:
    # English answers: the messages asserted below do not depend on the Polish catalogue.
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


NEW = {"identifier": "MOK-N-0200", "title": "Nowy obiekt", "item_type": "artifact"}


def test_a_cataloguer_writes_drafts_through_the_api(role_user):
    api = api_as(role_user(CATALOGUER, staff=False))
    assert api.post("/api/v1/items/", {**NEW, "status": "review"}, format="json").status_code == 201
    response = api.patch("/api/v1/items/MOK-N-0200/", {"status": "draft"}, format="json")
    assert response.status_code == 200
    assert api.get("/api/v1/items/MOK-N-0200/").status_code == 200  # drafts are visible
    assert api.delete("/api/v1/items/MOK-N-0200/").status_code == 204


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("post", {**NEW, "status": "published"}),
        ("patch", {"status": "published"}),
        ("put", {**NEW, "identifier": "MOK-R-0001", "status": "published"}),
    ],
)
def test_a_cataloguer_cannot_publish_through_the_api(role_user, method, body):
    ItemFactory(identifier="MOK-R-0001", status=Status.REVIEW)
    api = api_as(role_user(CATALOGUER, staff=False))
    url = "/api/v1/items/" if method == "post" else "/api/v1/items/MOK-R-0001/"
    response = getattr(api, method)(url, body, format="json")
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
    assert "You may not publish items" in response.json()["detail"]
    assert not Item.objects.filter(status=Status.PUBLISHED).exists()


def test_a_cataloguer_cannot_unpublish_or_delete_published_items_through_the_api(role_user):
    ItemFactory(identifier="MOK-P-0001", status=Status.PUBLISHED, title="Stary")
    api = api_as(role_user(CATALOGUER, staff=False))
    url = "/api/v1/items/MOK-P-0001/"
    for status in ("draft", "review"):
        response = api.patch(url, {"status": status}, format="json")
        assert response.status_code == 403
        assert "You may not unpublish items" in response.json()["detail"]
    response = api.delete(url)
    assert response.status_code == 403
    assert "You may not delete published items" in response.json()["detail"]
    # Corrections that leave it published are theirs to make.
    response = api.patch(url, {"title": "Poprawiony", "status": "published"}, format="json")
    assert response.status_code == 200
    item = Item.objects.get(identifier="MOK-P-0001")
    assert (item.status, item.title) == (Status.PUBLISHED, "Poprawiony")


@pytest.mark.parametrize("role", PUBLISHERS)
def test_editors_publish_unpublish_and_delete_through_the_api(role_user, role):
    api = api_as(role_user(role, staff=False))
    assert (
        api.post("/api/v1/items/", {**NEW, "status": "published"}, format="json").status_code == 201
    )
    url = "/api/v1/items/MOK-N-0200/"
    assert api.patch(url, {"status": "draft"}, format="json").status_code == 200
    assert api.patch(url, {"status": "published"}, format="json").status_code == 200
    assert api.delete(url).status_code == 204
    assert not Item.objects.exists()


def test_staff_without_a_role_write_nothing_through_the_api(role_user):
    api = api_as(role_user(None))
    response = api.post("/api/v1/items/", NEW, format="json")
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
    assert not Item.objects.exists()


# --- import_catalogue --user -------------------------------------------------------------

HEADER = ["identifier", "title", "item_type", "status"]


def test_a_cataloguer_import_that_publishes_is_refused_row_by_row(tmp_path, role_user):
    role_user(CATALOGUER, username="kasia")
    ItemFactory(identifier="MOK-P-0001", status=Status.PUBLISHED)
    path = write_csv(
        tmp_path / "plik.csv",
        [
            ["MOK-N-0001", "Szkic", "photograph", "draft"],
            ["MOK-N-0002", "Do publikacji", "photograph", "published"],
            ["MOK-N-0003", "Do przeglądu", "photograph", "review"],
            ["MOK-P-0001", "Wycofany", "photograph", "draft"],
            ["MOK-N-0004", "Opublikuj", "photograph", "opublikowane"],
        ],
        header=HEADER,
    )
    code, _out, err = run_import(path, "--user", "kasia")
    assert code == 1
    assert "line 3, column status: You may not publish items" in err
    assert "line 5, column status: You may not unpublish items" in err
    assert "line 6, column status: You may not publish items" in err
    assert "line 2," not in err and "line 4," not in err
    # All or nothing: the good rows were not written either.
    assert list(Item.objects.values_list("identifier", "status")) == [
        ("MOK-P-0001", Status.PUBLISHED)
    ]


def test_a_cataloguer_imports_drafts_and_corrects_published_items(tmp_path, role_user):
    role_user(CATALOGUER, username="kasia")
    ItemFactory(identifier="MOK-P-0001", status=Status.PUBLISHED)
    path = write_csv(
        tmp_path / "plik.csv",
        [
            ["MOK-N-0001", "Szkic", "photograph", "review"],
            ["MOK-P-0001", "Poprawiony", "photograph", "published"],
        ],
        header=HEADER,
    )
    code, _out, err = run_import(path, "--user", "kasia")
    assert code == 0, err
    assert dict(Item.objects.values_list("identifier", "status")) == {
        "MOK-N-0001": Status.REVIEW,
        "MOK-P-0001": Status.PUBLISHED,
    }


@pytest.mark.parametrize("role", PUBLISHERS)
def test_an_editor_import_publishes(tmp_path, role_user, role):
    role_user(role, username="ewa")
    path = write_csv(
        tmp_path / "plik.csv", [["MOK-N-0001", "Publiczny", "photograph", "published"]], HEADER
    )
    assert run_import(path, "--user", "ewa")[0] == 0
    assert Item.objects.get().status == Status.PUBLISHED


def test_an_import_as_someone_without_a_role_writes_nothing(tmp_path, role_user):
    role_user(None, username="gosc")
    ItemFactory(identifier="MOK-P-0001")
    path = write_csv(
        tmp_path / "plik.csv",
        [["MOK-N-0001", "Nowy", "photograph", "draft"], ["MOK-P-0001", "Zmiana", "map", ""]],
        HEADER,
    )
    code, _out, err = run_import(path, "--user", "gosc")
    assert code == 1
    assert "line 2, column identifier: gosc may not add items." in err
    assert "line 3, column identifier: gosc may not change items." in err


def test_an_unknown_or_inactive_user_is_a_clear_error(tmp_path, role_user):
    path = write_csv(tmp_path / "plik.csv", [["MOK-N-0001", "Nowy", "photograph", ""]], HEADER)
    code, _out, err = run_import(path, "--user", "nikt")
    assert code == 1 and "There is no user “nikt”" in err
    user = role_user(EDITOR, username="byla")
    user.is_active = False
    user.save()
    code, _out, err = run_import(path, "--user", "byla")
    assert code == 1 and "not active" in err
    assert not Item.objects.exists()


def test_without_user_the_command_imports_as_the_system(tmp_path):
    path = write_csv(
        tmp_path / "plik.csv", [["MOK-N-0001", "Publiczny", "photograph", "published"]], HEADER
    )
    assert run_import(path)[0] == 0
    assert Item.objects.get().status == Status.PUBLISHED


def test_an_item_published_between_check_and_write_is_not_unpublished_by_a_cataloguer(
    tmp_path, role_user
):
    item = ItemFactory(identifier="MOK-P-0001", status=Status.REVIEW)
    path = write_csv(
        tmp_path / "plik.csv", [["MOK-P-0001", "Szkic", "photograph", "draft"]], HEADER
    )
    importer = CatalogueImport(path, user=role_user(CATALOGUER))
    result = importer.validate()
    assert result.ok
    item.publish()  # an editor publishes it meanwhile
    with pytest.raises(CatalogueFileError, match="You may not unpublish items"):
        importer.write(result)
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and item.title != "Szkic"


# --- the admin's import page -------------------------------------------------------------


def test_the_import_page_refuses_a_cataloguers_publishing_rows(client, role_user):
    from django.urls import reverse

    from tests.archive.test_admin_import import csv_bytes, staged_preview_url, token_of, upload

    logged_in(client, role_user(CATALOGUER))
    content = csv_bytes(
        [
            ["MOK-N-0001", "Szkic", "photograph", "", "", "", "review"],
            ["MOK-N-0002", "Publiczny", "photograph", "", "", "", "published"],
        ]
    )
    page = client.get(staged_preview_url(upload(client, content)))
    errors = {(r["line"], e["column"]) for r in page.context["rows"] for e in r["errors"]}
    assert errors == {(3, "status")}
    assert "You may not publish items" in page.content.decode()
    client.post(
        reverse("admin:archive_item_import_confirm", args=[token_of(page.request["PATH_INFO"])])
    )
    assert not Item.objects.exists()


@pytest.mark.parametrize("role", PUBLISHERS)
def test_the_import_page_lets_editors_publish(client, role_user, role):
    from django.urls import reverse

    from tests.archive.test_admin_import import csv_bytes, staged_preview_url, token_of, upload

    logged_in(client, role_user(role))
    content = csv_bytes([["MOK-N-0002", "Publiczny", "photograph", "", "", "", "published"]])
    url = staged_preview_url(upload(client, content))
    client.post(reverse("admin:archive_item_import_confirm", args=[token_of(url)]))
    assert Item.objects.get().status == Status.PUBLISHED
