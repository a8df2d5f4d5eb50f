from django.urls import path

from spacebridge.groups.views import charter, members, pages, plan

app_name = "groups"

urlpatterns = [
    path("", pages.group_list, name="list"),
    path("new/", charter.group_create, name="create"),
    path("<str:acronym>/", pages.group_detail, name="detail"),
    path("<str:acronym>/calendar.ics", pages.group_feed, name="feed"),
    path("<str:acronym>/charter/", charter.charter_edit, name="charter"),
    path("<str:acronym>/members/new/", members.membership_add, name="membership_add"),
    path("<str:acronym>/members/<int:pk>/end/", members.membership_end, name="membership_end"),
    path("<str:acronym>/members/<int:pk>/role/", members.role_change, name="role_change"),
    path("<str:acronym>/plan/new/", plan.plan_item_add, name="plan_add"),
    path("<str:acronym>/plan/<int:pk>/", plan.plan_item_update, name="plan_update"),
]
