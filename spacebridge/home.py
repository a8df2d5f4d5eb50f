"""The home page: the cooperation at a glance, from what the parts offer — delegations and working groups, recent
public achievements, upcoming public events, news, projects and the activity per party as a server-drawn chart."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_countries import countries

from spacebridge.access.policy import visible
from spacebridge.core.metadata import absolute, json_ld, organization_ld, page_metadata
from spacebridge.core.multilingual import content_language
from spacebridge.groups.models import WorkingGroup
from spacebridge.outreach import portal
from spacebridge.outreach.activity import activity_per_party
from spacebridge.outreach.charts import activity_chart
from spacebridge.outreach.views import feeds
from spacebridge.parties import selectors as party_selectors
from spacebridge.parties.models import Party, Person
from spacebridge.parties.permissions import perms_of
from spacebridge.projects.timeline import timeline_svg


def _delegations(parties):  # type: ignore[no-untyped-def]
    delegations = []
    for code in party_selectors.party_countries():
        members = parties.filter(country=code)
        delegations.append(
            {"code": code, "name": countries.name(code), "count": members.count(),
             "parties": list(members.order_by("short_name")[:6])}
        )
    return delegations


def home(request: HttpRequest) -> HttpResponse:
    parties = visible(Party.objects.all(), request.user)
    language = content_language(get_language())
    projects = portal.public_projects()
    activity, series = activity_per_party(user=request.user)
    context = {
        "delegations": _delegations(parties),
        "party_count": parties.count(),
        "people_count": visible(Person.objects.all(), request.user).count() if request.user.is_authenticated else None,
        "groups": visible(WorkingGroup.objects.all(), request.user),
        "perms": perms_of(request.user),
        "achievements": portal.public_achievements(),
        "events": portal.public_events(),
        "news": portal.public_news(),
        "projects": projects,
        "timeline": mark_safe(timeline_svg(projects, language=language)),  # built with escape()
        "activity": activity,
        "activity_series": series,
        "activity_chart": mark_safe(activity_chart(activity, series)),  # built with escape()
        "feeds": feeds(),
        "meta": page_metadata(
            request, title="Spacebridge",
            description=str(portal.PORTAL_DESCRIPTION),
            path="/",
        ),
        "ld": json_ld({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": "Spacebridge",
            "url": absolute("/"),
            "about": {"@type": "ItemList", "itemListElement": [
                {"@type": "ListItem", "position": i, "item": organization_ld(party, language)}
                for i, party in enumerate(parties.order_by("country", "short_name")[:50], start=1)
            ]},
        }),
    }
    return render(request, "home.html", context)
