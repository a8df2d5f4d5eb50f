from django.urls import path

from spacebridge.outreach import feeds, pages, views

app_name = "outreach"

urlpatterns = [
    path("", views.news_list, name="list"),
    path("new/", views.news_create, name="create"),
    path("manage/", views.news_manage, name="approvals"),
    path("feed/<str:language>.atom", feeds.news_feed, name="feed"),
    path("transparency/", pages.transparency, name="transparency"),
    path("<slug:slug>/", views.news_detail, name="detail"),
    path("<slug:slug>/edit/", views.news_edit, name="edit"),
    path("<slug:slug>/publish/", views.news_publish, name="publish"),
    path("<slug:slug>/approve/", views.news_approve, name="approve"),
    path("<slug:slug>/decline/", views.news_decline, name="decline"),
    path("<slug:slug>/withdraw/", views.news_withdraw, name="withdraw"),
]
