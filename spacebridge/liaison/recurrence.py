"""RFC 5545 recurrence of liaison series: which rules the platform accepts, and their occurrences.

A series repeats the wall-clock time of its first meeting in the zone it is defined in (as calendar programs do
with a DTSTART that has a TZID); each occurrence is then one moment in UTC, which other zones see shift when their
clocks change and the defining zone's do not (or the other way round).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil.rrule import rrule, rruleset, rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ACCEPTED_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
ACCEPTED_PARTS = frozenset(
    {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST", "BYYEARDAY"}
)
MAX_COUNT = 2000
# How far ahead an open-ended series is laid out in feeds (holiday exclusions) and in the year view.
HORIZON_DAYS = 3 * 366


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_validate(name: str) -> ZoneInfo:
    if name not in _zones():
        raise ValidationError({"time_zone": _("“%(zone)s” is not a known IANA time zone.") % {"zone": name[:64]}})
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # pragma: no cover - listed zones load
        raise ValidationError({"time_zone": _("This time zone cannot be loaded.")}) from exc


def _refuse(message: str) -> ValidationError:
    return ValidationError({"rrule": message})


def rule_validate(rule: str) -> str:
    """The rule in its normal form (``FREQ=…;…``), or a ValidationError saying what the platform does not accept."""
    text = (rule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    text = text.upper().strip().strip(";")
    if not text:
        raise _refuse(_("Give a recurrence rule, for example FREQ=MONTHLY;BYDAY=2TU."))
    if "\x00" in text or "\n" in text or len(text) > 500:
        raise _refuse(_("The recurrence rule is not valid."))
    parts: dict[str, str] = {}
    for piece in text.split(";"):
        name, sep, value = piece.partition("=")
        if not sep or not name or not value:
            raise _refuse(_("“%(part)s” is not a NAME=VALUE part of a recurrence rule.") % {"part": piece[:40]})
        if name in parts:
            raise _refuse(_("%(name)s appears twice in the rule.") % {"name": name[:20]})
        parts[name] = value
    unknown = sorted(set(parts) - ACCEPTED_PARTS)
    if unknown:
        raise _refuse(
            _("The platform does not accept %(parts)s in a liaison series: meetings repeat at the time of the first "
              "meeting, by day, week, month or year.") % {"parts": ", ".join(p[:20] for p in unknown)}
        )
    if parts.get("FREQ") not in ACCEPTED_FREQUENCIES:
        raise _refuse(_("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY."))
    if parts["FREQ"] == "WEEKLY" and "BYSETPOS" in parts:
        raise _refuse(_("BYSETPOS is not accepted with FREQ=WEEKLY: name the weekdays with BYDAY instead."))
    if "COUNT" in parts and "UNTIL" in parts:
        raise _refuse(_("A rule ends by COUNT or by UNTIL, not both."))
    if "COUNT" in parts and (not parts["COUNT"].isdigit() or not 1 <= int(parts["COUNT"]) <= MAX_COUNT):
        raise _refuse(_("COUNT must be a number from 1 to %(max)d.") % {"max": MAX_COUNT})
    if "INTERVAL" in parts and (not parts["INTERVAL"].isdigit() or not 1 <= int(parts["INTERVAL"]) <= 1000):
        raise _refuse(_("INTERVAL must be a number from 1 to 1000."))
    _check_values(parts)
    normal = ";".join(f"{k}={v}" for k, v in parts.items())
    try:
        _build_rule(normal, datetime(2026, 1, 1, 9, 0), ZoneInfo("UTC"))
    except (ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
        raise _refuse(_("The recurrence rule is not valid: %(reason)s") % {"reason": str(exc)[:120]}) from exc
    return normal


_WEEKDAY = re.compile(r"^([+-]?)(\d{0,2})(MO|TU|WE|TH|FR|SA|SU)$")
_NUMBER_RANGES = {"BYMONTHDAY": 31, "BYMONTH": 12, "BYYEARDAY": 366, "BYSETPOS": 366}


def _numbers(name: str, value: str, limit: int) -> None:
    for item in value.split(","):
        signed = item[1:] if item[:1] in "+-" else item
        if not signed.isdigit() or not 1 <= int(signed) <= limit or (name == "BYMONTH" and item[:1] in "+-"):
            raise _refuse(_("%(name)s has the value “%(value)s”, which is out of range.") % {
                "name": name, "value": item[:10]})


def _check_values(parts: dict[str, str]) -> None:
    """Values calendar programs read alike; ambiguous combinations are refused rather than guessed."""
    freq = parts["FREQ"]
    for name, limit in _NUMBER_RANGES.items():
        if name in parts:
            _numbers(name, parts[name], limit)
    if "WKST" in parts and parts["WKST"] not in {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}:
        raise _refuse(_("WKST must be a day of the week (MO to SU)."))
    ordinal_limit = {"MONTHLY": 5, "YEARLY": 53}.get(freq, 0)
    for item in parts.get("BYDAY", "").split(",") if "BYDAY" in parts else []:
        match = _WEEKDAY.match(item)
        if not match:
            raise _refuse(_("“%(value)s” is not a day of the week in BYDAY.") % {"value": item[:10]})
        if match.group(2) and (not ordinal_limit or not 1 <= int(match.group(2)) <= ordinal_limit
                               or (freq == "YEARLY" and "BYMONTH" in parts and int(match.group(2)) > 5)):
            raise _refuse(_("BYDAY=%(value)s is not a valid position for FREQ=%(freq)s.") % {
                "value": item[:10], "freq": freq})
    if freq == "YEARLY" and "BYMONTHDAY" in parts and "BYMONTH" not in parts:
        raise _refuse(_("With FREQ=YEARLY, give BYMONTH together with BYMONTHDAY: calendar programs read the rule "
                        "differently without it."))


def _until_local(value: str, zone: ZoneInfo) -> datetime:
    """UNTIL as a naive local time of the series' zone (a UTC value is converted, a date means the whole day)."""
    if len(value) == 8:
        return datetime.combine(date(int(value[:4]), int(value[4:6]), int(value[6:8])), time(23, 59, 59))
    moment = datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    if value.endswith("Z"):
        return moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    return moment


def _build_rule(rule: str, dtstart_local: datetime, zone: ZoneInfo) -> rrule:
    parts = dict(piece.split("=", 1) for piece in rule.split(";"))
    until = parts.pop("UNTIL", None)
    built = rrulestr(";".join(f"{k}={v}" for k, v in parts.items()), dtstart=dtstart_local, cache=False)
    if until:
        built = built.replace(until=_until_local(until, zone))
    return built


def local_moment(naive: datetime, zone: ZoneInfo) -> datetime:
    """An aware UTC moment from a wall-clock time; a time skipped by a clock change is read as before the change."""
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def parse_local(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=None, second=0, microsecond=0)


def rule_set(
    *, rule: str, first_start: datetime, zone: ZoneInfo, rdates: Iterable[str] = (), exdates: Iterable[str] = ()
) -> rruleset:
    """The series as a dateutil rule set of naive local times in ``zone``."""
    dtstart = first_start.astimezone(zone).replace(tzinfo=None)
    rules = rruleset(cache=False)
    rules.rrule(_build_rule(rule, dtstart, zone))
    for value in rdates:
        rules.rdate(parse_local(value))
    for value in exdates:
        rules.exdate(parse_local(value))
    return rules


def expand(
    *,
    rule: str,
    first_start: datetime,
    zone: ZoneInfo,
    window_start: datetime,
    window_end: datetime,
    rdates: Iterable[str] = (),
    exdates: Iterable[str] = (),
) -> list[datetime]:
    """The occurrences (aware, UTC) that start in [window_start, window_end)."""
    rules = rule_set(rule=rule, first_start=first_start, zone=zone, rdates=rdates, exdates=exdates)
    lo = window_start.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    hi = window_end.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    found = (local_moment(naive, zone) for naive in rules.between(lo, hi, inc=True))
    return [moment for moment in found if window_start <= moment < window_end]


def local_iso(moment: datetime, zone: ZoneInfo) -> str:
    """The stored form of an RDATE or EXDATE: the wall-clock time in the series' zone."""
    return moment.astimezone(zone).replace(tzinfo=None).isoformat(timespec="minutes")
