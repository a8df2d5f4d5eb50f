"""The public pages of outreach beyond the news: the transparency page and the sitemap."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from lxml import etree

from spacebridge.access.policy import visible
from spacebridge.core.metadata import absolute, page_metadata
from spacebridge.outreach.activity import optional_model
from spacebridge.outreach.selectors import news_live
from spacebridge.parties.models import Party
from spacebridge.projects.selectors import projects_visible
from spacebridge.records.models import Record
from spacebridge.records.selectors import access_request_figures, records_visible

SITEMAP_RECORDS = 40_000  # a sitemap file holds at most 50 000 addresses
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass
class PartyTransparency:
    party: Party
    received: int = 0
    answered: int = 0
    pending: int = 0
    median_to_answer: timedelta | None = None
    meetings_held: int | None = None
    meetings_planned: int | None = None
    agreements_in_force: int | None = None
    agreements: list[Any] = field(default_factory=list)


def _meetings(user: Any) -> dict[int, tuple[int, int]] | None:
    """{host party id: (held, planned)}: meetings held, and meetings held or still to come or cancelled (planned)."""
    meeting = optional_model("liaison", "Meeting")
    if meeting is None:
        return None
    rows = (
        visible(meeting.objects.exclude(host_party__isnull=True), user)
        .filter(start__lte=timezone.now())
        .order_by()
        .values("host_party_id")
        .annotate(held=Count("pk", filter=Q(status="held")), planned=Count("pk"))
        .values_list("host_party_id", "held", "planned")
    )
    return {party_id: (held, planned) for party_id, held, planned in rows}


def _implementation(agreement: Any) -> str | None:
    """The agreement's implementation status from its commitments (done, late, on track), as the register computes
    it; None where the register offers none."""
    try:
        from spacebridge.agreements.selectors import implementation_status
    except ImportError:
        return None
    return implementation_status(agreement)


def _agreements(user: Any) -> dict[int, list[Any]] | None:
    agreement = optional_model("agreements", "Agreement")
    if agreement is None:
        return None
    try:  # the register's own read, which also lets the lead party see agreements it has not released yet
        from spacebridge.agreements.selectors import agreements_visible
    except ImportError:
        in_force = visible(agreement.objects.filter(status="in_force"), user)
    else:
        in_force = agreements_visible(user=user, queryset=agreement.objects.filter(status="in_force"))
    found: dict[int, list[Any]] = {}
    in_force = in_force.prefetch_related("parties", "commitments")
    for item in in_force:
        item.implementation = _implementation(item)
        for member in item.parties.all():
            found.setdefault(member.party_id, []).append(item)
    return found


def transparency_figures(*, user: Any) -> tuple[list[PartyTransparency], dict[str, bool]]:
    """Per party: access requests received, answered, pending and the median time to answer (aggregates only, as the
    registry's transparency log counts them), liaison meetings held against planned by host party up to today, and
    agreements in force; the meetings and agreements only among those ``user`` may see."""
    rows: dict[int, PartyTransparency] = {}
    for figures in access_request_figures(side="owner"):
        if figures.party is None:
            continue
        row = rows.setdefault(figures.party.pk, PartyTransparency(figures.party))
        row.received, row.pending = figures.received, figures.pending
        row.answered = figures.granted + figures.refused
        row.median_to_answer = median(figures.durations) if figures.durations else None
    meetings, agreements = _meetings(user), _agreements(user)
    party_ids = set(rows) | set(meetings or {}) | set(agreements or {})
    parties = {p.pk: p for p in visible(Party.objects.filter(pk__in=party_ids), user)}
    for pid, party in parties.items():
        row = rows.setdefault(pid, PartyTransparency(party))
        if meetings is not None:
            row.meetings_held, row.meetings_planned = meetings.get(pid, (0, 0))
        if agreements is not None:
            row.agreements = agreements.get(pid, [])
            row.agreements_in_force = len(row.agreements)
    ordered = sorted((rows[pid] for pid in parties), key=lambda r: (r.party.country.code, r.party.short_name))
    return ordered, {"meetings": meetings is not None, "agreements": agreements is not None}


def transparency(request: HttpRequest) -> HttpResponse:
    rows, parts = transparency_figures(user=request.user)
    answered = [r for r in rows if r.answered]
    durations = [r.median_to_answer for r in answered if r.median_to_answer is not None]
    context = {
        "rows": rows,
        "parts": parts,
        "totals": {
            "received": sum(r.received for r in rows),
            "answered": sum(r.answered for r in rows),
            "pending": sum(r.pending for r in rows),
            "median": median(durations) if durations else None,
        },
        "meta": page_metadata(
            request, title=_("Transparency"),
            description=_("Public figures per party: access requests answered and time to answer, liaison meetings held against planned, agreements in force."),
        ),
    }
    return render(request, "outreach/transparency.html", context)


def _url(root: Any, loc: str, lastmod: Any = None) -> None:
    url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
    etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute(loc)
    if lastmod is not None:
        etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod.date().isoformat() if hasattr(lastmod, "date") else str(lastmod)


def sitemap_locations() -> list[tuple[str, Any]]:
    """Every public page: the portal's own pages, public projects, published news, public parties, public upcoming
    and past events and public records (the most recent first) — each read as an anonymous visitor."""
    public = AnonymousUser()
    from django.urls import reverse

    locations: list[tuple[str, Any]] = [(reverse("home"), None), (reverse("projects:list"), None),
                                         (reverse("outreach:list"), None), (reverse("outreach:transparency"), None)]
    locations += [(p.get_absolute_url(), p.updated_at) for p in projects_visible(user=public).order_by("slug")]
    locations += [(n.get_absolute_url(), n.updated_at) for n in news_live(user=public)]
    locations += [(p.get_absolute_url(), None) for p in visible(Party.objects.all(), public)]
    try:
        from spacebridge.events.selectors import event_list
    except ImportError:
        pass
    else:
        locations += [(e.get_absolute_url(), None) for e in event_list(user=public)]
    records = records_visible(user=public).filter(status=Record.Status.PUBLISHED).order_by("-pk")
    locations += [(r.get_absolute_url(), r.updated_at) for r in records.only("reference", "updated_at")[:SITEMAP_RECORDS]]
    return locations


@require_safe
@cache_control(public=True, max_age=3600)
def sitemap(request: HttpRequest) -> HttpResponse:
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    for loc, lastmod in sitemap_locations():
        _url(root, loc, lastmod)
    return HttpResponse(etree.tostring(root, xml_declaration=True, encoding="utf-8"), content_type="application/xml")


@require_safe
@cache_control(public=True, max_age=3600)
def robots(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public pages; the back office, the API and the feeds of private objects are no place
    for them. Points at the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /accounts/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
