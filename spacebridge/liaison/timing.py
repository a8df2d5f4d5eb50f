"""Times people can trust: a meeting's time in every zone that matters, clock changes and public holidays."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holiday_calendars
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

# The zone whose calendar decides a delegation's public holidays.
COUNTRY_ZONES = {"CN": "Asia/Shanghai", "RU": "Europe/Moscow", "US": "America/New_York"}
_HOLIDAY_LANGUAGES = {"zh-hans": "zh_CN", "ru": "ru", "en": "en_US"}
STAMP = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class ZoneTime:
    label: str
    zone: str
    start: datetime
    end: datetime

    @property
    def text(self) -> str:
        """Always with the date, and the end's date too when the meeting crosses midnight there."""
        end = self.end.strftime("%H:%M") if self.end.date() == self.start.date() else self.end.strftime(STAMP)
        return f"{self.start.strftime(STAMP)}–{end} {self.start.tzname()}"


def capitals() -> list[tuple[str, str]]:
    return [(str(label), zone) for label, zone in settings.CAPITAL_TIME_ZONES]


def capitals_and_utc() -> list[tuple[str, str]]:
    """The capitals (labels in the active language) and UTC, as the lists of meetings show them."""
    return _capitals_and_utc(translation.get_language())


@lru_cache(maxsize=16)
def _capitals_and_utc(language: str | None) -> list[tuple[str, str]]:
    return [*capitals(), ("UTC", "UTC")]


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The zone object of a name, looked up once (a page converts the same few zones many times)."""
    return ZoneInfo(name)


def stamp(moment: datetime, zone_name: str) -> str:
    """The moment on a zone's wall clock with the zone's abbreviation: “2026-03-10 22:00 CST”."""
    local = moment.astimezone(zone(zone_name))
    return f"{local.strftime(STAMP)} {local.tzname()}"


def meeting_times(start: datetime, end: datetime, *, meeting_zone: str, viewer_zone: str) -> list[ZoneTime]:
    """The meeting in its own zone, the viewer's, Beijing, Moscow, Washington and UTC (each zone once)."""
    rows: list[tuple[str, str]] = [(_("Meeting's zone"), meeting_zone), (_("Your zone"), viewer_zone)]
    rows += [*capitals(), ("UTC", "UTC")]
    merged: dict[str, list[str]] = {}
    for label, name in rows:
        merged.setdefault(name, []).append(label)
    return [
        ZoneTime(" · ".join(labels), name, start.astimezone(zone(name)), end.astimezone(zone(name)))
        for name, labels in merged.items()
    ]


@lru_cache(maxsize=64)
def _calendar(country: str, year: int, language: str) -> dict[date, str]:
    try:
        calendar = holiday_calendars.country_holidays(country, years=year, language=language)
    except (NotImplementedError, KeyError):
        return {}
    except ValueError:
        calendar = holiday_calendars.country_holidays(country, years=year)
    return dict(calendar.items())


def holiday_name(country: str, day: date) -> str | None:
    language = _HOLIDAY_LANGUAGES.get(translation.get_language() or "en", "en_US")
    return _calendar(country, day.year, language).get(day)


def holidays_at(moment: datetime, countries: list[str]) -> list[tuple[str, str]]:
    """(country, holiday) for each delegation whose local date of ``moment`` is a public holiday."""
    found = []
    for country in countries:
        local = moment.astimezone(zone(COUNTRY_ZONES.get(country, "UTC")))
        name = holiday_name(country, local.date())
        if name:
            found.append((country, name))
    return found


@dataclass
class ClockShift:
    """An occurrence whose local time in a zone differs from the previous occurrence's."""

    label: str
    zone: str
    before: str
    after: str


@dataclass
class Occurrence:
    start: datetime
    end: datetime
    shifts: list[ClockShift] = field(default_factory=list)
    holidays: list[tuple[str, str]] = field(default_factory=list)


def annotate(
    starts: list[datetime], *, duration: timedelta, countries: list[str], zones: list[tuple[str, str]] | None = None
) -> list[Occurrence]:
    """Each occurrence with the clock shifts it brings for each capital and the holidays it falls on."""
    zones = zones if zones is not None else capitals_and_utc()
    previous: dict[str, str] = {}
    result = []
    for start in starts:
        occurrence = Occurrence(start, start + duration, holidays=holidays_at(start, countries))
        for label, name in zones:
            local = start.astimezone(zone(name)).strftime("%H:%M")
            if name in previous and previous[name] != local:
                occurrence.shifts.append(ClockShift(label, name, previous[name], local))
            previous[name] = local
        result.append(occurrence)
    return result


def shift_notices(occurrences: list[Occurrence]) -> list[str]:
    """Sentences for the series page and the creation message: when the meeting moves on whose clock."""
    notices = []
    for occurrence in occurrences:
        for shift in occurrence.shifts:
            day = occurrence.start.astimezone(ZoneInfo(shift.zone)).date().isoformat()
            notices.append(
                _("From %(day)s the meeting starts at %(after)s instead of %(before)s in %(place)s (clock change).")
                % {"day": day, "after": shift.after, "before": shift.before, "place": shift.label}
            )
    return notices


def utc_now() -> datetime:
    return datetime.now(UTC)
