from django.urls import path

from spacebridge.groups import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("<str:acronym>/", views.group_detail, name="detail"),
    path("<str:acronym>/calendar.ics", views.group_feed, name="feed"),
]
