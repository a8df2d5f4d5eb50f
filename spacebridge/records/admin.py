"""The secretariat's back office for the registry: record types and the thesaurus are edited here (audited);
records are read only, and only those the viewer may see (releases are decided on the record's page)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction

from spacebridge.parties.admin import AuditedAdmin
from spacebridge.parties.permissions import Perm, has_perm
from spacebridge.records.models import Concept, Record, RecordFile, RecordType, RecordVersion
from spacebridge.records.selectors import records_visible


class VocabularyAdmin(AuditedAdmin):
    """Editable by whoever holds ``thesaurus:edit`` (the secretariat), whatever Django's own permissions say."""

    def has_module_permission(self, request: Any) -> bool:
        return has_perm(request.user, Perm.THESAURUS_EDIT)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.THESAURUS_EDIT)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.THESAURUS_EDIT)

    def has_add_permission(self, request: Any) -> bool:
        return has_perm(request.user, Perm.THESAURUS_EDIT)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.THESAURUS_EDIT) and not (obj is not None and obj.records.exists())


@admin.register(RecordType)
class RecordTypeAdmin(VocabularyAdmin):
    list_display = ["code", "__str__", "position"]
    ordering = ["position", "code"]


@admin.register(Concept)
class ConceptAdmin(VocabularyAdmin):
    list_display = ["code", "__str__", "source"]
    search_fields = ["code", "label_index"]
    filter_horizontal = ["broader", "related"]
    exclude = ["label_index"]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return ["code"] if obj is not None else []  # the code is the concept's identity in records and exports

    def save_model(self, request: Any, obj: Concept, form: Any, change: bool) -> None:
        from spacebridge.records.services import concept_upsert

        with transaction.atomic():
            saved = concept_upsert(code=obj.code, pref=obj.pref.text, alt=obj.alt, source=obj.source, by=request.user)
            obj.pk, obj.label_index = saved.pk, saved.label_index


class VersionInline(admin.TabularInline):
    model = RecordVersion
    fields = ["number", "published_at", "published_by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


class FileInline(admin.TabularInline):
    model = RecordFile
    fields = ["name", "size", "media_type", "sha256", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    """Read only: records change through their pages, where the owner party acts and every change is audited."""

    list_display = ["reference", "__str__", "type", "owner_party", "status", "version", "updated_at"]
    list_filter = ["status", "type"]
    search_fields = ["reference"]
    inlines = [VersionInline, FileInline]
    readonly_fields = [
        "reference",
        "type",
        "owner_party",
        "status",
        "title",
        "abstract",
        "keywords",
        "published_on",
        "licence",
        "version",
        "has_unpublished_changes",
        "created_by",
        "created_at",
        "updated_at",
        "first_published_at",
        "withdrawn_at",
        "withdrawal_reason",
    ]
    exclude = ["subjects"]

    def get_queryset(self, request: Any) -> Any:
        return records_visible(user=request.user, queryset=super().get_queryset(request))

    def has_module_permission(self, request: Any) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
