"""iCalendar (RFC 5545) for liaison: feeds with real recurrence, and .ics files imported as meetings.

A series is one VEVENT with RRULE, RDATE and EXDATE in its own zone (with its VTIMEZONE); each override (a moved,
changed or held occurrence) is a VEVENT with the same UID and a RECURRENCE-ID; a cancelled occurrence and an
occurrence skipped for a public holiday are EXDATEs. Action items are VTODOs with their due dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vRecur

from spacebridge.liaison import recurrence
from spacebridge.liaison.models import PLATFORM_PREFIX, ActionItem, LiaisonSeries, Meeting
from spacebridge.liaison.selectors import countries_by_series, starts_between
from spacebridge.liaison.services import holiday_exdates

PRODID = "-//Spacebridge//Liaison//EN"
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_EVENTS = 500
_STATUS = {Meeting.Status.SCHEDULED: "CONFIRMED", Meeting.Status.HELD: "CONFIRMED",
           Meeting.Status.CANCELLED: "CANCELLED"}


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _url(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def _vtimezone(zone: str, first: datetime, last: datetime) -> str | None:
    """The VTIMEZONE of a zone as iCalendar text (lines ending in CRLF), or None for UTC."""
    if zone == "UTC":
        return None
    return _vtimezone_years(zone, first.year - 1, last.year + 1)


@lru_cache(maxsize=256)
def _vtimezone_years(zone: str, first_year: int, last_year: int) -> str:
    """The zone's rules over whole years, built and serialised once per zone and span and shared by every feed
    (zone rules change only with a new tzdata, which comes with a restart)."""
    component = Timezone.from_tzinfo(ZoneInfo(zone), first_date=date(first_year, 1, 1),
                                     last_date=date(last_year, 12, 31))
    return component.to_ical().decode()


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def _series_event(series: LiaisonSeries, exdates: Iterable[datetime]) -> Event:
    event = Event()
    event.add("uid", series.uid)
    event.add("summary", series.title.get())
    event.add("dtstamp", series.updated_at.astimezone(UTC))
    event.add("dtstart", _local(series.first_start, series.time_zone))
    event.add("duration", timedelta(minutes=series.duration_minutes))
    rule = vRecur.from_ical(series.rrule)
    if "UNTIL" in rule:
        # RFC 5545: with a zoned DTSTART, UNTIL is in UTC.
        until = recurrence._until_local(series.rrule.split("UNTIL=")[1].split(";")[0], ZoneInfo(series.time_zone))
        rule["UNTIL"] = [recurrence.local_moment(until, ZoneInfo(series.time_zone))]
    event.add("rrule", rule)
    zone = ZoneInfo(series.time_zone)
    for value in series.rdates:
        event.add("rdate", recurrence.parse_local(value).replace(tzinfo=zone))
    excluded = sorted({*(recurrence.parse_local(v).replace(tzinfo=zone) for v in series.exdates),
                       *(moment.astimezone(zone) for moment in exdates)})
    if excluded:
        event.add("exdate", excluded)
    event.add("sequence", series.sequence)
    _place(event, series.place, series.online_link)
    event.add("url", _url(series.get_absolute_url()))
    return event


def _place(event: Event, place: str, link: str) -> None:
    if place:
        event.add("location", place)
    elif link:
        event.add("location", link)
    if link:
        event.add("description", link)


_OVERRIDE_FIELDS = ("pk", "uid", "title", "updated_at", "start", "end", "time_zone", "occurrence_start", "sequence",
                   "status", "place", "online_link")
# What the feed needs of an override as values (status, zone, occurrence), the rest as the database stores it.
_OVERRIDE_KEY_FIELDS = ("pk", "series_id", "status", "time_zone", "occurrence_start", "uid", "title_stored",
                        "updated_stored", "start_stored", "end_stored", "sequence", "place", "online_link")
_OVERRIDE_TEXTS: dict[tuple, str] = {}
_OVERRIDE_TEXTS_MAX = 20_000


class _Override:
    """An override as a feed needs it: its status, zone and occurrence, and its VEVENT as folded text."""

    __slots__ = ("occurrence_start", "pk", "series_id", "status", "text", "time_zone")

    def __init__(self, row: tuple) -> None:
        self.pk, self.series_id, self.status, self.time_zone, self.occurrence_start = row[:5]
        self.text = ""


def _overrides_by_series(all_series: list[LiaisonSeries]) -> dict[int, list[Any]]:
    """Each series' overrides: the prefetched meetings when the caller read them, else one query for all series.
    Each override's VEVENT text is kept under its columns as stored (read as text, without conversion), so a feed
    read again writes only the overrides that changed, and reads their values in one more query."""
    found: dict[int, list[Any]] = {one.pk: [] for one in all_series}
    zones = {one.pk: one.time_zone for one in all_series}
    missing = []
    for one in all_series:
        if "meetings" in getattr(one, "_prefetched_objects_cache", {}):
            found[one.pk] = list(one.meetings.all())
        else:
            missing.append(one.pk)
    if not missing:
        return found
    language, base = translation.get_language(), _meeting_url_base()
    first = not _OVERRIDE_TEXTS
    values = ("title", "updated_at", "start", "end") if first else ()
    rows = list(Meeting.objects.filter(series__in=missing).order_by("start", "pk").annotate(
        title_stored=Cast("title", TextField()), updated_stored=Cast("updated_at", TextField()),
        start_stored=Cast("start", TextField()), end_stored=Cast("end", TextField()),
    ).values_list(*_OVERRIDE_KEY_FIELDS, *values))
    unknown: dict[int, tuple[_Override, tuple, tuple]] = {}
    for row in rows:
        override = _Override(row)
        key = (row[:13], zones[override.series_id], language, base)
        override.text = _OVERRIDE_TEXTS.get(key, "")
        if not override.text:
            unknown[override.pk] = (override, key, row)
        found[override.series_id].append(override)
    if unknown:
        if len(_OVERRIDE_TEXTS) + len(unknown) > _OVERRIDE_TEXTS_MAX:
            _OVERRIDE_TEXTS.clear()
        if first:  # the values came with the keys
            meetings: Iterable[Any] = (_MeetingValues(row) for _override, _key, row in unknown.values())
        else:
            typed = (Meeting.objects.filter(series__in=missing) if len(unknown) > len(rows) // 4
                     else Meeting.objects.filter(pk__in=list(unknown)))
            meetings = typed.only(*_OVERRIDE_FIELDS).order_by()
        for meeting in meetings:
            if meeting.pk not in unknown:
                continue
            override, key, _row = unknown[meeting.pk]
            override.text = _OVERRIDE_TEXTS[key] = _folded(_meeting_lines(meeting, zones[override.series_id]))
    return found


class _MeetingValues:
    """The columns of an override that its VEVENT writes, from a first read's row (keys, then values)."""

    __slots__ = ("end", "occurrence_start", "online_link", "pk", "place", "sequence", "start", "status", "time_zone",
                 "title", "uid", "updated_at")

    def __init__(self, row: tuple) -> None:
        self.pk, _series, self.status, self.time_zone, self.occurrence_start, self.uid = row[:6]
        self.sequence, self.place, self.online_link = row[10:13]
        self.title, self.updated_at, self.start, self.end = row[13:17]


def series_components(
    series: LiaisonSeries, *, horizon: datetime | None = None, meetings: list[Any] | None = None,
    countries: list[str] | None = None,
) -> tuple[tuple[Event, list[str]], set[str]]:
    """The master VEVENT of a series, its overrides' VEVENTs as folded text, and the zones they use."""
    horizon = horizon or datetime.now(UTC) + timedelta(days=recurrence.HORIZON_DAYS)
    if meetings is None:
        meetings = _overrides_by_series([series])[series.pk]
    cancelled = [m.occurrence_start for m in meetings if m.status == Meeting.Status.CANCELLED and m.occurrence_start]
    skipped: set[datetime] = set()
    if series.skip_holidays:
        starts = starts_between(series, series.first_start, horizon)
        overridden = {m.occurrence_start for m in meetings}
        if countries is None:
            countries = countries_by_series([series])[series.pk]
        skipped = holiday_exdates(series, starts, countries) - overridden
    override_texts = [m.text if isinstance(m, _Override) else _folded(_meeting_lines(m, series.time_zone))
                      for m in meetings if m.status != Meeting.Status.CANCELLED]
    return (_series_event(series, [*cancelled, *skipped]), override_texts), {series.time_zone,
                                                                              *(m.time_zone for m in meetings)}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n") \
        .replace("\n", "\\n").replace("\r", "")


def _fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets are folded, never inside a UTF-8 sequence."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _zoned(name: str, moment: datetime, zone: str) -> str:
    if zone == "UTC":
        return f"{name}:{_utc(moment)}"
    return f"{name};TZID={zone}:{moment.astimezone(_zone(zone)).strftime('%Y%m%dT%H%M%S')}"


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _meeting_lines(meeting: Meeting, series_zone: str | None) -> list[str]:
    """One meeting as VEVENT lines, written directly: feeds of hundreds of meetings stay fast."""
    lines = ["BEGIN:VEVENT", f"UID:{_escape(meeting.uid)}", f"SUMMARY:{_escape(meeting.title.get())}",
             f"DTSTAMP:{_utc(meeting.updated_at)}", _zoned("DTSTART", meeting.start, meeting.time_zone),
             _zoned("DTEND", meeting.end, meeting.time_zone)]
    if meeting.occurrence_start is not None and series_zone:
        lines.append(_zoned("RECURRENCE-ID", meeting.occurrence_start, series_zone))
    lines += [f"SEQUENCE:{meeting.sequence}", f"STATUS:{_STATUS[meeting.status]}"]
    if meeting.place or meeting.online_link:
        lines.append(f"LOCATION:{_escape(meeting.place or meeting.online_link)}")
    if meeting.online_link:
        lines.append(f"DESCRIPTION:{_escape(meeting.online_link)}")
    lines += [f"URL:{_meeting_url_base()}{meeting.pk}/", "END:VEVENT"]
    return lines


@lru_cache(maxsize=1)
def _meeting_url_base() -> str:
    return _url(reverse("liaison:meeting_detail", args=[0]))[:-2]


@lru_cache(maxsize=1)
def _action_url_base() -> str:
    return _url(reverse("liaison:action_detail", args=[0]))[:-2]


_TODO_STATUS = {"open": "NEEDS-ACTION", "done": "COMPLETED", "cancelled": "CANCELLED"}


_TODO_FIELDS = ("pk", "uid", "number", "description", "created_at", "due_on", "status", "closed_at", "group__acronym")


def _todo_lines(row: tuple, url: str) -> list[str]:
    _pk, uid, number, description, created_at, due_on, status, closed_at, acronym = row
    reference = f"{acronym or PLATFORM_PREFIX}/A{number}"
    lines = ["BEGIN:VTODO", f"UID:{_escape(uid)}", f"SUMMARY:{_escape(reference + ': ' + description.get())}",
             f"DTSTAMP:{_utc(created_at)}", f"DUE;VALUE=DATE:{due_on.strftime('%Y%m%d')}",
             f"STATUS:{_TODO_STATUS[status]}"]
    if closed_at:
        lines.append(f"COMPLETED:{_utc(closed_at)}")
    lines += [f"URL:{url}", "END:VTODO"]
    return lines


_TODO_KEY_FIELDS = ("pk", "uid", "number", "description_stored", "created_stored", "due_stored", "status",
                    "closed_stored", "group__acronym")
_TODO_TEXTS: dict[tuple, str] = {}
_TODO_TEXTS_MAX = 20_000


def _todo_texts(actions: Iterable[ActionItem], base: str) -> list[str]:
    """The VTODOs of the action items, each as folded text. From a queryset, each to-do's text is kept under its
    columns as the database stores them (read as text: no conversion to Python values): a feed read again, as
    calendar programs do every few minutes, writes only the to-dos that changed, and reads their values in one more
    query. With nothing kept yet (a first read), the values come in the same query."""
    if not isinstance(actions, QuerySet):
        return [_folded(_todo_lines((i.pk, i.uid, i.number, i.description, i.created_at, i.due_on, i.status,
                                     i.closed_at, i.group.acronym if i.group else None), f"{base}{i.pk}/"))
                for i in actions]
    language = translation.get_language()
    first = not _TODO_TEXTS
    fields = (*_TODO_KEY_FIELDS, *(("description", "created_at", "due_on", "closed_at") if first else ()))
    rows = list(actions.select_related(None).order_by("due_on", "pk").annotate(
        description_stored=Cast("description", TextField()), created_stored=Cast("created_at", TextField()),
        due_stored=Cast("due_on", TextField()), closed_stored=Cast("closed_at", TextField()),
    ).values_list(*fields))
    keys = [row[:9] for row in rows]
    found = [_TODO_TEXTS.get((key, language, base)) for key in keys]
    missing = [key for key, text in zip(keys, found, strict=True) if text is None]
    if missing:
        if first:
            # pk, uid, number, description, created_at, due_on, status, closed_at, acronym
            typed = {row[0]: (*row[:3], row[9], row[10], row[11], row[6], row[12], row[8]) for row in rows}
        else:
            # The rows came through the caller's access filter; their values are read by primary key, or, when most
            # are new, by the caller's query again.
            values = (actions.select_related(None).order_by() if len(missing) > len(keys) // 4
                      else ActionItem.objects.filter(pk__in=[key[0] for key in missing]).order_by())
            typed = {row[0]: row for row in values.values_list(*_TODO_FIELDS)}
        if len(_TODO_TEXTS) + len(missing) > _TODO_TEXTS_MAX:
            _TODO_TEXTS.clear()
        for key in missing:
            row = typed.get(key[0])
            if row is not None:  # deleted since the first read: left out, as a read a moment later would
                _TODO_TEXTS[(key, language, base)] = _folded(_todo_lines(row, f"{base}{row[0]}/"))
        found = [_TODO_TEXTS.get((key, language, base)) for key in keys]
    return [text for text in found if text is not None]


def _folded(lines: list[str]) -> str:
    return "".join(_fold(line) + "\r\n" for line in lines)


def feed(
    *, name: str, series: Iterable[LiaisonSeries] = (), meetings: Iterable[Meeting] = (),
    actions: Iterable[ActionItem] = (),
) -> bytes:
    """One calendar: the series with their overrides, one-off meetings and action items. The calendar and each
    series' master event come from the icalendar library, the VTIMEZONEs from it once per zone (cached as text);
    overrides, one-off meetings and to-dos are written line by line (the same properties; the tests parse and
    expand every feed). A fixed number of queries, however many series, meetings and action items."""
    calendar = _calendar(name)
    zones: dict[str, tuple[datetime, datetime]] = {}
    lines: list[str] = []

    def note_zone(zone: str, moment: datetime) -> None:
        first, last = zones.get(zone, (moment, moment))
        zones[zone] = (min(first, moment), max(last, moment))

    now = datetime.now(UTC)
    all_series = list(series)
    overrides = _overrides_by_series(all_series) if all_series else {}
    countries = countries_by_series([one for one in all_series if one.skip_holidays])
    masters = []
    for one in all_series:
        found, used = series_components(one, meetings=overrides[one.pk], countries=countries.get(one.pk, []))
        masters.append(found)
        for zone in used:
            note_zone(zone, one.first_start)
            note_zone(zone, now + timedelta(days=366))
    for meeting in meetings:
        lines += _meeting_lines(meeting, None)
        note_zone(meeting.time_zone, meeting.start)
    components = [text for zone, (first, last) in sorted(zones.items())
                  if (text := _vtimezone(zone, first, last)) is not None]
    components += [found[0].to_ical().decode() for found in masters]
    components += [text for found in masters for text in found[1]]
    todos = _todo_texts(actions, _action_url_base())
    body = calendar.to_ical()
    if not lines and not components and not todos:
        return body
    extra = "".join(components) + _folded(lines) + "".join(todos)
    closing = b"END:VCALENDAR\r\n"
    return body[: -len(closing)] + extra.encode() + closing


# --- import -------------------------------------------------------------------------------------------------------


class ImportedEvent:
    def __init__(self, *, uid: str, title: str, start: datetime, end: datetime, zone: str, place: str, link: str):
        self.uid, self.title, self.start, self.end = uid, title, start, end
        self.zone, self.place, self.link = zone, place, link


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _as_moment(value: Any, default_zone: str) -> tuple[datetime, str]:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=ZoneInfo(default_zone)), default_zone
        key = getattr(value.tzinfo, "key", None) or "UTC"
        return value.astimezone(UTC), key if key in recurrence._zones() else "UTC"
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=ZoneInfo(default_zone)), default_zone
    raise _refuse(_("An event has a start that is not a date or a time."))


def parse_ics(data: bytes, *, default_zone: str = "UTC") -> list[ImportedEvent]:
    """The events of an .ics file, or a ValidationError that says what is wrong with it (never anything else)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise _refuse(_("The file is larger than 2 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(_("The file is not UTF-8 text, so it is not an iCalendar file.")) from exc
    if "\x00" in text:
        raise _refuse(_("The file contains NUL characters, so it is not an iCalendar file."))
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise _refuse(_("The file does not start with BEGIN:VCALENDAR, so it is not an iCalendar file."))
    try:
        calendars = Calendar.from_ical(text, multiple=True)
        events = [c for calendar in calendars for c in calendar.walk("VEVENT")]
        found = [_imported(event, default_zone) for event in events]
    except ValidationError:
        raise
    except Exception as exc:  # the parser raises many kinds of errors on broken input: each is a clear 4xx
        raise _refuse(_("The iCalendar file cannot be read: %(reason)s") % {"reason": str(exc)[:200]}) from exc
    if not found:
        raise _refuse(_("The file holds no events."))
    if len(found) > MAX_IMPORT_EVENTS:
        raise _refuse(_("The file holds more than %(max)d events.") % {"max": MAX_IMPORT_EVENTS})
    return found


def _imported(event: Any, default_zone: str) -> ImportedEvent:
    if event.get("dtstart") is None:
        raise _refuse(_("An event has no start (DTSTART)."))
    start, zone = _as_moment(event.decoded("dtstart"), default_zone)
    if event.get("dtend") is not None:
        end, _zone = _as_moment(event.decoded("dtend"), zone)
    elif event.get("duration") is not None:
        end = start + event.decoded("duration")
    else:
        end = start + (timedelta(days=1) if not isinstance(event.decoded("dtstart"), datetime) else timedelta(hours=1))
    if end <= start:
        raise _refuse(_("The event “%(title)s” ends before it starts.") % {"title": str(event.get("summary", ""))[:80]})
    title = str(event.get("summary") or _("Imported meeting")).replace("\x00", "")[:300]
    link = str(event.get("url") or "")
    return ImportedEvent(uid=str(event.get("uid") or "")[:120], title=title, start=start.astimezone(UTC),
                         end=end.astimezone(UTC), zone=zone, place=str(event.get("location") or "")[:300],
                         link=link if link.startswith(("https://", "http://")) else "")
