"""Residents' contributions: the form and its limits, consent, withdrawal by private link,
moderation with roles, a photo made into a draft item, and nothing pending ever public."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from archive.models import Item, Status
from archive.roles import CATALOGUER, EDITOR
from contributions.models import Contribution
from tests.factories import ItemFactory
from tests.media.conftest import photo_with_exif

pytestmark = pytest.mark.django_db

MEMORY = "Na zdjęciu drugi od lewej stoi mój dziadek Szczepan Wiśniewski."


@pytest.fixture(autouse=True)
def contribution_settings(settings):
    settings.KRONIKA_CONTRIBUTIONS_NOTIFY = ["archiwum@example.org"]
    settings.KRONIKA_CONTRIBUTION_RATE = "50/hour"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def item():
    return ItemFactory(status=Status.PUBLISHED, identifier="MOK-F-0100", title="Rynek w 1935")


def form_url(item, language="pl"):
    return f"/{language}/items/{item.identifier}/contribute/"


def send(client, item, **fields):
    data = {"kind": "identification", "text": MEMORY, "name": "Anna", "consent": "on"}
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(form_url(item), data)


def withdraw_path(client, item) -> str:
    html = client.get(f"/pl/items/{item.identifier}/contribute/thanks/").content.decode()
    return re.search(r'class="withdraw-link"><a href="http://testserver(/[^"]+)"', html).group(1)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_form_is_offered_on_a_published_item_only(client, item, language):
    page = client.get(f"/{language}/items/{item.identifier}/").content.decode()
    assert f'href="{form_url(item, language)}"' in page
    response = client.get(form_url(item, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        'type="checkbox" name="consent"' in html
        and "checked" not in html.split('name="consent"')[1].split(">")[0]
    )
    assert 'enctype="multipart/form-data"' in html
    draft = ItemFactory(status=Status.DRAFT)
    assert client.get(form_url(draft, language)).status_code == 404


def test_a_contribution_waits_for_moderation_and_mails_the_moderators(
    client, item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, item)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/items/{item.identifier}/contribute/thanks/")
    contribution = Contribution.objects.get()
    assert contribution.state == Contribution.State.NEW
    assert contribution.text == MEMORY and contribution.consent_at is not None
    assert [m.to for m in mail.outbox] == [["archiwum@example.org"]]
    assert item.identifier in mail.outbox[0].subject
    assert f"/admin/contributions/contribution/{contribution.pk}/change/" in mail.outbox[0].body
    # Nothing public before approval: not on the item page.
    assert "Szczepan" not in client.get(f"/pl/items/{item.identifier}/").content.decode()


def test_the_thank_you_page_shows_the_private_withdrawal_link_once(client, item):
    send(client, item)
    path = withdraw_path(client, item)
    key = path.rstrip("/").rsplit("/", 1)[-1]
    assert Contribution.objects.get().withdrawal_key_hash != key  # only a hash is stored
    # Shown once: a second visit goes back to the item.
    again = client.get(f"/pl/items/{item.identifier}/contribute/thanks/")
    assert again.status_code == 302


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"consent": None}, "consent"),
        ({"text": ""}, "text"),
        ({"text": "<b></b>  "}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"kind": "spam"}, "kind"),
        ({"email": "not-an-address"}, "email"),
        ({"name": "N" * 121}, "name"),
        ({"website": "http://spam.example"}, "website"),
    ],
)
def test_bad_input_is_a_clear_error_that_keeps_what_was_typed(client, item, fields, field):
    typed = {"text": "Pamiętam ten rynek z dzieciństwa", **fields}
    response = send(client, item, **typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and 'id="error-summary"' in html
    assert re.search(rf'href="#id_{field}(_0)?"', html)
    if field != "text":
        assert "Pamiętam ten rynek z dzieciństwa" in html  # kept in the textarea
    assert not Contribution.objects.exists()
    assert not mail.outbox


def test_markup_and_control_characters_are_removed_from_the_text(client, item):
    send(client, item, text="<script>alert(1)</script>Mój <b>dziadek</b>\x07 stoi z lewej")
    assert Contribution.objects.get().text == "alert(1)Mój dziadek stoi z lewej"


def test_a_photo_is_kept_only_as_a_copy_without_gps_or_camera_data(client, item, media_root):
    photo = SimpleUploadedFile("IMG_0001.jpg", photo_with_exif(), content_type="image/jpeg")
    assert send(client, item, photo=photo).status_code == 302
    contribution = Contribution.objects.get()
    stored = media_root / contribution.photo.name
    assert contribution.photo.name.startswith("contributions/")
    with Image.open(stored) as image:
        exif = image.getexif()
        assert exif.get_ifd(0x8825) == {} and 0x010F not in exif
    # The media view never serves it, whatever the path.
    assert client.get(f"/media/{contribution.photo.name}").status_code == 404


def test_the_photo_is_for_staff_only(client, item, archivist):
    photo = SimpleUploadedFile("a.png", _png(), content_type="image/png")
    send(client, item, photo=photo)
    contribution = Contribution.objects.get()
    url = f"/contributions/photo/{contribution.pk}/"
    assert client.get(f"/pl{url}").status_code == 302  # to the login page
    client.force_login(archivist)
    response = client.get(f"/pl{url}")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("doc.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        SimpleUploadedFile("fake.jpg", b"<html><script>x</script></html>"),
        SimpleUploadedFile("empty.jpg", b""),
    ],
    ids=["pdf", "html", "empty"],
)
def test_a_file_that_is_not_a_photograph_is_refused(client, item, upload):
    response = send(client, item, photo=upload)
    assert response.status_code == 400
    assert 'href="#id_photo"' in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_photo_over_the_limit_is_refused(client, item, settings):
    settings.KRONIKA_CONTRIBUTION_MAX_PHOTO_BYTES = 1000
    photo = SimpleUploadedFile("big.jpg", photo_with_exif(400, 300), content_type="image/jpeg")
    assert send(client, item, photo=photo).status_code == 400
    assert not Contribution.objects.exists()


def test_too_many_contributions_from_one_address_wait_and_keep_the_text(client, item, settings):
    settings.KRONIKA_CONTRIBUTION_RATE = "2/hour"
    assert send(client, item).status_code == 302
    assert send(client, item).status_code == 302
    response = send(client, item, text="Trzecia wiadomość tej samej osoby")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Trzecia wiadomość tej samej osoby" in response.content.decode()
    assert Contribution.objects.count() == 2
    # Another address is not affected.
    assert send(client, item, REMOTE_ADDR="10.0.0.9").status_code in (302, 429)


def test_withdrawal_by_the_private_link_deletes_the_contribution_and_its_photo(
    client, item, media_root, django_capture_on_commit_callbacks
):
    photo = SimpleUploadedFile("a.png", _png(), content_type="image/png")
    send(client, item, photo=photo)
    path = withdraw_path(client, item)
    contribution = Contribution.objects.get()
    stored = media_root / contribution.photo.name
    assert stored.exists()
    page = client.get(path)
    assert page.status_code == 200 and "Szczepan" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert response.status_code == 200
    assert not Contribution.objects.exists()
    assert not stored.exists()
    assert client.get(path).status_code == 404
    assert client.get("/pl/contributions/withdraw/not-a-key/").status_code == 404


def _contribution(item, **fields) -> Contribution:
    fields.setdefault("text", MEMORY)
    contribution = Contribution(item=item, consent_at=timezone.now(), **fields)
    contribution.new_withdrawal_key()
    contribution.save()
    return contribution


def test_only_approved_contributions_to_published_items_are_shown(client, item, django_user_model):
    editor = django_user_model.objects.create_user("redaktorka")
    approved = _contribution(item, name="Anna Nowak")
    approved.moderate(Contribution.State.APPROVED, editor)
    approved.save()
    _contribution(item, text="Oczekuje: Wawrzyniec")
    rejected = _contribution(item, text="Odrzucone: Bonifacy")
    rejected.moderate(Contribution.State.REJECTED, editor)
    rejected.save()
    anonymous = _contribution(item, text="Bez podpisu: Florian")
    anonymous.moderate(Contribution.State.APPROVED, editor)
    anonymous.save()
    html = client.get(f"/pl/items/{item.identifier}/").content.decode()
    section = html.split('class="item-contributions"')[1].split("</section>")[0]
    assert "Szczepan" in section and "Anna Nowak" in section
    assert "Florian" in section
    assert "Wawrzyniec" not in html and "Bonifacy" not in html
    english = client.get(f"/en/items/{item.identifier}/").content.decode()
    assert "anonymous" in english
    # Unpublishing the item takes everything with it.
    Item.objects.filter(pk=item.pk).update(status=Status.DRAFT)
    assert not Contribution.objects.public().exists()


def test_pending_contributions_reach_no_other_public_channel(client, item):
    _contribution(item, text="Zapamiętajcie słowo kwiatokrzew")
    assert client.get("/api/v1/search/?q=kwiatokrzew").json()["count"] == 0
    assert "kwiatokrzew" not in client.get(f"/pl/items/{item.identifier}/").content.decode()
    for url in (
        f"/api/v1/items/{item.identifier}/",
        "/sitemap.xml",
        "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
    ):
        response = client.get(url)
        assert b"kwiatokrzew" not in response.content, url


def test_a_cataloguer_may_reject_but_not_approve(client, item, role_user):
    contribution = _contribution(item)
    client.force_login(role_user(CATALOGUER))
    url = f"/pl/admin/contributions/contribution/{contribution.pk}/change/"
    data = {"kind": "memory", "text": MEMORY, "name": "", "state": "approved", "moderator_note": ""}
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    contribution.refresh_from_db()
    assert contribution.state == Contribution.State.NEW
    response = client.post(
        "/pl/admin/contributions/contribution/",
        {"action": "approve", "_selected_action": [contribution.pk]},
    )
    contribution.refresh_from_db()
    assert contribution.state == Contribution.State.NEW
    client.post(url, {**data, "state": "rejected", "moderator_note": "Nie dotyczy zdjęcia"})
    contribution.refresh_from_db()
    assert contribution.state == Contribution.State.REJECTED
    assert contribution.moderator_note == "Nie dotyczy zdjęcia"
    assert contribution.moderated_by.username.startswith("osoba-")


def test_an_editor_edits_and_approves_and_the_text_is_shown(client, item, role_user):
    contribution = _contribution(item, name="Jan")
    editor = role_user(EDITOR)
    client.force_login(editor)
    url = f"/pl/admin/contributions/contribution/{contribution.pk}/change/"
    assert client.get("/pl/admin/contributions/contribution/?state__exact=new").status_code == 200
    response = client.post(
        url,
        {
            "kind": "identification",
            "text": "Drugi od lewej: Szczepan Wiśniewski (poprawione).",
            "name": "Jan",
            "state": "approved",
            "moderator_note": "Potwierdzone w księdze parafialnej",
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.state == Contribution.State.APPROVED
    assert contribution.moderated_by == editor and contribution.moderated_at
    client.logout()
    html = client.get(f"/pl/items/{item.identifier}/").content.decode()
    assert "(poprawione)" in html and "Potwierdzone" not in html


def test_a_contributed_photo_becomes_a_draft_item_crediting_its_sender(
    client, item, role_user, media_root
):
    photo = SimpleUploadedFile("a.png", _png(), content_type="image/png")
    send(client, item, photo=photo, name="Krystyna Zielińska")
    contribution = Contribution.objects.get()
    client.force_login(role_user(EDITOR))
    client.post(
        "/pl/admin/contributions/contribution/",
        {"action": "draft_from_photo", "_selected_action": [contribution.pk]},
    )
    contribution.refresh_from_db()
    draft = contribution.draft_item
    assert draft is not None and draft.status == Status.DRAFT
    assert draft.rights_holder == "Krystyna Zielińska"
    assert item in draft.related_items.all()
    [media] = draft.media_files.all()
    assert media.is_image and "Krystyna Zielińska" in media.credit
    # Twice is refused, not a second item.
    client.post(
        "/pl/admin/contributions/contribution/",
        {"action": "draft_from_photo", "_selected_action": [contribution.pk]},
    )
    assert Item.objects.filter(identifier__startswith="MIESZK").count() == 1
    # The draft is private like any draft.
    client.logout()
    assert client.get(f"/pl/items/{draft.identifier}/").status_code == 404


def test_rejected_contributions_are_deleted_after_the_retention_period(item, settings):
    settings.KRONIKA_CONTRIBUTIONS_REJECTED_DAYS = 30
    old = _contribution(item)
    old.state = Contribution.State.REJECTED
    old.moderated_at = timezone.now() - timedelta(days=31)
    old.save()
    recent = _contribution(item)
    recent.state = Contribution.State.REJECTED
    recent.moderated_at = timezone.now() - timedelta(days=5)
    recent.save()
    pending = _contribution(item)
    Contribution.objects.filter(pk=pending.pk).update(created=timezone.now() - timedelta(days=400))
    call_command("purge_contributions", verbosity=0)
    assert set(Contribution.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}


def test_the_api_reads_approved_contributions_only(client, item, django_user_model):
    editor = django_user_model.objects.create_user("redaktor-api")
    approved = _contribution(item, name="Anna", kind="identification")
    approved.moderate(Contribution.State.APPROVED, editor)
    approved.save()
    _contribution(item, text="Oczekuje: Wawrzyniec")
    body = client.get(f"/api/v1/items/{item.identifier}/").json()
    assert body["contributions"] == [
        {
            "kind": "identification",
            "text": MEMORY,
            "name": "Anna",
            "date": timezone.localdate(approved.created).isoformat(),
        }
    ]
    schema = client.get("/api/v1/schema/?format=json").json()
    detail = schema["components"]["schemas"]["ItemDetail"]["properties"]
    assert "contributions" in detail


def test_the_desk_counts_contributions_waiting_for_those_who_moderate(client, item, role_user):
    _contribution(item)
    _contribution(item, state=Contribution.State.REJECTED)
    client.force_login(role_user(CATALOGUER))
    html = client.get("/en/admin/").content.decode()
    desk = html.split('id="desk-contributions"')[1].split("</p>")[0]
    assert "1 residents&#x27; contribution waiting" in desk or "1 residents' contribution" in desk
    assert "/admin/contributions/contribution/?state__exact=new" in desk
