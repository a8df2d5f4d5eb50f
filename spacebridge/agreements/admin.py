"""The secretariat's back office for agreements: every agreement the viewer may see, with its parties, texts,
signatures and commitments. Terms (expiry, notice, renewal) are editable here through the service, so the change
is validated and audited; everything else changes on the agreement's pages, where the status machine applies."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from spacebridge.agreements import permissions as perms
from spacebridge.agreements.models import Agreement, AgreementParty, AgreementText, Commitment, PartyKey, Signature
from spacebridge.agreements.selectors import agreements_visible
from spacebridge.agreements.services import TERM_FIELDS, agreement_update


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class PartyInline(_ReadOnlyInline):
    model = AgreementParty
    fields = ["party", "position", "signed_on", "signed_place"]
    readonly_fields = fields


class TextInline(_ReadOnlyInline):
    model = AgreementText
    fields = ["language", "changed_revision", "confirmed_revision"]
    readonly_fields = fields


class CommitmentInline(_ReadOnlyInline):
    model = Commitment
    fields = ["article_key", "passage", "due_on", "recurrence", "state"]
    readonly_fields = fields


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["reference", "__str__", "type", "status", "lead_party", "in_force_since", "expires_on"]
    list_filter = ["status", "type", "automatic_renewal"]
    search_fields = ["reference"]
    inlines = [PartyInline, TextInline, CommitmentInline]
    fields = [
        "reference",
        "type",
        "title",
        "status",
        "lead_party",
        "in_force_since",
        *TERM_FIELDS,
        "amends",
        "superseded_by",
        "terminated_on",
        "source",
    ]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [name for name in self.fields if name not in TERM_FIELDS]

    def get_queryset(self, request: Any) -> Any:
        return agreements_visible(user=request.user, queryset=super().get_queryset(request))

    def has_module_permission(self, request: Any) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return perms.can_manage(request.user) and request.user.is_staff

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: Agreement, form: Any, change: bool) -> None:
        original = Agreement.objects.get(pk=obj.pk)
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in TERM_FIELDS}
        try:
            agreement_update(agreement=original, by=request.user, **changes)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))


@admin.register(PartyKey)
class PartyKeyAdmin(admin.ModelAdmin):
    list_display = ["party", "fingerprint", "label", "registered_at", "revoked_at"]
    readonly_fields = ["party", "public_key", "fingerprint", "label", "registered_by", "registered_at", "revoked_at"]

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


@admin.register(Signature)
class SignatureAdmin(PartyKeyAdmin):
    list_display = ["agreement_party", "kind", "signed_by", "signed_at", "place", "verified"]
    readonly_fields = [
        "agreement_party",
        "kind",
        "signatory",
        "signed_by",
        "signed_at",
        "place",
        "scan",
        "key",
        "digest",
        "value",
        "verified",
        "recorded_by",
        "recorded_at",
    ]

    def get_queryset(self, request: Any) -> Any:
        visible = agreements_visible(user=request.user).values("pk")
        return super().get_queryset(request).filter(agreement_party__agreement__in=visible)
