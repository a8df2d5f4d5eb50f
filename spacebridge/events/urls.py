from django.urls import path

from spacebridge.events import feeds
from spacebridge.events.views import organising, pages, registration

app_name = "events"

urlpatterns = [
    path("", pages.event_list, name="list"),
    path("new/", organising.event_create, name="create"),
    path("calendar.ics", feeds.calendar_feed, name="calendar"),
    path("feed/<str:language>.atom", feeds.atom_feed, name="atom"),
    path("<slug:slug>/", pages.event_detail, name="detail"),
    path("<slug:slug>/event.ics", feeds.event_ics, name="ics"),
    path("<slug:slug>/edit/", organising.event_edit, name="edit"),
    path("<slug:slug>/programme/", organising.event_programme, name="programme"),
    path("<slug:slug>/programme/<str:kind>/<int:pk>/edit/", organising.programme_item_edit, name="programme_edit"),
    path("<slug:slug>/programme/<str:kind>/<int:pk>/remove/", organising.programme_remove, name="programme_remove"),
    path("<slug:slug>/register/", registration.event_register, name="register"),
    path("<slug:slug>/cancel/", registration.registration_cancel, name="cancel"),
    path("<slug:slug>/participants/", pages.event_participants, name="participants"),
    path("<slug:slug>/participants/<int:pk>/decide/", registration.registration_decide, name="decide"),
    path("<slug:slug>/registration/<str:token>/", registration.registration_page, name="registration"),
]
