from django.urls import path

from spacebridge.parties import views

app_name = "parties"

urlpatterns = [
    path("", views.party_list, name="list"),
    path("new/", views.party_create, name="create"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/affiliations/", views.affiliation_add, name="affiliation_add"),
    path("people/<int:pk>/invite/", views.person_invite, name="person_invite"),
    path("people/<int:pk>/roles/", views.role_assign, name="role_assign"),
    path("people/<int:pk>/roles/<int:assignment_pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("delegations/<str:country>/", views.delegation_detail, name="delegation"),
    path("<slug:code>/", views.party_detail, name="detail"),
    path("<slug:code>/edit/", views.party_edit, name="edit"),
]
