from django.urls import path

from spacebridge.liaison.views import actions, calendar, meetings, minutes, series

app_name = "liaison"

urlpatterns = [
    path("", meetings.index, name="index"),
    path("slots/", series.slot_finder, name="slot_finder"),
    path("series/new/", series.series_create, name="series_create"),
    path("series/<int:pk>/", series.series_detail, name="series_detail"),
    path("series/<int:pk>/edit/", series.series_edit, name="series_edit"),
    path("series/<int:pk>/series.ics", calendar.series_feed, name="series_feed"),
    path("series/<int:pk>/occurrences/<str:key>/", meetings.occurrence, name="occurrence"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/do/<slug:action>/", meetings.meeting_act, name="meeting_act"),
    path("meetings/<int:pk>/minutes/", minutes.minutes_page, name="minutes"),
    path("decisions/", minutes.decision_list, name="decision_list"),
    path("decisions/<path:reference>/", minutes.decision_detail, name="decision_detail"),
    path("actions/", actions.my_actions, name="my_actions"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("calendar/", calendar.calendar_settings, name="calendar"),
    path("calendar/new/", calendar.calendar_token_create, name="calendar_token_create"),
    path("calendar/<int:pk>/revoke/", calendar.calendar_token_revoke, name="calendar_token_revoke"),
    path("calendar/reminders/", calendar.reminders_set, name="reminders"),
    path("calendar/<str:secret>.ics", calendar.person_feed, name="person_feed"),
    path("import/", calendar.ics_import, name="import"),
]
