"""The admin's side of history: versions with a diff on the History page, one version's
page with "Revert to this version", and the deleted items with "Restore".

`HistoryAdminMixin` goes into the bases of every admin of a versioned model;
`DeletedItemsAdminMixin` into the item admin's. The rules live in archive/versions.py; these
views check permissions, call it and say what happened.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from . import versions
from .audit import Channel

# The newest versions the History page lists (older ones stay in the database).
HISTORY_PAGE_VERSIONS = 100
PUBLISH_PERMISSION = "archive.publish_item"


def version_row(version, previous, names: versions.Names) -> dict:
    return {
        "version": version,
        "user": version.history_username or "—",
        "channel": Channel(version.history_channel).label
        if version.history_channel in Channel.values
        else version.history_channel,
        "reason": versions.reason_text(version),
        "changes": versions.diff(previous, version, names) if version.history_type != "-" else [],
    }


def version_rows(obj) -> list[dict]:
    """The object's newest versions, newest first, each with its changes."""
    model = type(obj)
    history = list(
        model.history.filter(**{model._meta.pk.attname: obj.pk})
        .select_related(None)
        .order_by("-history_date", "-history_id")[: HISTORY_PAGE_VERSIONS + 1]
    )
    names = versions.Names()
    rows = []
    for index, version in enumerate(history[:HISTORY_PAGE_VERSIONS]):
        previous = history[index + 1] if index + 1 < len(history) else None
        rows.append(version_row(version, previous, names))
    return rows


def report_missing(model_admin, request, missing) -> None:
    """Warn about the related records a revert or a restore left out (deleted since)."""
    if missing:
        model_admin.message_user(
            request,
            _("Left out, because they have been deleted since: %(names)s")
            % {"names": ", ".join(missing)},
            messages.WARNING,
        )


class HistoryAdminMixin:
    """ModelAdmin mixin: the History page lists versions with their changes; each version
    has its page with "Revert to this version"."""

    object_history_template = "admin/archive/history/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context = {
                **(extra_context or {}),
                "versions": version_rows(obj),
                "version_url": f"admin:{self._history_url_prefix()}_version",
                "deleted_url": self._deleted_url(),
            }
        return super().history_view(request, object_id, extra_context)

    def _history_url_prefix(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}"

    def _deleted_url(self) -> str | None:
        return None

    def get_urls(self):
        prefix = self._history_url_prefix()
        return [
            path(
                "<path:object_id>/history/<int:version_id>/",
                self.admin_site.admin_view(self.version_view),
                name=f"{prefix}_version",
            ),
            *super().get_urls(),
        ]

    def _version_of(self, request, object_id, version_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("This record does not exist."))
        version = get_object_or_404(
            self.model.history.model, history_id=version_id, **{self.opts.pk.attname: obj.pk}
        )
        return obj, version

    def may_revert(self, request, obj, version) -> bool:
        """Change permission; and the publishing right when the revert publishes or
        unpublishes."""
        if not self.has_change_permission(request, obj):
            return False
        if versions.changes_status_publication(obj, version):
            return request.user.has_perm(self.history_publish_permission())
        return True

    def history_publish_permission(self) -> str:
        """The right a revert that (un)publishes needs: the admin's own (lessons, stories)."""
        return getattr(self, "publish_permission", PUBLISH_PERMISSION)

    def version_view(self, request, object_id, version_id):
        obj, version = self._version_of(request, object_id, version_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if request.method == "POST":
            return self._revert(request, obj, version)
        model = type(obj)
        newer = model.history.filter(
            **{self.opts.pk.attname: obj.pk}, history_date__gt=version.history_date
        )
        previous = (
            model.history.filter(
                **{self.opts.pk.attname: obj.pk}, history_date__lte=version.history_date
            )
            .exclude(history_id=version.history_id)
            .order_by("-history_date", "-history_id")
            .first()
        )
        current = (
            model.history.filter(**{self.opts.pk.attname: obj.pk})
            .order_by("-history_date", "-history_id")
            .first()
        )
        names = versions.Names()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": _("Version %(number)s of %(object)s")
            % {"number": version.history_id, "object": obj},
            "row": version_row(version, previous, names),
            "from_current": versions.diff(current, version, names)
            if current is not None and current.history_id != version.history_id
            else [],
            "is_current": current is not None and current.history_id == version.history_id,
            "newer_count": newer.count(),
            "can_revert": self.may_revert(request, obj, version),
            "needs_publish_right": versions.changes_status_publication(obj, version)
            and not request.user.has_perm(self.history_publish_permission()),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/archive/history/version.html", context)

    def _revert(self, request, obj, version):
        if not self.may_revert(request, obj, version):
            raise PermissionDenied
        back = reverse(
            f"admin:{self._history_url_prefix()}_version",
            args=[obj.pk, version.history_id],
            current_app=self.admin_site.name,
        )
        try:
            outcome = versions.revert(version)
        except ValidationError as exc:
            self.message_user(
                request,
                _("The record was not reverted: %(reasons)s") % {"reasons": " ".join(exc.messages)},
                messages.ERROR,
            )
            return HttpResponseRedirect(back)
        self.log_change(
            request,
            outcome.obj,
            [{"changed": {"fields": [gettext_noop("reverted to an earlier version")]}}],
        )
        self.message_user(
            request,
            _("Reverted to version %(number)s; the revert is a new version in the history.")
            % {"number": version.history_id},
            messages.SUCCESS,
        )
        report_missing(self, request, outcome.missing)
        return HttpResponseRedirect(
            reverse(
                f"admin:{self._history_url_prefix()}_history",
                args=[obj.pk],
                current_app=self.admin_site.name,
            )
        )


class DeletedItemsAdminMixin:
    """Item admin mixin: the deleted items of the restore period, each with "Restore"."""

    def _deleted_url(self) -> str | None:
        return reverse("admin:archive_item_deleted", current_app=self.admin_site.name)

    def get_urls(self):
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="archive_item_deleted",
            ),
            path(
                "deleted/<int:version_id>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name="archive_item_restore",
            ),
            *super().get_urls(),
        ]

    def deleted_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        from django.conf import settings

        names = versions.Names()
        rows = [version_row(v, None, names) for v in versions.deleted_items()[:500]]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Deleted items"),
            "rows": rows,
            "days": settings.KRONIKA_RESTORE_DAYS,
            "can_restore": self.has_add_permission(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/archive/history/deleted_items.html", context)

    def restore_view(self, request, version_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(self.model.history.model, history_id=version_id)
        may_publish = request.user.has_perm(PUBLISH_PERMISSION)
        back = reverse("admin:archive_item_deleted", current_app=self.admin_site.name)
        try:
            outcome = versions.restore(version, publish=may_publish)
        except ValidationError as exc:
            self.message_user(
                request,
                _("%(identifier)s was not restored: %(reasons)s")
                % {"identifier": version.identifier, "reasons": " ".join(exc.messages)},
                messages.ERROR,
            )
            return HttpResponseRedirect(back)
        item = outcome.obj
        self.log_addition(
            request, item, [{"added": {}}, {"changed": {"fields": [gettext_noop("restored")]}}]
        )
        self.message_user(
            request,
            _("%(identifier)s was restored.") % {"identifier": item.identifier},
            messages.SUCCESS,
        )
        if version.status != item.status:
            self.message_user(
                request,
                _(
                    "It was published when it was deleted; it comes back as a draft because "
                    "you may not publish."
                ),
                messages.WARNING,
            )
        if outcome.media_missing:
            self.message_user(
                request,
                _(
                    "These media files were not restored, because their files were removed "
                    "with the item; upload them again: %(names)s"
                )
                % {"names": ", ".join(outcome.media_missing)},
                messages.WARNING,
            )
        report_missing(self, request, outcome.missing)
        return HttpResponseRedirect(
            reverse("admin:archive_item_change", args=[item.pk], current_app=self.admin_site.name)
        )
