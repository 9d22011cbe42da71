"""Background work of the media pipeline: producing derivatives and tiles.

Enqueued on commit whenever an image is stored or replaced (see media.models). With the
default ImmediateBackend it runs right after the commit; with a backend that records
nothing, `manage.py regenerate_derivatives --missing` does the same work, and the media
views produce a missing derivative on first request.
"""

from django_tasks import task

from . import derivatives


@task()
def generate_derivatives(media_id: int, force: bool = False) -> dict:
    from .models import MediaFile

    media = MediaFile.objects.filter(pk=media_id).first()
    if media is None:
        return {"media_id": media_id, "written": 0}
    written = derivatives.generate(media, force=force)
    return {"media_id": media_id, "written": len(written)}
