"""The back office for events: events, their programme and registrations, read only and only those the viewer may
see (events are created and changed on their pages, which audit every change); registrations awaiting approval are
approved or refused here too, through the same services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from spacebridge.events.models import Event, ProgrammeSession, Registration, Talk
from spacebridge.events.permissions import EventPerm, can_manage_event
from spacebridge.events.selectors import events_visible
from spacebridge.events.services import registration_decide
from spacebridge.parties.permissions import perms_of


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: Any) -> bool:
        return EventPerm.EVENT_MANAGE.value in perms_of(request.user)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class SessionInline(admin.TabularInline):
    model = ProgrammeSession
    fields = ["title", "starts_at", "ends_at", "room", "chair"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["slug", "__str__", "kind", "starts_at", "time_zone", "organiser_party", "capacity",
                    "registration_open"]
    list_filter = ["kind", "registration_open"]
    search_fields = ["slug"]
    inlines = [SessionInline]
    exclude = ["proceedings"]

    def get_queryset(self, request: Any) -> Any:
        return events_visible(user=request.user)


@admin.register(Talk)
class TalkAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "session", "starts_at", "speaker", "speaker_name"]
    search_fields = ["speaker_name"]
    exclude = ["materials"]

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).filter(session__event__in=events_visible(user=request.user))


@admin.action(description=_("Approve the selected registrations"))
def approve(modeladmin: Any, request: Any, queryset: Any) -> None:
    _decide(request, queryset, approve=True)


@admin.action(description=_("Refuse the selected registrations"))
def refuse(modeladmin: Any, request: Any, queryset: Any) -> None:
    _decide(request, queryset, approve=False)


def _decide(request: Any, queryset: Any, *, approve: bool) -> None:
    done = 0
    for registration in queryset.select_related("event"):
        try:
            registration_decide(registration=registration, by=request.user, approve=approve)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, f"{registration.name}: {' '.join(getattr(error, 'messages', [str(error)]))}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext("%(count)d registration decided.", "%(count)d registrations decided.", done) % {"count": done},
        )


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["name", "event", "status", "party", "affiliation", "created_at"]
    list_filter = ["status", "event"]
    search_fields = ["name", "email", "affiliation"]
    exclude = ["token"]
    actions = [approve, refuse]

    def get_queryset(self, request: Any) -> Any:
        """Only the registrations of events the viewer organises."""
        events = [e.pk for e in events_visible(user=request.user) if can_manage_event(request.user, e)]
        return super().get_queryset(request).filter(event_id__in=events).select_related("event", "party")

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [f.name for f in Registration._meta.fields if f.name != "token"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        # Admin actions need the change permission; the services check who may decide on each registration.
        return self.has_module_permission(request)
