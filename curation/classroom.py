"""A lesson in the classroom: the pupils' worksheet to print and the ZIP to download
(curation/lesson_pack.py builds both). A draft lesson answers 404 to the public."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from . import lesson_pack
from .models import Lesson


def _lesson(request, slug: str) -> Lesson:
    return get_object_or_404(Lesson.objects.visible_to(request.user), slug=slug)


@require_safe
def worksheet(request, slug: str):
    lesson = _lesson(request, slug)
    sheet = lesson_pack.worksheet(lesson, request)
    return render(
        request,
        "curation/classroom/worksheet.html",
        {"lesson": lesson, "steps": sheet.steps, "credits": sheet.credits, "bundle": False},
    )


@require_safe
def download(request, slug: str):
    lesson = _lesson(request, slug)
    pack = lesson_pack.classroom_zip(lesson, request)
    response = FileResponse(
        pack.file,
        as_attachment=True,
        filename=lesson_pack.zip_filename(lesson),
        content_type="application/zip",
    )
    response["ETag"] = f'"{pack.fingerprint}"'
    return response
