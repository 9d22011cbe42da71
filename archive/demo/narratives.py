"""Load the demo lessons and stories (archive.demo.lessons), idempotently.

Upserted by slug; a lesson's steps and references, or a story's blocks, are rewritten only
when they differ from the data, and a record is saved only when a value differs, so a
second run writes nothing. Each is published through `Narrative.publish()`, which refuses
an unpublished item.
"""

from __future__ import annotations

from archive.models import Item, Status
from curation.models import (
    Audience,
    CurriculumReference,
    Lesson,
    LessonStep,
    SchoolSubject,
    Story,
    StoryBlock,
    StoryBlockItem,
)

from .lessons import LESSONS, STORIES

STEP_FIELDS = ("heading", "heading_en", "text", "text_en", "tasks", "tasks_en")
BLOCK_FIELDS = ("kind", "heading", "heading_en", "text", "text_en", "source")


def _apply(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _narrative(model, data: dict, items: dict[str, Item], extra: dict) -> tuple:
    values = {
        "title": data["title"],
        "title_en": data["title_en"],
        "summary": data["summary"],
        "summary_en": data["summary_en"],
        "author": data["author"],
        "cover_item": items[data["cover"]],
        **extra,
    }
    narrative = model.objects.filter(slug=data["slug"]).first()
    created = narrative is None
    if created:
        narrative = model(slug=data["slug"], status=Status.DRAFT)
    if _apply(narrative, values) or created:
        narrative.full_clean()
        narrative.save()
    return narrative, created


def _set_codes(manager, model, codes: list[str]) -> None:
    wanted = list(model.objects.filter(code__in=codes))
    if {obj.code for obj in wanted} != set(codes):
        raise ValueError(f"Unknown {model._meta.verbose_name} in {codes}; migrate first.")
    if set(manager.values_list("pk", flat=True)) != {obj.pk for obj in wanted}:
        manager.set(wanted)


def load_lesson(data: dict, items: dict[str, Item]) -> Lesson:
    lesson, _created = _narrative(
        Lesson,
        data,
        items,
        {
            "duration_minutes": data["duration_minutes"],
            "goals": data["goals"],
            "goals_en": data["goals_en"],
            "teacher_notes": data["teacher_notes"],
            "teacher_notes_en": data["teacher_notes_en"],
        },
    )
    _set_codes(lesson.audiences, Audience, data["audiences"])
    _set_codes(lesson.school_subjects, SchoolSubject, data["subjects"])
    subjects = {s.code: s for s in SchoolSubject.objects.all()}
    references = [
        (subjects[ref["subject"]].pk, ref["stage"], ref.get("requirement", ""), ref["text"])
        for ref in data["curriculum"]
    ]
    current = list(
        lesson.curriculum_references.values_list("school_subject", "stage", "requirement", "text")
    )
    if current != references:
        lesson.curriculum_references.all().delete()
        for order, (subject, stage, requirement, text) in enumerate(references):
            reference = CurriculumReference(
                lesson=lesson,
                school_subject_id=subject,
                stage=stage,
                requirement=requirement,
                text=text,
                order=order,
            )
            reference.full_clean()
            reference.save()
    steps = [
        (*(step.get(name, "") for name in STEP_FIELDS), items[step["item"]].pk)
        for step in data["steps"]
    ]
    if list(lesson.steps.values_list(*STEP_FIELDS, "item")) != steps:
        lesson.steps.all().delete()
        for order, row in enumerate(steps):
            step = LessonStep(lesson=lesson, order=order, item_id=row[-1])
            _apply(step, dict(zip(STEP_FIELDS, row[:-1], strict=True)))
            step.full_clean()
            step.save()
        lesson.save(update_fields=["modified"])  # what search's lesson corpus follows
    if lesson.status != Status.PUBLISHED:
        lesson.publish()
    return lesson


def load_story(data: dict, items: dict[str, Item]) -> Story:
    story, _created = _narrative(Story, data, items, {})
    wanted = [
        (
            tuple(block.get(name, "") for name in BLOCK_FIELDS),
            [
                (items[e["item"]].pk, e.get("caption", ""), e.get("caption_en", ""))
                for e in block.get("entries", [])
            ],
        )
        for block in data["blocks"]
    ]
    current = [
        (
            tuple(getattr(block, name) for name in BLOCK_FIELDS),
            [(e.item_id, e.caption, e.caption_en) for e in block.entries.all()],
        )
        for block in story.blocks.prefetch_related("entries")
    ]
    if current != wanted:
        story.blocks.all().delete()
        for order, (fields, entries) in enumerate(wanted):
            block = StoryBlock(story=story, order=order)
            _apply(block, dict(zip(BLOCK_FIELDS, fields, strict=True)))
            block.full_clean()
            block.save()
            for position, (item, caption, caption_en) in enumerate(entries):
                entry = StoryBlockItem(
                    block=block, item_id=item, caption=caption, caption_en=caption_en,
                    order=position,
                )  # fmt: skip
                entry.full_clean()
                entry.save()
        story.save(update_fields=["modified"])
    if story.status != Status.PUBLISHED:
        story.publish()
    return story


def narratives_loaded() -> bool:
    """Whether every demo lesson and story exists (whatever state it is in now)."""
    lessons = Lesson.objects.filter(slug__in=[data["slug"] for data in LESSONS]).count()
    stories = Story.objects.filter(slug__in=[data["slug"] for data in STORIES]).count()
    return lessons == len(LESSONS) and stories == len(STORIES)


def load_narratives(items: dict[str, Item]) -> None:
    """Every demo lesson and story, built on the demo items (by identifier)."""
    for data in LESSONS:
        load_lesson(data, items)
    for data in STORIES:
        load_story(data, items)
