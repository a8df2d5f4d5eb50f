"""The fair slot finder: candidate meeting times ranked by the burden they put on each participant's zone.

Burden is counted in minutes over the year ahead: a minute outside working hours weighs 1, a night minute
(22:00–07:00 local) weighs ``NIGHT_WEIGHT``, and a meeting on a local weekend day counts as outside working hours.
Clock changes are part of the sample, so a slot that is fine in winter but lands at 07:00 in summer shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_ZONES = ("Asia/Shanghai", "Europe/Moscow", "America/New_York")
NIGHT_START, NIGHT_END = 22 * 60, 7 * 60
NIGHT_WEIGHT = 3
STEP_MINUTES = 30


@dataclass(frozen=True)
class WorkingHours:
    start: time = time(9, 0)
    end: time = time(18, 0)

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValidationError({"work_end": _("Working hours must end after they start.")})


@dataclass
class Slot:
    """A start time of day in UTC and what it costs each zone on average per meeting over the year ahead."""

    utc_time: time
    burden: dict[str, float]
    worst_local: dict[str, str]

    @property
    def total(self) -> float:
        return sum(self.burden.values())

    @property
    def worst(self) -> float:
        return max(self.burden.values())

    def local_start(self, zone: str, on: date) -> datetime:
        return datetime.combine(on, self.utc_time, tzinfo=UTC).astimezone(ZoneInfo(zone))


def _minute_burden(local: datetime, hours: WorkingHours) -> int:
    minute = local.hour * 60 + local.minute
    if local.weekday() >= 5:
        return NIGHT_WEIGHT if minute >= NIGHT_START or minute < NIGHT_END else 1
    if minute >= NIGHT_START or minute < NIGHT_END:
        return NIGHT_WEIGHT
    work_start = hours.start.hour * 60 + hours.start.minute
    work_end = hours.end.hour * 60 + hours.end.minute
    return 0 if work_start <= minute < work_end else 1


def meeting_burden(start: datetime, duration: int, zone: ZoneInfo, hours: WorkingHours) -> int:
    """Weighted minutes outside working hours of one meeting in one zone (counted in 5-minute steps)."""
    total = 0
    for offset in range(0, duration, 5):
        total += _minute_burden((start + timedelta(minutes=offset)).astimezone(zone), hours) * min(5, duration - offset)
    return total


def _sample_days(start: date, weeks: int, weekday: int) -> list[date]:
    first = start + timedelta(days=(weekday - start.weekday()) % 7)
    return [first + timedelta(weeks=n) for n in range(weeks)]


def rank_slots(
    *,
    zones: list[str],
    duration: int = 90,
    hours: WorkingHours | None = None,
    start: date,
    weekday: int = 2,
    weeks: int = 52,
) -> list[Slot]:
    """Every half-hour start (UTC) ranked by burden over ``weeks`` weekly samples from ``start`` on ``weekday``."""
    if not zones:
        raise ValidationError({"zones": _("Name at least one participant's time zone.")})
    if not 15 <= duration <= 480:
        raise ValidationError({"duration": _("A meeting lasts from 15 minutes to 8 hours.")})
    hours = hours or WorkingHours()
    days = _sample_days(start, weeks, weekday)
    loaded = {zone: ZoneInfo(zone) for zone in zones}
    slots = []
    for minute in range(0, 24 * 60, STEP_MINUTES):
        at = time(minute // 60, minute % 60)
        burden: dict[str, float] = {}
        worst: dict[str, str] = {}
        for zone, info in loaded.items():
            costs = []
            for day in days:
                moment = datetime.combine(day, at, tzinfo=UTC)
                costs.append((meeting_burden(moment, duration, info, hours), moment.astimezone(info)))
            burden[zone] = sum(cost for cost, _m in costs) / len(costs)
            top = max(costs, key=lambda item: item[0])
            worst[zone] = top[1].strftime("%a %H:%M")
        slots.append(Slot(at, burden, worst))
    slots.sort(key=lambda s: (s.total, s.worst, s.utc_time))
    return slots


@dataclass
class Rotation:
    """Start times taken in turn, so that no zone always gets the inconvenient hour."""

    slots: list[Slot]
    share: dict[str, float]

    @property
    def worst(self) -> float:
        return max(self.share.values())


def fair_rotation(slots: list[Slot], *, size: int, pool: int = 14) -> Rotation:
    """The ``size`` slots among the ``pool`` best whose burden, summed per zone, is most evenly shared."""
    size = max(1, min(size, len(slots)))
    best: Rotation | None = None
    for chosen in combinations(slots[:pool], size):
        share = {zone: sum(s.burden[zone] for s in chosen) / size for zone in chosen[0].burden}
        candidate = Rotation(sorted(chosen, key=lambda s: s.utc_time), share)
        key = (candidate.worst, sum(share.values()))
        if best is None or key < (best.worst, sum(best.share.values())):
            best = candidate
    assert best is not None
    return best
