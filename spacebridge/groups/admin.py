from django.contrib import admin

from spacebridge.groups.models import GroupMembership, WorkingGroup, WorkPlanItem


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    autocomplete_fields = ["party", "person"]


class WorkPlanItemInline(admin.TabularInline):
    model = WorkPlanItem
    extra = 0
    fields = ["kind", "title", "owner_party", "due_on", "status", "done_on"]
    autocomplete_fields = ["owner_party"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["acronym", "status"]
    list_filter = ["status"]
    search_fields = ["acronym"]
    filter_horizontal = ["subjects"]
    raw_id_fields = ["documents"]
    inlines = [GroupMembershipInline, WorkPlanItemInline]


@admin.register(WorkPlanItem)
class WorkPlanItemAdmin(admin.ModelAdmin):
    list_display = ["group", "kind", "owner_party", "due_on", "status"]
    list_filter = ["group", "kind", "status"]
    raw_id_fields = ["evidence"]
