"""Who may do what through the API.

Everyone reads published records. Staff and archivists also read drafts. Only archivists
write: members of the "archivists" group (created by this app's migration) and superusers.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

ARCHIVISTS_GROUP = "archivists"


def is_archivist(user) -> bool:
    """True for active superusers and members of the archivists group (checked once a request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_kronika_is_archivist", None)
    if cached is None:
        cached = user.groups.filter(name=ARCHIVISTS_GROUP).exists()
        user._kronika_is_archivist = cached
    return cached


def can_see_drafts(user) -> bool:
    """Staff and archivists see drafts; the public never does."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or is_archivist(user)


class ArchivistsWriteOthersRead(BasePermission):
    """Safe methods for everyone; changes for archivists only."""

    message = "Only archivists may change records."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return is_archivist(request.user)
