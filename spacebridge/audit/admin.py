from django.contrib import admin

from spacebridge.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is changed by nothing but appends."""

    list_display = ["id", "at", "actor_label", "verb", "object_ref"]
    list_filter = ["verb"]
    search_fields = ["object_ref", "actor_label", "verb"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
