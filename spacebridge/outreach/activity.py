"""Activity per party, through the access policy: records shared, meetings held and action items closed, counted
among the objects the viewer may see (a count is information too). The liaison part is optional: without it the
meeting and action figures are absent, not zero."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, QuerySet

from spacebridge.access.policy import visible
from spacebridge.parties.models import Party
from spacebridge.records.models import Record
from spacebridge.records.selectors import records_visible

SERIES = ("records", "meetings", "actions")


@dataclass
class PartyActivity:
    party: Party
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def optional_model(app_label: str, name: str) -> Any:
    """A model of a part that may not be installed yet (None then)."""
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _per_party(queryset: QuerySet[Any], column: str) -> dict[int, int]:
    rows = queryset.order_by().values(column).annotate(n=Count("pk", distinct=True)).values_list(column, "n")
    return {party_id: n for party_id, n in rows if party_id is not None}


def activity_counts(*, user: Any) -> tuple[dict[str, dict[int, int]], list[str]]:
    """{series: {party id: count}} and the series available."""
    counts = {"records": _per_party(records_visible(user=user).filter(status=Record.Status.PUBLISHED), "owner_party_id")}
    meeting = optional_model("liaison", "Meeting")
    if meeting is not None and hasattr(meeting, "host_party"):
        counts["meetings"] = _per_party(visible(meeting.objects.filter(status="held"), user), "host_party_id")
    action = optional_model("liaison", "ActionItem")
    if action is not None and hasattr(action, "owner_party"):
        counts["actions"] = _per_party(visible(action.objects.filter(status="done"), user), "owner_party_id")
    return counts, [name for name in SERIES if name in counts]


def activity_per_party(*, user: Any, limit: int = 10) -> tuple[list[PartyActivity], list[str]]:
    """The most active parties (at most ``limit``), busiest first, and the series counted."""
    counts, series = activity_counts(user=user)
    party_ids = {pid for per_party in counts.values() for pid in per_party}
    parties = {p.pk: p for p in visible(Party.objects.filter(pk__in=party_ids), user)}
    rows = [
        PartyActivity(party, {name: counts[name].get(pid, 0) for name in series})
        for pid, party in parties.items()
    ]
    rows.sort(key=lambda row: (-row.total, row.party.short_name))
    return rows[:limit], series
