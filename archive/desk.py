"""The archivist's desk: the work waiting in the catalogue, shown on the admin's home page.

Each queue is a rule about items written once here (`ATTENTION`), used both to count (one
aggregate query for all of them) and to filter the items list (archive/admin_filters.py),
so the number on the desk is the number of rows behind its link.

What "missing" means:
- date: no date (EDTF) at all;
- place: no place linked;
- description: no Polish description;
- rights: the licence is the catalogue's default, "In Copyright", and no rights holder is
  named. The licence is never empty (every item gets InC by default), so an item whose
  rights nobody has looked at is one that still has both defaults; naming the holder, or
  choosing another licence, takes it off the list;
- accessibility: an image, recording or video with an *error* of the accessibility rules
  (media/accessibility.py, the rules `check_accessibility` applies), any status.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Item, Status

# How far back "recent changes by others" reaches.
RECENT_DAYS = 7
RECENT_LIMIT = 10


def _no_place() -> Q:
    return ~Q(Exists(Item.places.through.objects.filter(item_id=OuterRef("pk"))))


# {name in the URL (?attention=…): (label, rule)}. The rules are functions returning a Q:
# Exists needs a fresh OuterRef per query.
ATTENTION: dict[str, tuple[str, Callable[[], Q]]] = {
    "date": (_("no date"), lambda: Q(date="")),
    "place": (_("no place"), _no_place),
    "description": (_("no description"), lambda: Q(description="")),
    "rights": (
        _("rights not stated (In Copyright, no rights holder)"),
        lambda: Q(licence__code="InC", rights_holder=""),
    ),
}
ACCESSIBILITY = "accessibility"
CHANGED_BY_OTHERS = "changed-by-others"


def attention_rule(name: str) -> Q:
    """The filter for one of the ATTENTION queues."""
    return ATTENTION[name][1]()


def items_failing_accessibility(items=None) -> set[int]:
    """Pks of items whose media have an accessibility error (the check_accessibility rules)."""
    from media.accessibility import accessibility_report

    return {item.pk for item, _problems in accessibility_report(items, include_warnings=False)}


@dataclass(frozen=True)
class Queue:
    """One line of the desk: what, how many, and the filtered items list behind it."""

    name: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Change:
    """One recent change by someone else, as the desk lists it."""

    when: datetime.datetime
    who: str
    what: str
    action: str  # "added" | "changed" | "deleted"
    url: str  # the item's change page ("" for a deleted item)
    item_pk: int | None


def queues(changelist_url: str) -> list[Queue]:
    """Every queue with its count: one aggregate query plus one read of the media."""
    counts = Item.objects.aggregate(
        review=Count("pk", filter=Q(status=Status.REVIEW)),
        **{name: Count("pk", filter=attention_rule(name)) for name in ATTENTION},
    )
    failing = len(items_failing_accessibility())
    result = [
        Queue(
            "review",
            _("ready for review"),
            counts["review"],
            f"{changelist_url}?status__exact={Status.REVIEW}",
        ),
        Queue(
            ACCESSIBILITY,
            _("media failing the accessibility checks"),
            failing,
            f"{changelist_url}?attention={ACCESSIBILITY}",
        ),
    ]
    for name, (label, _rule) in ATTENTION.items():
        result.append(Queue(name, label, counts[name], f"{changelist_url}?attention={name}"))
    return result


def recent_changes(user, limit: int | None = RECENT_LIMIT, days: int = RECENT_DAYS) -> list[Change]:
    """Changes to items made by other people in the last `days`, newest first.

    The one place that reads the change log for the desk (Django's admin LogEntry today);
    when the catalogue's own history tables land, only this function changes.
    """
    since = timezone.now() - datetime.timedelta(days=days)
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Item), action_time__gte=since
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("-action_time", "-pk")
    )
    if limit is not None:
        entries = entries[:limit]
    changes = []
    for entry in entries:
        action = "added" if entry.is_addition() else "deleted" if entry.is_deletion() else "changed"
        pk = int(entry.object_id) if (entry.object_id or "").isdigit() else None
        url = reverse("admin:archive_item_change", args=[pk]) if pk and action != "deleted" else ""
        changes.append(
            Change(
                when=entry.action_time,
                who=entry.user.get_full_name() or entry.user.get_username(),
                what=entry.object_repr,
                action=action,
                url=url,
                item_pk=pk,
            )
        )
    return changes


def items_changed_by_others(user, days: int = RECENT_DAYS) -> set[int]:
    """Pks of items (still there) that others changed in the last `days`."""
    return {c.item_pk for c in recent_changes(user, limit=None, days=days) if c.item_pk}


def recent_imports(limit: int = 5) -> list | None:
    """Recent import batches for the desk, or None while Kronika has no import batches.

    LEAD: wire the imports part's ImportBatch here (newest first, `limit` of them) and give
    `templates/admin/archive/desk/imports.html` its fields; the desk shows the section only
    when this returns a list.
    """
    return None


def desk(user) -> dict:
    """Everything the admin's home page shows an archivist, for `user`."""
    changelist = reverse("admin:archive_item_changelist")
    changes = recent_changes(user, limit=None)
    return {
        "queues": queues(changelist),
        "changes": changes[:RECENT_LIMIT],
        "changes_url": f"{changelist}?attention={CHANGED_BY_OTHERS}",
        "changes_count": len({c.item_pk for c in changes if c.item_pk}),
        "recent_days": RECENT_DAYS,
        "imports": recent_imports(),
    }
