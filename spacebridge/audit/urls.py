from django.urls import path

from spacebridge.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.chain, name="chain"),
]
