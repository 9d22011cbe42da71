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

    The one place that reads the change log for the desk: the catalogue's versions
    (archive/audit.py), whatever the channel (admin, API, import, command). A change nobody
    signed (a command, an import run from the shell) is someone else's too.
    """
    since = timezone.now() - datetime.timedelta(days=days)
    versions = Item.history.filter(history_date__gte=since).exclude(
        history_user_id=getattr(user, "pk", None)
    )
    versions = versions.order_by("-history_date", "-history_id").values_list(
        "history_date", "history_username", "identifier", "title", "history_type", "id"
    )
    if limit is not None:
        versions = versions[:limit]
    rows = list(versions)
    still_there = set(
        Item.objects.filter(pk__in={row[5] for row in rows}).values_list("pk", flat=True)
    )
    changes = []
    for when, who, identifier, title, kind, pk in rows:
        action = {"+": "added", "-": "deleted"}.get(kind, "changed")
        present = pk in still_there
        changes.append(
            Change(
                when=when,
                who=who or str(_("system")),
                what=f"{identifier}: {title}",
                action=action,
                url=reverse("admin:archive_item_change", args=[pk]) if present else "",
                item_pk=pk if present else None,
            )
        )
    return changes


def items_changed_by_others(user, days: int = RECENT_DAYS) -> set[int]:
    """Pks of items (still there) that others changed in the last `days`."""
    return {c.item_pk for c in recent_changes(user, limit=None, days=days) if c.item_pk}


def recent_imports(limit: int = 5) -> list:
    """The newest import batches (admin page and command), newest first."""
    from .batches import ImportBatch

    return list(ImportBatch.objects.select_related("user").order_by("-created", "-pk")[:limit])


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
        "contributions": waiting_contributions(user),
    }


def waiting_contributions(user) -> dict | None:
    """Residents' contributions waiting for moderation, for those who may see them."""
    if not user.has_perm("contributions.view_contribution"):
        return None
    from contributions.models import Contribution

    return {
        "count": Contribution.objects.filter(state=Contribution.State.NEW).count(),
        "url": reverse("admin:contributions_contribution_changelist")
        + f"?state__exact={Contribution.State.NEW}",
    }
