from django.contrib import admin

from spacebridge.liaison.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarToken,
    Decision,
    DecisionPosition,
    LiaisonSeries,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesRevision,
)


@admin.register(LiaisonSeries)
class LiaisonSeriesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "group", "rrule", "time_zone", "first_start"]
    list_filter = ["group", "time_zone"]
    filter_horizontal = ["participants"]
    readonly_fields = ["uid", "sequence"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fk_name = "meeting"
    raw_id_fields = ["presenter", "carried_from"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["person", "party"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "group", "start", "time_zone", "status", "host_party"]
    list_filter = ["group", "status"]
    date_hierarchy = "start"
    raw_id_fields = ["series", "host_party"]
    readonly_fields = ["uid", "sequence", "occurrence_start"]
    inlines = [AgendaItemInline, AttendanceInline]


class MinutesRevisionInline(admin.TabularInline):
    model = MinutesRevision
    extra = 0
    readonly_fields = ["number", "text", "note", "by", "at"]
    can_delete = False


class MinutesApprovalInline(admin.TabularInline):
    model = MinutesApproval
    extra = 0
    readonly_fields = ["delegation", "revision", "answer", "reservation", "party", "by", "at"]
    can_delete = False


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "revision", "circulated_at", "approved_at"]
    list_filter = ["status"]
    raw_id_fields = ["meeting"]
    inlines = [MinutesRevisionInline, MinutesApprovalInline]


class DecisionPositionInline(admin.TabularInline):
    model = DecisionPosition
    extra = 0
    raw_id_fields = ["party"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["reference", "group", "decided_on"]
    list_filter = ["group"]
    search_fields = ["reference", "text_index"]
    raw_id_fields = ["meeting"]
    readonly_fields = ["reference", "number", "text_index"]
    inlines = [DecisionPositionInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner_party", "owner_person", "due_on", "status"]
    list_filter = ["group", "status", "owner_party"]
    raw_id_fields = ["meeting", "owner_person", "owner_party", "carried_to", "evidence_records"]
    readonly_fields = ["uid", "number"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "key_hash", "user", "created_at", "last_used_at"]
