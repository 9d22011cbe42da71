"""Factories of lessons and stories (tests/factories.py holds the catalogue's)."""

import factory

from archive.models import Status
from curation.models import Lesson, LessonStep, Story, StoryBlock, StoryBlockItem
from tests.factories import ItemFactory


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    title = factory.Sequence(lambda n: f"Lekcja {n}")
    slug = factory.Sequence(lambda n: f"lekcja-{n}")
    status = Status.PUBLISHED


class LessonStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonStep

    lesson = factory.SubFactory(LessonFactory)
    heading = factory.Sequence(lambda n: f"Krok {n}")
    order = factory.Sequence(lambda n: n)


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    title = factory.Sequence(lambda n: f"Opowieść {n}")
    slug = factory.Sequence(lambda n: f"opowiesc-{n}")
    status = Status.PUBLISHED


class StoryBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoryBlock

    story = factory.SubFactory(StoryFactory)
    kind = StoryBlock.Kind.TEXT
    order = factory.Sequence(lambda n: n)


class StoryBlockItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoryBlockItem

    block = factory.SubFactory(StoryBlockFactory, kind=StoryBlock.Kind.ITEM)
    item = factory.SubFactory(ItemFactory)
