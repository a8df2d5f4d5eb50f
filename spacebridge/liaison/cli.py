"""`spacebridge liaison …`: liaison series, meetings, minutes, decisions and actions (docs/liaison.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import click


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"There is no user {username!r}.")
    return user


def _messages(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc) or "Not allowed."])


@click.group(name="liaison")
def liaison() -> None:
    """Liaison meetings."""


@liaison.command("upcoming")
@click.option("--as-user", "username", required=True, help="List the meetings this user may see.")
@click.option("--days", type=click.IntRange(1, 366), default=30, show_default=True, help="How many days ahead.")
@click.option("--group", "acronym", default="", help="Only this working group's meetings (acronym).")
def upcoming(username: str, days: int, acronym: str) -> None:
    """The coming meetings, in UTC and in the three capitals."""
    from spacebridge.groups.models import WorkingGroup
    from spacebridge.liaison.selectors import calendar_entries
    from spacebridge.liaison.timing import capitals

    user = _user(username)
    group = WorkingGroup.objects.filter(acronym=acronym.upper()).first() if acronym else None
    if acronym and group is None:
        raise click.ClickException(f"There is no working group {acronym!r}.")
    now = datetime.now(UTC)
    for entry in calendar_entries(user=user, group=group, window_start=now, window_end=now + timedelta(days=days)):
        from zoneinfo import ZoneInfo

        local = " | ".join(f"{label} {entry.start.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}"
                           for label, zone in capitals())
        flags = " CANCELLED" if entry.status == "cancelled" else ""
        flags += "".join(f" HOLIDAY({c})" for c, _n in entry.holidays)
        click.echo(f"{entry.start:%Y-%m-%d %H:%M} UTC | {local} | {entry.title.get()}{flags}")


@liaison.command("slots")
@click.option("--zone", "zones", multiple=True, help="A participant's IANA zone; repeat. Default: Beijing, Moscow, "
              "New York.")
@click.option("--work-start", default="09:00", show_default=True, help="Working hours start (HH:MM).")
@click.option("--work-end", default="18:00", show_default=True, help="Working hours end (HH:MM).")
@click.option("--duration", type=click.IntRange(15, 480), default=90, show_default=True, help="Minutes.")
@click.option("--top", type=click.IntRange(1, 48), default=5, show_default=True, help="How many slots to show.")
def slot_finder(zones: tuple[str, ...], work_start: str, work_end: str, duration: int, top: int) -> None:
    """Rank meeting start times by the burden on each zone over the year ahead, and propose a fair rotation."""
    from django.core.exceptions import ValidationError

    from spacebridge.liaison import recurrence, slots

    try:
        chosen = list(zones) or list(slots.DEFAULT_ZONES)
        for zone in chosen:
            recurrence.zone_validate(zone)
        hours = slots.WorkingHours(datetime.strptime(work_start, "%H:%M").time(),
                                   datetime.strptime(work_end, "%H:%M").time())
        ranked = slots.rank_slots(zones=chosen, duration=duration, hours=hours, start=date.today())
    except (ValidationError, ValueError) as exc:
        raise click.ClickException(_messages(exc)) from exc
    for slot in ranked[:top]:
        burden = ", ".join(f"{zone} {value:.0f}" for zone, value in slot.burden.items())
        click.echo(f"{slot.utc_time:%H:%M} UTC  total {slot.total:.0f}  ({burden})")
    rotation = slots.fair_rotation(ranked, size=len(chosen))
    click.echo("Rotation: " + ", ".join(f"{s.utc_time:%H:%M} UTC" for s in rotation.slots))


@liaison.command("feed")
@click.argument("series_id", type=int)
@click.option("--as-user", "username", required=True, help="Write the feed as this user may see it.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
def feed(series_id: int, username: str, output: Path | None) -> None:
    """Write a series' iCalendar feed (RRULE, EXDATE, VTIMEZONE, overrides)."""
    from spacebridge.liaison import ical
    from spacebridge.liaison.selectors import series_for_user

    series = series_for_user(_user(username)).filter(pk=series_id).first()
    if series is None:
        raise click.ClickException(f"There is no liaison series {series_id} (or the user may not see it).")
    body = ical.feed(name=series.title.get(), series=[series])
    if output:
        output.write_bytes(body)
        click.echo(f"Wrote {output}.")
    else:
        click.echo(body.decode())


@liaison.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "username", required=True, help="Username of the organiser importing (checked, audited).")
@click.option("--group", "acronym", default="", help="The working group the meetings belong to (acronym).")
@click.option("--zone", default="UTC", show_default=True, help="Zone of times given without one.")
def import_ics(path: Path, username: str, acronym: str, zone: str) -> None:
    """Import the events of an .ics file as one-off meetings; a broken file changes nothing."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from spacebridge.groups.models import WorkingGroup
    from spacebridge.liaison.services_calendar import ics_import

    group = WorkingGroup.objects.filter(acronym=acronym.upper()).first() if acronym else None
    if acronym and group is None:
        raise click.ClickException(f"There is no working group {acronym!r}.")
    try:
        meetings = ics_import(by=_user(username), group=group, data=path.read_bytes(), filename=path.name,
                              default_zone=zone)
    except (PermissionDenied, ValidationError) as exc:
        raise click.ClickException(_messages(exc)) from exc
    click.echo(f"Imported {len(meetings)} meetings.")


@liaison.command("overdue")
@click.option("--as-user", "username", required=True, help="List what this user may see.")
@click.option("--party", default="", help="Only the actions owned by this party (code).")
def overdue(username: str, party: str) -> None:
    """Overdue action items, by group."""
    from spacebridge.liaison.selectors import overdue_actions
    from spacebridge.parties.models import Party

    owner = Party.objects.filter(code=party).first() if party else None
    if party and owner is None:
        raise click.ClickException(f"There is no party {party!r}.")
    for item in overdue_actions(user=_user(username), on=date.today(), party=owner).order_by("group__acronym"):
        click.echo(f"{item.reference:<14} due {item.due_on}  {item.owner_party.short_name:<10} {item.description.get()}")


@liaison.command("remind")
@click.option("--digest/--no-digest", default=True, show_default=True, help="Also send the daily digests.")
def remind(digest: bool) -> None:
    """Queue today's action-item reminders (and daily digests), and the run that keeps rotating series' moved
    occurrences a year ahead, for the task worker."""
    from spacebridge.liaison.tasks import extend_rotations, send_action_reminders, send_daily_digests

    extend_rotations.enqueue()
    send_action_reminders.enqueue()
    if digest:
        send_daily_digests.enqueue()
    click.echo("Reminders queued; `spacebridge worker` sends them.")
