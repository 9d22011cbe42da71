"""The publishing rule in the item admin (archive/roles.py): the status a user may choose,
the publish/unpublish actions for those with `archive.publish_item`, and deleting. Lessons
and stories use the same mixins with their own permission (`publish_permission`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .roles import (
    PUBLISH_PERMISSION,
    allowed_statuses,
    can_change_status,
    can_delete_item,
    can_publish,
    status_change_refusal,
)


class StatusRightsFormMixin:
    """Offers only the statuses the user may give this item, and refuses any other even if
    it is posted (a forged form)."""

    publishing_user = None
    publish_permission = PUBLISH_PERMISSION

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("status")
        if field is not None:
            allowed = allowed_statuses(
                self.publishing_user, self.stored_status(), self.publish_permission
            )
            field.widget.choices = [(v, label) for v, label in field.choices if v in allowed]

    def stored_status(self) -> str | None:
        return self.instance.status if self.instance.pk else None

    def clean_status(self):
        status = self.cleaned_data.get("status")
        old = self.stored_status()
        permission = self.publish_permission
        if status and not can_change_status(self.publishing_user, old, status, permission):
            raise ValidationError(
                status_change_refusal(old, status, permission), code="publish_permission"
            )
        return status


class PublishingRightsMixin:
    """ModelAdmin mixin for items: the form above; `permissions=["publish"]` on an action
    asks `has_publish_permission`; a published item is deleted only with the right."""

    publish_permission = PUBLISH_PERMISSION

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attributes = {
            "publishing_user": request.user,
            "publish_permission": self.publish_permission,
        }
        return type(form.__name__, (StatusRightsFormMixin, form), attributes)

    def has_publish_permission(self, request) -> bool:
        return can_publish(request.user, self.publish_permission)

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None or can_delete_item(request.user, obj, self.publish_permission)
        )

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(not can_delete_item(request.user, obj, self.publish_permission) for obj in objs):
            perms_needed = {
                *perms_needed,
                str(_("published entries (an editor deletes them)"))
                if self.publish_permission != PUBLISH_PERMISSION
                else str(_("published items (an editor deletes them)")),
            }
        return deleted, counts, perms_needed, protected
