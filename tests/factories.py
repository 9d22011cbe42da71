"""factory-boy factories shared by the whole suite."""

import io

import factory
from django.core.files.base import ContentFile
from PIL import Image

from archive.models import Agent, Item, ItemType, Place, Status, Subject
from curation.models import Collection, CollectionItem
from media.models import MediaFile


def image_bytes(width: int = 64, height: int = 48, fmt: str = "JPEG", color="teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, fmt)
    return buffer.getvalue()


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Temat {n}")
    slug = factory.Sequence(lambda n: f"temat-{n}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Miejsce {n}")
    slug = factory.Sequence(lambda n: f"miejsce-{n}")


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Osoba {n}")
    slug = factory.Sequence(lambda n: f"osoba-{n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    identifier = factory.Sequence(lambda n: f"TEST-{n:05d}")
    title = factory.Sequence(lambda n: f"Obiekt testowy {n}")
    item_type = ItemType.PHOTOGRAPH
    status = Status.PUBLISHED


class MediaFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaFile

    item = factory.SubFactory(ItemFactory)
    file = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="obraz.jpg"))
    alt_text = "Turkusowy prostokąt testowy"


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    title = factory.Sequence(lambda n: f"Kolekcja {n}")
    slug = factory.Sequence(lambda n: f"kolekcja-{n}")


class CollectionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionItem

    collection = factory.SubFactory(CollectionFactory)
    item = factory.SubFactory(ItemFactory)
