"""The home page: the cooperation at a glance, from what the parts offer."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_countries import countries

from spacebridge.access.policy import visible
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties import selectors as party_selectors
from spacebridge.parties.models import Party, Person
from spacebridge.parties.permissions import perms_of


def home(request: HttpRequest) -> HttpResponse:
    parties = visible(Party.objects.all(), request.user)
    delegations = []
    for code in party_selectors.party_countries():
        members = parties.filter(country=code)
        delegations.append(
            {
                "code": code,
                "name": countries.name(code),
                "count": members.count(),
                "parties": list(members.order_by("short_name")[:6]),
            }
        )
    context = {
        "delegations": delegations,
        "party_count": parties.count(),
        "people_count": visible(Person.objects.all(), request.user).count() if request.user.is_authenticated else None,
        "groups": visible(WorkingGroup.objects.all(), request.user),
        "perms": perms_of(request.user),
    }
    return render(request, "home.html", context)
