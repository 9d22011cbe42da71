"""Public pages of lessons and stories: lists (lessons filtered by audience and subject)
and the pages themselves. Drafts are private: a 404 for the public, a preview with a
"draft" notice for staff (`NarrativeQuerySet.visible_to`)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from archive.models import Item

from .filters import LessonFilter
from .models import Lesson, Story

# A card's cover: the first image of its cover item (templates check it is published).
COVER = Prefetch("cover_item", queryset=Item.objects.prefetch_related("media_files"))


@require_safe
def lesson_list(request):
    lessons = (
        Lesson.objects.published()
        .order_by("title")
        .prefetch_related("audiences", "school_subjects", COVER)
    )
    filters = LessonFilter(request.GET or None, queryset=lessons)
    return render(
        request,
        "curation/lesson_list.html",
        {"filters": filters, "lessons": filters.qs, "filtered": filters.is_bound},
    )


@require_safe
def lesson_detail(request, slug: str):
    lessons = Lesson.objects.visible_to(request.user).prefetch_related(
        "audiences", "school_subjects", COVER
    )
    lesson = get_object_or_404(lessons, slug=slug)
    context = {
        "lesson": lesson,
        "steps": lesson.steps_for_display(request.user),
        "references": lesson.curriculum_references.select_related("school_subject"),
    }
    return render(request, "curation/lesson_detail.html", context)


@require_safe
def story_list(request):
    stories = Story.objects.published().order_by("title").prefetch_related(COVER)
    return render(request, "curation/story_list.html", {"stories": stories})


@require_safe
def story_detail(request, slug: str):
    story = get_object_or_404(
        Story.objects.visible_to(request.user).prefetch_related(COVER), slug=slug
    )
    context = {"story": story, "blocks": story.blocks_for_display(request.user)}
    return render(request, "curation/story_detail.html", context)
