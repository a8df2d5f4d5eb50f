"""The secretariat's back office for parties, people and roles. Saves go through the services (audited)."""

from __future__ import annotations

from django.contrib import admin

from spacebridge.parties.models import Affiliation, Party, Person, Role, RoleAssignment


class AuditedAdmin(admin.ModelAdmin):
    """Back-office edits are changes like any other: they leave an audit entry."""

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        from django.db import transaction

        from spacebridge.audit.services import audit_record

        with transaction.atomic():
            super().save_model(request, obj, form, change)
            verb = f"{obj._meta.model_name}.{'updated' if change else 'created'}_in_back_office"
            audit_record(
                actor=request.user,
                verb=verb,
                obj=obj,
                changes={name: str(form.cleaned_data.get(name)) for name in form.changed_data},
            )

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        from django.db import transaction

        from spacebridge.audit.services import audit_record

        with transaction.atomic():
            audit_record(actor=request.user, verb=f"{obj._meta.model_name}.deleted_in_back_office", obj=obj)
            super().delete_model(request, obj)

    def get_actions(self, request):  # type: ignore[no-untyped-def]
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk deletes would bypass the audit log
        return actions


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["party"]


@admin.register(Party)
class PartyAdmin(AuditedAdmin):
    list_display = ["short_name", "code", "kind", "country", "status", "parent"]
    list_filter = ["kind", "status", "country"]
    search_fields = ["short_name", "code", "name_index"]
    autocomplete_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["transliteration", "email", "time_zone", "user"]
    search_fields = ["transliteration", "name_index", "email"]
    inlines = [AffiliationInline]
    raw_id_fields = ["user"]


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ["code", "party_scoped"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ["user", "role", "party", "granted_at"]
    list_filter = ["role"]
    autocomplete_fields = ["party"]
    raw_id_fields = ["user"]
