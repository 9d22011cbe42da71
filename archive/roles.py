"""Staff roles and the publishing rule, in one place for every channel.

The three roles are groups made by the migration `archive/0013_roles`; their names are
data (shown as they are in the admin, in Polish), so nothing checks a group's name: every
channel asks for permissions. Only `archive.publish_item` makes an item public or private
again, and only it lets a published item be deleted. The admin form and actions, the API,
the importer (`import_catalogue --user`, the admin's import page) all call the functions
below; `user=None` is the system itself (a command run without --user), which may do all.
Lessons and stories follow the same rule with their own permissions
(`curation.publish_lesson`, `curation.publish_story`): every function takes the permission,
items' is the default. See docs/roles.md.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Status

# Group names (the admin shows them as they are). English names in docs and code comments:
# cataloguer, editor, administrator.
CATALOGUER = "Katalogujący"
EDITOR = "Redaktor"
ADMINISTRATOR = "Administrator"
ROLES = (CATALOGUER, EDITOR, ADMINISTRATOR)

PUBLISH_PERMISSION = "archive.publish_item"


def can_publish(user, permission: str = PUBLISH_PERMISSION) -> bool:
    """May make items (or what `permission` publishes) public and private again, and delete
    published ones."""
    if user is None:
        return True
    return bool(user.is_active and user.has_perm(permission))


def can_change_status(
    user, old: str | None, new: str, permission: str = PUBLISH_PERMISSION
) -> bool:
    """May this user move an item (a lesson, a story: `permission`) from status `old`
    (None: a new one) to `new`?

    Without the publishing right: any move between draft and "ready for review", and
    keeping a published item published while correcting it; never into or out of
    "published".
    """
    old = old or Status.DRAFT
    if old == new or can_publish(user, permission):
        return True
    return Status.PUBLISHED not in (old, new)


def status_change_refusal(old: str | None, new: str, permission: str = PUBLISH_PERMISSION) -> str:
    """Why `can_change_status` said no, in the user's language."""
    if permission != PUBLISH_PERMISSION:
        if (old or Status.DRAFT) == Status.PUBLISHED:
            return _(
                "You may not unpublish this: only an editor (the Redaktor group) can make it "
                "private again."
            )
        return _(
            "You may not publish this: only an editor (the Redaktor group) can publish. Set "
            "the status to “ready for review” instead."
        )
    if (old or Status.DRAFT) == Status.PUBLISHED:
        return _(
            "You may not unpublish items: only an editor (the Redaktor group) can make a "
            "published item private again."
        )
    return _(
        "You may not publish items: only an editor (the Redaktor group) can publish. Set the "
        "status to “ready for review” instead."
    )


def allowed_statuses(user, current: str | None, permission: str = PUBLISH_PERMISSION) -> list[str]:
    """The statuses an item (…) with status `current` (None: a new one) may be given."""
    return [value for value in Status.values if can_change_status(user, current, value, permission)]


def can_delete_item(user, item, permission: str = PUBLISH_PERMISSION) -> bool:
    """Deleting a published item (lesson, story) takes it off the site: it needs the
    publishing right."""
    return item.status != Status.PUBLISHED or can_publish(user, permission)


def delete_refusal() -> str:
    return _(
        "You may not delete published items: only an editor (the Redaktor group) can. Ask an "
        "editor to unpublish or delete it."
    )
