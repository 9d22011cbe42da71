"""Alt-text quality, transcripts and captions: the checks, the publishing rule, the report."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from archive.models import ItemType, Status
from media.accessibility import alt_text_problems, media_problems, publishing_problems
from media.models import MediaFile
from tests.factories import ItemFactory, MediaFileFactory
from tests.media import samples

pytestmark = pytest.mark.django_db

MP3 = samples.mp3()
MP4 = samples.mp4()
VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nDzie\xc5\x84 dobry.\n"


def image(alt_text="", name="IMG_2041.jpg", **fields):
    return MediaFile(kind="image", alt_text=alt_text, original_name=name, **fields)


@pytest.mark.parametrize(
    ("alt_text", "severity", "fragment"),
    [
        ("", "error", "no alt-text"),
        ("   ", "error", "no alt-text"),
        ("IMG_2041.jpg", "error", "file name"),
        ("img_2041", "error", "file name"),
        ("DSC00012", "error", "file name"),
        ("zdjęcie", "error", "only names the medium"),
        ("Zdjęcie.", "error", "only names the medium"),
        ("image", "error", "only names the medium"),
        ("Foto", "error", "only names the medium"),
        ("Zdjęcie przedstawia rynek w Mszczonowie", "warning", "screen readers"),
        ("Image of the market square", "warning", "screen readers"),
        ("Rynek " + "bardzo " * 45 + "szeroki", "warning", "long description"),
    ],
)
def test_bad_alt_text_is_caught(alt_text, severity, fragment):
    problems = alt_text_problems(image(alt_text))
    assert [p[0] for p in problems] == [severity]
    assert fragment in problems[0][1]


@pytest.mark.parametrize(
    "alt_text",
    ["Rynek w Mszczonowie zimą, widok od kościoła", "Zdjęcia ślubne w albumie na stole", "Imagine"],
)
def test_good_alt_text_passes(alt_text):
    assert alt_text_problems(image(alt_text)) == []


def test_english_alt_text_may_be_empty_but_not_meaningless():
    assert alt_text_problems(image("Rynek", alt_text_en=""), "alt_text_en") == []
    [(severity, message)] = alt_text_problems(image("Rynek", alt_text_en="photo"), "alt_text_en")
    assert severity == "error" and "English alt-text" in message


def test_maps_and_documents_are_asked_for_a_long_description():
    item = ItemFactory(item_type=ItemType.MAP)
    [problem] = media_problems(image("Plan Mszczonowa z 1820 roku"), item)
    assert problem.severity == "warning" and "long description" in problem.message
    assert media_problems(image("Plan", long_description="Plan miasta…"), item) == []


def test_recordings_need_a_transcript_and_videos_captions_before_publishing():
    item = ItemFactory(status=Status.DRAFT, item_type=ItemType.RECORDING)
    audio = MediaFileFactory(item=item, file=ContentFile(MP3, name="wywiad.mp3"))
    video = MediaFileFactory(item=item, file=ContentFile(MP4, name="film.mp4"))
    problems = publishing_problems(item)
    assert problems == [
        "wywiad.mp3: The recording has no transcript.",
        "film.mp4: The recording has no transcript. The video has no captions (WebVTT file).",
    ]
    audio.transcript = video.transcript = "Dzień dobry."
    video.captions = ContentFile(VTT, name="film.vtt")
    audio.save(), video.save()
    assert publishing_problems(item) == []
    assert video.captions.name.startswith("captions/") and video.captions.name.endswith(".vtt")


def test_published_media_with_a_meaningless_alt_text_is_refused():
    media = MediaFile(
        item=ItemFactory(),
        file=ContentFile(__import__("tests.factories").factories.image_bytes(), name="a.jpg"),
        alt_text="zdjęcie",
    )
    with pytest.raises(ValidationError) as excinfo:
        media.full_clean()
    assert "only names the medium" in " ".join(excinfo.value.message_dict["alt_text"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"1\n00:00:01.000 --> 00:00:02.000\nx\n", "first line must be"),
        (b"WEBVTT\n\n", "no cues"),
        (b"WEBVTT\n\xff\xfe", "UTF-8"),
    ],
)
def test_captions_must_be_webvtt(content, message):
    media = MediaFile(
        item=ItemFactory(status=Status.DRAFT),
        file=ContentFile(MP4, name="film.mp4"),
        captions=ContentFile(content, name="napisy.vtt"),
    )
    with pytest.raises(ValidationError) as excinfo:
        media.full_clean()
    assert message in " ".join(excinfo.value.message_dict["captions"])


def make_report_data():
    good = ItemFactory(identifier="MOK-1")
    MediaFileFactory(item=good, alt_text="Kościół od strony rynku")
    bad = ItemFactory(identifier="MOK-2")
    MediaFileFactory(item=bad, alt_text="zdjęcie")
    advice = ItemFactory(identifier="MOK-3")
    MediaFileFactory(item=advice, alt_text="Zdjęcie przedstawia remizę")
    draft = ItemFactory(identifier="MOK-4", status=Status.DRAFT)
    MediaFileFactory(item=draft, alt_text="")


def test_check_accessibility_lists_published_items_that_fall_short_and_exits_1():
    make_report_data()
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("check_accessibility", stdout=out)
    assert excinfo.value.returncode == 1
    assert "2 published items fall short: 1 errors, 1 warnings." in str(excinfo.value)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("MOK-2\tobraz.jpg\terror\t") and "only names" in lines[0]
    assert lines[1].startswith("MOK-3\tobraz.jpg\twarning\t")
    assert "MOK-1" not in out.getvalue() and "MOK-4" not in out.getvalue()


def test_check_accessibility_passes_with_warnings_only_unless_strict():
    MediaFileFactory(item=ItemFactory(identifier="MOK-3"), alt_text="Image of a fire station")
    out = io.StringIO()
    call_command("check_accessibility", stdout=out)
    assert "MOK-3" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("check_accessibility", "--strict", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_accessibility", "--errors-only", stdout=out)
    assert out.getvalue().strip() == "Every published item's media is accessible."


def test_admin_report_shows_the_same_list_and_is_linked_from_the_media_list(archivist_client):
    make_report_data()
    listing = archivist_client.get("/en/admin/media/mediafile/")
    assert 'href="/en/admin/media/mediafile/accessibility/"' in listing.content.decode()
    response = archivist_client.get("/en/admin/media/mediafile/accessibility/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 published items fall short" in html
    assert "MOK-2" in html and "only names the medium" in html
    assert "MOK-3" in html and "screen readers" in html
    assert "MOK-1" not in html and "MOK-4" not in html


def test_admin_report_is_for_staff_only(client):
    response = client.get("/en/admin/media/mediafile/accessibility/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- Alt-text without a letter or digit is missing alt-text, everywhere ---------------------

# Invisible or wordless: zero-width space, zero-width joiner, no-break space, byte-order mark,
# soft hyphen, ideographic space, a Hangul filler (a "letter" that shows nothing), control
# characters, punctuation, dashes, an ellipsis, a lone combining accent, symbols and emoji.
MEANINGLESS_ALT_TEXTS = [
    "\u200b",
    "\u200d\u200d",
    "\u00a0",
    "\ufeff",
    "\u00ad",
    "\u3000",
    "\u3164",
    "\t\r\n\x07",
    ".",
    "-",
    "—",
    "…",
    "?!",
    "\u0301",
    "★ ☆",
    "📷",
    "👨\u200d👩\u200d👧",
    "\u200b.\u00a0-\ufeff",
]


@pytest.mark.parametrize("alt_text", MEANINGLESS_ALT_TEXTS)
def test_alt_text_without_letters_or_digits_counts_as_missing(alt_text):
    from media.accessibility import has_meaningful_text

    assert not has_meaningful_text(alt_text)
    problems = alt_text_problems(image(alt_text))
    assert problems == [("error", "The image has no alt-text.")]


@pytest.mark.parametrize("alt_text", ["Ул. Гурна", "1920", "\u200bRynek\u200b", "Ż", "北京"])
def test_any_letter_or_digit_in_any_script_is_text(alt_text):
    from media.accessibility import has_meaningful_text

    assert has_meaningful_text(alt_text)


def test_english_alt_text_without_letters_is_an_error_not_a_silent_pass():
    [(severity, message)] = alt_text_problems(image("Rynek", alt_text_en="\u200b"), "alt_text_en")
    assert severity == "error" and "no letters or digits" in message


@pytest.mark.parametrize("alt_text", ["\u200b", ".", "\u00a0"])
def test_published_image_with_wordless_alt_text_is_refused_by_the_model(alt_text):
    from tests.factories import image_bytes

    media = MediaFile(
        item=ItemFactory(), file=ContentFile(image_bytes(), name="a.jpg"), alt_text=alt_text
    )
    with pytest.raises(ValidationError) as excinfo:
        media.full_clean()
    assert "needs alt-text" in " ".join(excinfo.value.message_dict["alt_text"])


def test_publishing_an_item_whose_image_has_wordless_alt_text_is_refused():
    item = ItemFactory(status=Status.DRAFT, identifier="MOK-ZW-1")
    MediaFileFactory(item=item, alt_text="\u200b", original_name="rynek.jpg")
    item.status = Status.PUBLISHED
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert "these images have no alt-text: rynek.jpg" in " ".join(
        excinfo.value.message_dict["status"]
    )


def test_check_accessibility_reports_wordless_alt_text():
    item = ItemFactory(identifier="MOK-ZW-2")
    MediaFileFactory(item=item, alt_text=".")  # saved without clean(), as old data may be
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_accessibility", stdout=out)
    assert out.getvalue().startswith("MOK-ZW-2\tobraz.jpg\terror\tThe image has no alt-text.")


def test_api_refuses_wordless_alt_text_on_a_published_image(admin_user):
    from rest_framework.test import APIClient

    media = MediaFileFactory(item=ItemFactory(identifier="MOK-ZW-3"))
    api = APIClient()
    api.force_authenticate(admin_user)
    response = api.patch(f"/api/v1/media/{media.pk}/", {"alt_text": "\u200b"}, format="json")
    assert response.status_code == 400
    assert "alt_text" in response.json()["errors"]
    media.refresh_from_db()
    assert media.alt_text == "Turkusowy prostokąt testowy"


def test_import_refuses_to_publish_an_image_with_wordless_alt_text(tmp_path, media_root):
    import csv

    from tests.factories import image_bytes

    (tmp_path / "rynek.jpg").write_bytes(image_bytes())
    path = tmp_path / "k.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["identifier", "title", "item_type", "status", "image", "alt_text"])
        writer.writerow(["MOK-ZW-4", "Rynek", "photograph", "published", "rynek.jpg", "\u200b"])
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not ItemFactory._meta.model.objects.filter(identifier="MOK-ZW-4").exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_admin_lists_wordless_alt_text_as_missing_and_warns_on_the_preview(archivist_client):
    MediaFileFactory(item__status=Status.DRAFT, alt_text="\u200b", original_name="zws.jpg")
    MediaFileFactory(alt_text="Opisany rynek", original_name="opisany.jpg")
    url = "/en/admin/media/mediafile/"
    missing = archivist_client.get(url, {"alt_text": "missing"}).content.decode()
    assert "zws.jpg" in missing and "opisany.jpg" not in missing
    assert "no alt-text" in missing
    present = archivist_client.get(url, {"alt_text": "present"}).content.decode()
    assert "opisany.jpg" in present and "zws.jpg" not in present
