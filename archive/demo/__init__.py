"""Load the demo catalogue of Mszczonów: upsert by identifier and slug, idempotently.

The data lives in `archive.demo.items` (and the lessons and stories built on it in
`archive.demo.lessons`, loaded by `archive.demo.narratives`). Loading goes through the model layer
(`full_clean()`, `Item.publish()`) so the demo obeys the same rules as an archivist's
work. A second run changes nothing: rows are written only when a value differs, and each
image is a deterministic placeholder card stored under its checksum, so no file is added
twice.
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from archive.models import Agent, Item, ItemCreator, Licence, Place, Status, Subject
from curation.models import Collection, CollectionItem
from media.models import MediaFile, original_path
from media.placeholders import PLACEHOLDER_HEADING, render_placeholder_card
from media.validation import Inspection, inspect_upload

from .items import AGENTS, COLLECTIONS, ITEMS, PLACES, SOURCES, SUBJECTS
from .narratives import load_narratives, narratives_loaded

# How each type is named on the card and in the alt-text.
TYPE_LABELS: dict[str, tuple[str, str]] = {
    "photograph": ("fotografia", "photograph"),
    "document": ("dokument", "document"),
    "monument": ("zabytek", "monument"),
    "artifact": ("obiekt", "artifact"),
    "map": ("mapa", "map"),
    "recording": ("nagranie", "recording"),
    "tradition": ("tradycja", "tradition"),
    "publication": ("publikacja", "publication"),
    "artwork": ("dzieło sztuki", "artwork"),
}
CARD_MARK = "-karta-zastepcza"
# Bump when the card's design changes, so existing cards are re-rendered once.
CARD_VERSION = "1"


@dataclass
class DemoResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    images_added: int = 0
    images_removed: int = 0
    skipped: bool = False

    @property
    def items(self) -> int:
        return self.created + self.updated + self.unchanged


def demo_identifiers() -> list[str]:
    return [data["identifier"] for data in ITEMS]


def is_loaded() -> bool:
    """True when every demo item, lesson and story is already in the catalogue (the marker
    for `--once`; a catalogue loaded before the lessons existed gets them on the next run)."""
    identifiers = demo_identifiers()
    if Item.objects.filter(identifier__in=identifiers).count() != len(identifiers):
        return False
    return narratives_loaded()


def source_text(keys: Iterable[str]) -> str:
    """The `source` field: one line per source, title and address."""
    return "\n".join(f"{SOURCES[key][0]} — {SOURCES[key][1]}" for key in keys)


def card_for(data: dict) -> bytes:
    """The placeholder card of an item (PNG bytes, the same on every run)."""
    polish, english = TYPE_LABELS[data["item_type"]]
    return render_placeholder_card(
        data["title"],
        f"{polish} · {english}",
        data["identifier"],
        item_type=data["item_type"],
    )


def card_name(data: dict) -> str:
    """The card's file name; it changes whenever what is drawn on the card changes.

    A re-run recognises an up-to-date card by this name and skips rendering it.
    """
    drawn = "\x1f".join(
        [
            CARD_VERSION,
            data["identifier"],
            data["item_type"],
            data["title"],
            *TYPE_LABELS[data["item_type"]],
        ]
    )
    digest = hashlib.sha256(drawn.encode()).hexdigest()[:12]
    return f"{data['identifier']}{CARD_MARK}-{digest}.png"


def card_texts(data: dict) -> dict[str, str]:
    """Alt-text and caption that say what the card shows, not what the object looks like."""
    polish, english = TYPE_LABELS[data["item_type"]]
    title, title_en, identifier = data["title"], data["title_en"], data["identifier"]
    return {
        "alt_text": (
            f"Karta zastępcza z napisem: „{PLACEHOLDER_HEADING}”, typ „{polish}”, tytuł "
            f"„{title}” i sygnatura {identifier}. To nie jest zdjęcie ani skan obiektu."
        )[:500],
        "alt_text_en": (
            f"Placeholder card reading “{PLACEHOLDER_HEADING}”, type “{english}”, the Polish "
            f"title “{title}” and the identifier {identifier}. Not a photograph or scan of the "
            f"object."
        )[:500],
        "caption": "Ilustracja zastępcza — archiwum nie ma wizerunku tego obiektu.",
        "caption_en": f"Placeholder — the archive holds no picture of “{title_en}”."[:500],
        "credit": "Karta wygenerowana przez Kronikę (CC0)",
    }


@functools.lru_cache(maxsize=256)
def _inspect_card(content: bytes) -> Inspection:
    """The upload checks every file gets, once per distinct card in a process."""
    return inspect_upload(ContentFile(content, name="card.png"))


def _apply(obj, values: dict) -> bool:
    """Set the values that differ; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _coordinate(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.000001"))


def _upsert_vocabulary(model, slug: str, values: dict):
    obj = model.objects.filter(slug=slug).first() or model(slug=slug)
    if obj.pk is None or _apply(obj, values):
        _apply(obj, values)
        obj.full_clean()
        obj.save()
    return obj


class DemoLoader:
    """One load of the demo catalogue; `run()` does it in a single transaction."""

    def __init__(self, progress: Callable[[Iterable], Iterable] | None = None) -> None:
        self.progress = progress or (lambda iterable: iterable)
        self.result = DemoResult()

    def run(self) -> DemoResult:
        with transaction.atomic():
            licences = {licence.code: licence for licence in Licence.objects.all()}
            subjects = self._subjects()
            places = self._places()
            agents = self._agents()
            items: dict[str, Item] = {}
            for data in self.progress(ITEMS):
                items[data["identifier"]] = self._item(data, licences, subjects, places, agents)
            self._related(items)
            self._collections(items)
            load_narratives(items)
        return self.result

    # Vocabularies --------------------------------------------------------------------------

    def _subjects(self) -> dict[str, Subject]:
        return {
            key: _upsert_vocabulary(Subject, key, {"name": name, "name_en": name_en})
            for key, (name, name_en) in SUBJECTS.items()
        }

    def _places(self) -> dict[str, Place]:
        return {
            key: _upsert_vocabulary(
                Place,
                key,
                {
                    "name": name,
                    "name_en": name_en,
                    "latitude": _coordinate(lat),
                    "longitude": _coordinate(lon),
                },
            )
            for key, (name, name_en, lat, lon) in PLACES.items()
        }

    def _agents(self) -> dict[str, Agent]:
        return {key: _upsert_vocabulary(Agent, key, values) for key, values in AGENTS.items()}

    # Items ---------------------------------------------------------------------------------

    def _item(self, data: dict, licences, subjects, places, agents) -> Item:
        identifier = data["identifier"]
        if data["licence"] not in licences:
            raise ValueError(f"Licence {data['licence']} is missing; run the migrations first.")
        values = {
            "title": data["title"],
            "title_en": data["title_en"],
            "item_type": data["item_type"],
            "date": data["date"],
            "description": data["description"],
            "description_en": data["description_en"],
            "licence": licences[data["licence"]],
            "rights_holder": data["rights_holder"],
            "source": source_text(data["sources"]),
        }
        item = Item.objects.filter(identifier=identifier).first()
        created = item is None
        if created:
            item = Item(identifier=identifier, status=Status.DRAFT)
        changed = _apply(item, values)
        if created or changed:
            item.full_clean()
            item.save()
        changed |= self._set_many(item.subjects, [subjects[key] for key in data["subjects"]])
        changed |= self._set_many(item.places, [places[key] for key in data["places"]])
        changed |= self._creators(item, [(agents[key], role) for key, role in data["creators"]])
        changed |= self._media(item, data)
        if item.status != Status.PUBLISHED:
            item.publish()
            changed = True
        if created:
            self.result.created += 1
        elif changed:
            self.result.updated += 1
        else:
            self.result.unchanged += 1
        return item

    @staticmethod
    def _set_many(manager, objects: list) -> bool:
        wanted = {obj.pk for obj in objects}
        if set(manager.values_list("pk", flat=True)) == wanted:
            return False
        manager.set(objects)
        return True

    @staticmethod
    def _creators(item: Item, wanted: list[tuple[Agent, str]]) -> bool:
        current = {(ic.agent_id, ic.role): ic for ic in item.item_creators.all()}
        wanted_keys = [(agent.pk, role) for agent, role in wanted]
        changed = False
        for key, link in current.items():
            if key not in wanted_keys:
                link.delete()
                changed = True
        for order, (agent_pk, role) in enumerate(wanted_keys):
            link = current.get((agent_pk, role))
            if link is None:
                link = ItemCreator(item=item, agent_id=agent_pk, role=role, order=order)
            elif link.order == order:
                continue
            link.order = order
            link.full_clean()
            link.save()
            changed = True
        return changed

    def _media(self, item: Item, data: dict) -> bool:
        """Keep exactly one current placeholder card on the item (none if it has no image)."""
        original_name = card_name(data) if data["image"] else None
        cards = list(
            item.media_files.filter(original_name__startswith=f"{data['identifier']}{CARD_MARK}")
        )
        changed = False
        keep = None
        for card in cards:
            if keep is None and card.original_name == original_name:
                keep = card
            else:
                # An outdated card (its title or design changed), or the item has no image now.
                card.delete()
                self.result.images_removed += 1
                changed = True
        if original_name is None:
            return changed
        texts = card_texts(data)
        if keep is not None:
            if not keep.file.storage.exists(keep.file.name):
                # The row survived but its file did not (e.g. the media folder was wiped).
                self._store(keep, card_for(data))
            if _apply(keep, texts):
                keep.full_clean()
                keep.save()
                changed = True
            return changed
        content = card_for(data)
        inspection = _inspect_card(content)
        card = MediaFile(
            item=item,
            original_name=original_name,
            kind=inspection.kind,
            width=inspection.width,
            height=inspection.height,
            size=inspection.size,
            checksum=inspection.checksum,
            order=0,
            **texts,
        )
        changed = True
        card.file.name = self._store(card, content)
        card.full_clean()
        card.save()
        self.result.images_added += 1
        return changed

    @staticmethod
    def _store(card: MediaFile, content: bytes) -> str:
        """Write the card under its checksum path, reusing an identical file left on disk."""
        storage = card.file.storage
        name = original_path(card, card.original_name)
        if storage.exists(name):
            with storage.open(name, "rb") as existing:
                if existing.read() == content:
                    return name
            storage.delete(name)
        return storage.save(name, io.BytesIO(content))

    def _related(self, items: dict[str, Item]) -> None:
        """Related items are symmetrical: a link named on either side is kept on both."""
        wanted: dict[str, set[str]] = {identifier: set() for identifier in items}
        for data in ITEMS:
            for other in data["related"]:
                wanted[data["identifier"]].add(other)
                wanted[other].add(data["identifier"])
        for identifier, item in items.items():
            targets = [items[other] for other in sorted(wanted[identifier])]
            self._set_many(item.related_items, targets)

    # Collections ---------------------------------------------------------------------------

    def _collections(self, items: dict[str, Item]) -> None:
        collections: dict[str, Collection] = {}
        for data in COLLECTIONS:
            values = {
                "title": data["title"],
                "title_en": data["title_en"],
                "description": data["description"],
                "description_en": data["description_en"],
                "parent": collections[data["parent"]] if data["parent"] else None,
                "order": data["order"],
                "cover_item": items[data["cover"]],
            }
            collection = Collection.objects.filter(slug=data["slug"]).first()
            if collection is None:
                collection = Collection(slug=data["slug"])
            if collection.pk is None or _apply(collection, values):
                _apply(collection, values)
                collection.full_clean()
                collection.save()
            collections[data["slug"]] = collection
            members = {m.item_id: m for m in collection.memberships.all()}
            for order, identifier in enumerate(data["items"]):
                membership = members.get(items[identifier].pk)
                if membership is None:
                    membership = CollectionItem(
                        collection=collection, item=items[identifier], order=order
                    )
                elif membership.order == order:
                    continue
                membership.order = order
                membership.full_clean()
                membership.save()


def load_demo(progress: Callable[[Iterable], Iterable] | None = None) -> DemoResult:
    """Load (or bring up to date) the demo catalogue; the same result on every run."""
    return DemoLoader(progress).run()


__all__ = [
    "DemoResult",
    "card_for",
    "card_texts",
    "demo_identifiers",
    "is_loaded",
    "load_demo",
]
