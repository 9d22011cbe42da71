"""Serve stored media files, keeping the files of draft items private."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from archive.models import Item

from .models import MediaFile


@require_safe
def serve_media(request, name: str):
    media = (
        MediaFile.objects.filter(
            file=name, item__in=Item.objects.visible_to(request.user).values("pk")
        )
        .select_related("item")
        .first()
    )
    if media is None or not media.file.storage.exists(name):
        raise Http404("No such file.")
    response = FileResponse(media.file.open("rb"))
    # Originals are stored by checksum, so a name always means the same bytes.
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if media.item.is_published else "private, no-store"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
