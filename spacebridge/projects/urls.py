from django.urls import path

from spacebridge.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("<slug:slug>/", views.project_detail, name="detail"),
    path("<slug:slug>/milestones/", views.milestone_create, name="milestone_create"),
    path("<slug:slug>/milestones/<int:pk>/", views.milestone_change, name="milestone_change"),
]
