"""The secretariat's back office for news: edits are audited; approvals are given by the liaison officers on the news
pages, never here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from spacebridge.outreach.models import AnnouncementApproval, NewsItem
from spacebridge.outreach.permissions import NewsPerm
from spacebridge.parties.admin import AuditedAdmin
from spacebridge.parties.permissions import has_perm


class ApprovalInline(admin.TabularInline):
    model = AnnouncementApproval
    extra = 0
    fields = ["party", "approved_by", "approved_at"]
    readonly_fields = ["party", "approved_by", "approved_at"]
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(NewsItem)
class NewsItemAdmin(AuditedAdmin):
    list_display = ["slug", "__str__", "joint", "status", "publish_at"]
    list_filter = ["status", "joint"]
    search_fields = ["slug"]
    readonly_fields = ["status", "joint", "publish_at", "created_by"]
    inlines = [ApprovalInline]

    def _writer(self, request: Any) -> bool:
        return has_perm(request.user, NewsPerm.NEWS_EDIT)  # type: ignore[arg-type]

    def has_module_permission(self, request: Any) -> bool:
        return self._writer(request)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return self._writer(request)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        # Text changes of a joint announcement must ask the parties again: that goes through the news pages.
        return self._writer(request) and (obj is None or not obj.joint)

    def has_add_permission(self, request: Any) -> bool:
        return False  # written on the news pages, where a joint announcement is submitted to its parties

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # withdrawn, never deleted
