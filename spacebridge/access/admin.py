from django.contrib import admin

from spacebridge.access.models import ApiToken, ReleaseGrant, ReleasePolicy


class ReleaseGrantInline(admin.TabularInline):
    model = ReleaseGrant
    extra = 0
    readonly_fields = ["party", "country"]
    can_delete = False


@admin.register(ReleasePolicy)
class ReleasePolicyAdmin(admin.ModelAdmin):
    """Read-only here: release decisions are made on the object's page by the owner party, through the service."""

    list_display = ["content_type", "object_id", "owner_party", "level", "marking", "embargo_until", "decided_at"]
    list_filter = ["level", "marking"]
    inlines = [ReleaseGrantInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    exclude = []

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
