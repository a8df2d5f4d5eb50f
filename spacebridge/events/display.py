"""How event times read: always with the date and the time zone, in the event's zone and in the viewer's."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.formats import date_format, time_format

# Dates written out in full, the way each language's readers write them (Django's short English format, "Jan. 28,
# 2027", reads ambiguously to the platform's international users).
DATE_FORMATS = {"en": "j F Y", "zh-hans": "Y年n月j日", "ru": "j E Y г."}


def day(moment: datetime) -> str:
    return date_format(moment, DATE_FORMATS.get(translation.get_language() or "en", "DATE_FORMAT"))


def zone_label(moment: datetime, zone: str) -> str:
    """``Asia/Shanghai, UTC+08:00`` for a moment (the offset is the one in force then)."""
    if zone in {"UTC", "Etc/UTC"}:
        return "UTC"
    offset = moment.astimezone(ZoneInfo(zone)).strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if offset else "+00:00"
    return f"{zone}, UTC{offset}"


def in_zone(moment: datetime, zone: str, *, with_date: bool = True) -> str:
    """The moment as the people of ``zone`` read it: the date, the time and the zone."""
    local = moment.astimezone(ZoneInfo(zone))
    clock = time_format(local, "H:i")
    text = f"{day(local)} {clock}" if with_date else clock
    return f"{text} ({zone_label(moment, zone)})"


def span_in_zone(starts: datetime, ends: datetime, zone: str) -> str:
    """A span: one date when it starts and ends on the same local day, else both dates; with the zone."""
    start, end = starts.astimezone(ZoneInfo(zone)), ends.astimezone(ZoneInfo(zone))
    first = f"{day(start)} {time_format(start, 'H:i')}"
    if start.date() == end.date():
        last = time_format(end, "H:i")
    else:
        last = f"{day(end)} {time_format(end, 'H:i')}"
    return f"{first} – {last} ({zone_label(starts, zone)})"
