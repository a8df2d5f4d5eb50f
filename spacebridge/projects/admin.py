"""The secretariat's back office for joint projects: every edit is audited; only projects the viewer may see are
listed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from spacebridge.parties.admin import AuditedAdmin
from spacebridge.projects.models import Milestone, Participation, Project
from spacebridge.projects.permissions import can_create_project, can_edit_project
from spacebridge.projects.selectors import projects_visible


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["party"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ["slug", "__str__", "status", "start", "end"]
    list_filter = ["status"]
    search_fields = ["slug"]
    filter_horizontal = ["groups"]
    raw_id_fields = ["records"]
    inlines = [ParticipationInline, MilestoneInline]

    def get_queryset(self, request: Any) -> Any:
        return projects_visible(user=request.user)

    def has_module_permission(self, request: Any) -> bool:
        return can_create_project(request.user)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return can_create_project(request.user) or (obj is not None and can_edit_project(request.user, obj))

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request: Any) -> bool:
        return can_create_project(request.user)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return can_create_project(request.user)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        from django.db import transaction

        from spacebridge.audit.services import audit_record

        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            if formset.has_changed():
                audit_record(
                    actor=request.user,
                    verb="project.updated_in_back_office",
                    obj=form.instance,
                    changes={formset.model._meta.model_name: [str(f.instance) for f in formset.forms if f.has_changed()]},
                )
