"""What visitors get: <picture> with srcset, lazy loading, zoom, players, transcripts."""

import re

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from archive.models import Status
from media.public import public_media
from tests.factories import ItemFactory, MediaFileFactory
from tests.media import samples
from tests.media.conftest import picture

pytestmark = pytest.mark.django_db

MP3 = samples.mp3()
MP4 = samples.mp4()
VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nDzie\xc5\x84 dobry.\n"


def figure(media, first=True, request=None):
    context = {"media": media, "forloop": {"first": first}, "request": request}
    return render_to_string("includes/figure.html", context)


def test_figure_is_a_picture_with_webp_and_jpeg_srcsets(closed_licence):
    media = MediaFileFactory(
        item=ItemFactory(licence=closed_licence),
        file=ContentFile(picture(1500, 1000), name="rynek.jpg"),
        alt_text="Rynek zimą",
        caption="Rynek, 1930",
    )
    html = figure(media)
    urls = public_media(media)["derivatives"]
    assert '<source type="image/webp" srcset="' + f"{urls['webp']['320']} 320w" in html
    assert f'{urls["webp"]["1500"]} 1500w"' in html
    assert f'srcset="{urls["jpeg"]["320"]} 320w, {urls["jpeg"]["640"]} 640w' in html
    assert f'<img src="{urls["jpeg"]["640"]}"' in html
    assert 'sizes="(min-width: 72rem) 70rem, calc(100vw - 2rem)"' in html
    assert 'alt="Rynek zimą"' in html and 'width="1500" height="1000"' in html
    assert 'loading="lazy"' not in html
    assert "originals/" not in html  # an In Copyright original is never linked
    assert "Rynek, 1930" in html


def test_figures_after_the_first_load_lazily():
    assert 'loading="lazy"' in figure(MediaFileFactory(), first=False)


def test_open_licence_figure_offers_the_original_for_download(open_licence):
    media = MediaFileFactory(item=ItemFactory(licence=open_licence))
    html = figure(media)
    url = reverse(
        "archive:item-download",
        kwargs={"identifier": media.item.identifier, "media_id": media.pk, "size": "original"},
    )
    # Through the download view, which names the file after the item (media/downloads.py).
    assert f'<a href="{url}" download>original (64×48 px)</a>' in html
    assert media.file.url not in html


def test_large_images_get_the_zoom_viewer_without_inline_script_or_style(zoom_small):
    media = MediaFileFactory(file=ContentFile(picture(900, 700), name="mapa.jpg"))
    request = RequestFactory().get("/")
    html = figure(media, request=request) + figure(media, request=request)
    assert f'data-zoom-info="/iiif/image/{media.checksum}/info.json"' in html
    # The viewer library is fetched by zoom.js only when a visitor opens the viewer.
    assert 'data-zoom-script="/static/vendor/openseadragon/openseadragon.min.js"' in html
    assert html.count('<script src="/static/js/zoom.js" defer></script>') == 1
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in html and "<style" not in html
    # Phones get a preview of at most 640 px, whatever their pixel density.
    urls = public_media(media)["derivatives"]
    assert (
        f'<source type="image/webp" media="(max-width: 40rem)" srcset="{urls["webp"]["320"]} '
        f'320w, {urls["webp"]["640"]} 640w" sizes="100vw">'
    ) in html
    # Without JavaScript the picture stays, with a link to a larger copy.
    assert "Open a larger version (900 pixels wide)" in html


def test_small_images_have_no_zoom():
    html = figure(MediaFileFactory())
    assert "data-zoom-info" not in html and "<script" not in html


def test_other_media_have_players_transcript_and_captions():
    item = ItemFactory(status=Status.DRAFT)
    audio = MediaFileFactory(
        item=item, file=ContentFile(MP3, name="wywiad.mp3"), transcript="Pamiętam rynek."
    )
    video = MediaFileFactory(
        item=item,
        file=ContentFile(MP4, name="film.mp4"),
        transcript="Strażacy ćwiczą.",
        captions=ContentFile(VTT, name="film.vtt"),
        caption="Ćwiczenia straży",
    )
    pdf = MediaFileFactory(item=item, file=ContentFile(samples.pdf(), name="akt.pdf"))
    html = render_to_string("includes/media_other.html", {"others": [audio, video, pdf]})
    assert f'<audio controls preload="none" src="{audio.file.url}"' in html
    assert f'<video controls preload="none" src="{video.file.url}"' in html
    assert f'<track kind="captions" src="{video.captions.url}" srclang="pl"' in html
    assert "<summary>Transcript</summary>" in html and "Pamiętam rynek." in html
    assert f'<a class="document-link" href="{pdf.file.url}">' in html
    assert 'aria-hidden="true"' in html  # the PDF icon is decoration; the link has text
    assert "Open the document “akt.pdf” (PDF)" in html


def test_captions_file_is_served_for_published_items_only(
    client, django_capture_on_commit_callbacks
):
    video = MediaFileFactory(
        item=ItemFactory(status=Status.DRAFT),
        file=ContentFile(MP4, name="film.mp4"),
        captions=ContentFile(VTT, name="film.vtt"),
    )
    assert client.get(video.captions.url).status_code == 404
    video.item.status = Status.PUBLISHED
    video.item.save()
    response = client.get(video.captions.url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/vtt")
