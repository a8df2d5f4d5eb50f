"""Pages of the working groups: the list, and a group's page with its charter, members and their role history,
work plan, upcoming meetings, open action items and recent decisions; the group's calendar feed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from spacebridge.access.policy import get_visible_or_404, visible
from spacebridge.groups.models import GroupMembership, WorkingGroup, WorkPlanItem
from spacebridge.groups.selectors import records_seen
from spacebridge.groups.services import can_run_group
from spacebridge.parties.permissions import Perm, has_perm


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    groups = list(visible(WorkingGroup.objects.prefetch_related("memberships__party"), request.user))
    # Who may run each group is read from the memberships already fetched: no query per row.
    return render(request, "groups/group_list.html", {
        "groups": groups, "can_create": has_perm(request.user, Perm.GROUP_MANAGE),
        "runs": {g.pk for g in groups if can_run_group(request.user, g, memberships=list(g.memberships.all()))},
    })


@login_required
def group_detail(request: HttpRequest, acronym: str) -> HttpResponse:
    from spacebridge.liaison import selectors

    group = get_visible_or_404(WorkingGroup.objects.prefetch_related("subjects"), request.user, acronym=acronym[:20])
    today = date.today()
    now = datetime.now(UTC)
    memberships = list(group.memberships.select_related("party", "person").order_by("role", "start"))
    current = [m for m in memberships if m.is_current(today)]
    series = list(selectors.series_for_user(request.user).filter(group=group))
    entries = selectors.calendar_entries(user=request.user, group=group, window_start=now,
                                         window_end=now + timedelta(days=120), series=series)
    actions = selectors.action_rows_for_user(request.user).filter(group=group, status="open").order_by("due_on")
    counts = actions.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    return render(request, "groups/group_detail.html", {
        "group": group, "today": today,
        "member_parties": [m for m in current if m.role == GroupMembership.Role.MEMBER_PARTY],
        "people": [m for m in current if m.person_id],
        "history": [m for m in memberships if m.person_id and not m.is_current(today)],
        "plan": _plan_with_evidence_seen(group, request.user),
        "entries": entries[:8],
        "open_actions": list(actions[:25]), "open_count": counts["open"],
        "overdue_count": counts["overdue"],
        "decisions": list(selectors.decisions_for_user(user=request.user, group=group)[:10]),
        "series": series,
        "documents": list(visible(group.documents.all(), request.user)),
        "can_run": can_run_group(request.user, group, memberships=memberships),
        "can_manage": has_perm(request.user, Perm.GROUP_MANAGE),
    })


def _plan_with_evidence_seen(group: WorkingGroup, user: Any) -> list[WorkPlanItem]:
    """The work plan, each item with ``evidence_seen``: its evidence the viewer may see (one query for all items)."""
    plan = list(group.work_plan.select_related("owner_party").prefetch_related("evidence"))
    linked = [r for item in plan for r in item.evidence.all()]
    seen = {r.pk for r in records_seen(user=user, queryset=type(linked[0]).objects.filter(
        pk__in={r.pk for r in linked}))} if linked else set()
    for item in plan:
        item.evidence_seen = [r for r in item.evidence.all() if r.pk in seen]
    return plan


@login_required
def group_feed(request: HttpRequest, acronym: str) -> HttpResponse:
    from spacebridge.liaison import ical, selectors
    from spacebridge.liaison.views.calendar import ics_response

    group = get_visible_or_404(WorkingGroup.objects.all(), request.user, acronym=acronym[:20])
    # The feed reads the overrides of every series in one query, only the columns it writes.
    series = list(selectors.series_for_user(request.user).filter(group=group))
    one_offs = selectors.meetings_for_user(request.user).filter(group=group, series__isnull=True)
    actions = selectors.actions_for_user(request.user).filter(group=group)
    body = ical.feed(name=group.acronym, series=series, meetings=one_offs, actions=actions)
    return ics_response(body, f"{group.acronym}.ics")
