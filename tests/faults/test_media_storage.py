"""A full disk or an unwritable MEDIA_ROOT during an upload (API and admin) and an import
with images (issue #13 §3): a clear error, no half-written file, no row naming a missing file.

MEDIA_ROOT is a real small filesystem when the tests run as root (CI's container does): a
tmpfs of 128 KiB for "the disk is full" (the kernel answers ENOSPC part-way through the
file), and a read-only tmpfs for "cannot be written" (EROFS, which root cannot override).
Run as another user, both become a directory without write permission (chmod 555: EACCES);
"full" then proves the unwritable case only (docs/benchmarks.md, "Faults").
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from PIL import Image
from rest_framework.test import APIClient

from archive.models import Item
from archive.roles import EDITOR
from media.models import MediaFile
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

FULL_SIZE = "128k"
ALT = "Kolorowy szum na kwadratowym obrazie"


def _mount(root: Path, options: str) -> bool:
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(root)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture(params=["full", "read-only"])
def broken_media(request, settings, tmp_path):
    """MEDIA_ROOT on a filesystem that refuses the write (see the module's docstring)."""
    root = tmp_path / "media"
    root.mkdir()
    options = f"size={FULL_SIZE},mode=0755" if request.param == "full" else "size=1m,mode=0755,ro"
    mounted = _mount(root, options)
    if not mounted:
        root.chmod(0o555)
    settings.MEDIA_ROOT = str(root)
    try:
        yield root
    finally:
        if mounted:
            subprocess.run(["umount", str(root)], check=True)
        else:
            root.chmod(0o755)


def noisy_image(side: int = 400) -> bytes:
    """A PNG of noise (~470 KB at 400 px): larger than the full filesystem's room."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def files_in(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_api_upload_is_a_clear_503_and_leaves_nothing(broken_media, english):
    item = ItemFactory(identifier="MOK-DYSK-1")
    editor = get_editor()
    api = APIClient()
    api.force_authenticate(editor)
    upload = SimpleUploadedFile("obraz.png", noisy_image(), content_type="image/png")
    response = api.post(
        "/api/v1/media/",
        {"item": item.identifier, "file": upload, "alt_text": ALT},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",  # the API speaks the caller's language (Polish by default)
    )
    assert response.status_code == 503, response.content[:500]
    assert response["Retry-After"]
    body = response.json()
    assert set(body) == {"detail"}
    assert "file storage" in body["detail"] and "Nothing was saved" in body["detail"]
    assert not MediaFile.objects.exists()
    assert files_in(broken_media) == []


def test_admin_upload_is_a_clear_503_page_and_leaves_nothing(
    broken_media, archivist_client, english
):
    item = ItemFactory(identifier="MOK-DYSK-2")
    data = {
        "item": str(item.pk),
        "order": "0",
        "alt_text": ALT,
        "alt_text_en": "",
        "caption": "",
        "caption_en": "",
        "credit": "",
        "long_description": "",
        "_save": "Save",
        "file": SimpleUploadedFile("obraz.png", noisy_image(), content_type="image/png"),
    }
    response = archivist_client.post(reverse("admin:media_mediafile_add"), data)
    assert response.status_code == 503
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "The file could not be saved" in page and "Nothing was saved" in page
    assert not MediaFile.objects.exists()
    assert files_in(broken_media) == []


def test_import_with_images_fails_clearly_and_writes_nothing(broken_media, tmp_path, english):
    folder = tmp_path / "import"
    (folder / "zdjecia").mkdir(parents=True)
    rows = []
    for n in range(3):
        (folder / "zdjecia" / f"{n}.png").write_bytes(noisy_image(200))
        rows.append([f"MOK-IMP-{n}", "Szum", "photograph", "1939", "draft", f"zdjecia/{n}.png", ""])
    path = folder / "k.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["identifier", "title", "item_type", "date", "status", "image", "alt_text"])
        writer.writerows(rows)
    with pytest.raises(CommandError) as caught:
        call_command("import_catalogue", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert "file storage" in str(caught.value) and "Nothing was saved" in str(caught.value)
    assert not Item.objects.filter(identifier__startswith="MOK-IMP-").exists()
    assert not MediaFile.objects.exists()
    assert files_in(broken_media) == []


def get_editor():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="kustosz", password="x" * 20)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user
