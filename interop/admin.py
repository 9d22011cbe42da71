"""Read-only view of the withdrawals harvesters are told about."""

from django.contrib import admin

from .models import DeletedRecord


@admin.register(DeletedRecord)
class DeletedRecordAdmin(admin.ModelAdmin):
    """Tombstones are written by publishing and deleting items, never by hand."""

    list_display = ["identifier", "datestamp", "set_specs"]
    search_fields = ["identifier"]
    date_hierarchy = "datestamp"
    ordering = ["-datestamp", "-pk"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
