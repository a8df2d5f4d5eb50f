from django.urls import path

from spacebridge.access import views

app_name = "access"

urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("release/<str:kind>/<int:pk>/", views.release_edit, name="release_edit"),
    path("release/<str:kind>/<int:pk>/approve/", views.release_approve, name="release_approve"),
]
