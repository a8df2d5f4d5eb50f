"""A fair rotation of start times applied to a series: which occurrence starts when, and what each party bears.

The slot finder proposes start times of day in UTC taken in turn (``slots.fair_rotation``); a series created from
it keeps its rule in its own zone, and each occurrence whose turn gives another time is moved to that time on the
same UTC day, kept as an override of the series.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from spacebridge.liaison import slots, timing

MAX_TIMES = 8
DAYS_AHEAD = 366  # the rotation is kept as overrides for the year ahead


def rotation_validate(values: list[str] | str) -> list[str]:
    """``["13:00", "01:00"]`` or ``"13:00, 01:00"`` as UTC times of day, refused with a reason when malformed."""
    if isinstance(values, str):
        values = [v for v in values.replace(";", ",").split(",")]
    cleaned = []
    for value in (str(v).strip() for v in values):
        if not value:
            continue
        try:
            at = time.fromisoformat(value)
        except ValueError as exc:
            raise ValidationError({"rotation": _("“%(value)s” is not a time of day (HH:MM).") % {
                "value": value[:20]}}) from exc
        if at.second or at.microsecond or at.tzinfo is not None:
            raise ValidationError({"rotation": _("Give each time of the rotation as HH:MM in UTC.")})
        cleaned.append(at.strftime("%H:%M"))
    if len(cleaned) > MAX_TIMES:
        raise ValidationError({"rotation": _("A rotation takes at most %(count)d start times.") % {
            "count": MAX_TIMES}})
    return cleaned if len(cleaned) > 1 else []


def rotated_start(occurrence_start: datetime, index: int, rotation: list[str]) -> datetime:
    """The start the rotation gives the ``index``-th occurrence of the series (counted from its first)."""
    if not rotation:
        return occurrence_start
    at = time.fromisoformat(rotation[index % len(rotation)])
    return datetime.combine(occurrence_start.astimezone(UTC).date(), at, tzinfo=UTC)


@dataclass(frozen=True)
class PartyBurden:
    """What a party's zone bears on average per meeting (weighted minutes outside working hours)."""

    party: str
    zone: str
    burden: float


def party_burdens(starts: list[datetime], duration: int, parties: list[tuple[str, str]]) -> list[PartyBurden]:
    """Average burden per meeting over ``starts`` for each (party name, country) whose capital zone is known."""
    if not starts:
        return []
    hours = slots.WorkingHours()
    rows = []
    for name, country in parties:
        zone = timing.COUNTRY_ZONES.get(country)
        if zone is None:
            continue
        info = ZoneInfo(zone)
        total = sum(slots.meeting_burden(start, duration, info, hours) for start in starts)
        rows.append(PartyBurden(name, zone, total / len(starts)))
    return rows


def horizon(now: datetime) -> datetime:
    return now + timedelta(days=DAYS_AHEAD)
