"""Public pages of lessons and stories (a first version: the narratives' pages are built
out in their own work; the addresses are the contract's)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .models import Lesson, Story


@require_safe
def lesson_list(request):
    lessons = Lesson.objects.published().order_by("title")
    return render(request, "curation/lesson_list.html", {"lessons": lessons})


@require_safe
def lesson_detail(request, slug: str):
    lesson = get_object_or_404(Lesson.objects.visible_to(request.user), slug=slug)
    return render(request, "curation/lesson_detail.html", {"lesson": lesson})


@require_safe
def story_list(request):
    stories = Story.objects.published().order_by("title")
    return render(request, "curation/story_list.html", {"stories": stories})


@require_safe
def story_detail(request, slug: str):
    story = get_object_or_404(Story.objects.visible_to(request.user), slug=slug)
    return render(request, "curation/story_detail.html", {"story": story})
