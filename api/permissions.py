"""Who may do what through the API.

Everyone reads published records. Staff, and anyone who may view items (the roles
Katalogujący, Redaktor and Administrator, superusers), also read drafts. A write needs the
model permission for it, as in the admin: POST `add`, PUT/PATCH `change`, DELETE `delete`
of the record's model. What a write does to an item's status, and deleting a published
item, further needs `archive.publish_item` (archive/roles.py, checked by the item views and
serializer). Roles are groups (docs/roles.md); nothing here depends on a group's name.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def can_see_drafts(user) -> bool:
    """Staff and those who may view items see drafts; the public never does."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or user.has_perm("archive.view_item")


def view_model(view):
    """The model a view writes, or None for views that hold no records."""
    get_queryset = getattr(view, "get_queryset", None)
    if get_queryset is None:
        return None
    try:
        return get_queryset().model
    except AssertionError:  # a generic view without a queryset
        return None


class ModelPermissionsOthersRead(BasePermission):
    """Safe methods for everyone; a change needs the model permission for it."""

    message = _("You may not make this change: your account lacks the permission for it.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        model = view_model(view)
        action = ACTIONS.get(request.method)
        if model is None or action is None or request.method not in view.allowed_methods:
            # Nothing to write here: the view answers 405 to those who may write at all.
            return can_see_drafts(user)
        opts = model._meta
        return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
