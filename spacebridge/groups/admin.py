from django.contrib import admin

from spacebridge.groups.models import GroupMembership, WorkingGroup


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    autocomplete_fields = ["party", "person"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["acronym", "status"]
    search_fields = ["acronym"]
    inlines = [GroupMembershipInline]
