"""`spacebridge events …`: symposia, workshops and registrations (docs/events.md, docs/cli.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    if not username:
        return AnonymousUser()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"There is no user “{username}”.")
    return user


def _event(slug: str, user: Any) -> Any:
    from django.http import Http404

    from spacebridge.events.selectors import event_get_for_user

    try:
        return event_get_for_user(user=user, slug=slug)
    except Http404:
        raise click.ClickException(f"There is no event “{slug}” (see `spacebridge events list`).") from None


def _errors(error: Any) -> click.ClickException:
    messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    return click.ClickException("; ".join(f"{k}: {' '.join(v)}" if k else " ".join(v) for k, v in messages.items()))


@click.group(name="events")
def events() -> None:
    """Events: symposia, workshops and training, their programme and registrations."""


@events.command("list")
@click.option("--when", type=click.Choice(["all", "upcoming", "past"]), default="all", show_default=True,
              help="Which events.")
@click.option("--as-user", "username", default="", help="See what this user sees (default: the public).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
def event_list(when: str, username: str, as_json: bool) -> None:
    """List the events: web-address name, kind, start and end in the event's zone, places, title."""
    from spacebridge.events.display import span_in_zone
    from spacebridge.events.registrations import places_taken
    from spacebridge.events.selectors import event_list as select

    for event in select(user=_user(username), when="" if when == "all" else when):
        taken = places_taken(event)
        if as_json:
            click.echo(json.dumps({
                "slug": event.slug, "kind": event.kind, "starts_at": event.starts_at.isoformat(),
                "ends_at": event.ends_at.isoformat(), "time_zone": event.time_zone, "title": event.title.to_json(),
                "capacity": event.capacity, "places_taken": taken, "registration_open": event.registration_open,
            }, ensure_ascii=False))
        else:
            places = f"{taken}/{event.capacity}" if event.capacity else str(taken)
            click.echo(f"{event.slug:24} {event.kind:10} {span_in_zone(event.starts_at, event.ends_at, event.time_zone):60}"
                       f" {places:>7}  {event.title.get('en')}")


@events.command("show")
@click.argument("slug")
@click.option("--as-user", "username", default="", help="See what this user sees (default: the public).")
def event_show(slug: str, username: str) -> None:
    """Show one event with its programme (times in the event's zone) and the materials the user may see."""
    from spacebridge.events.display import in_zone, span_in_zone
    from spacebridge.events.selectors import proceedings, programme

    user = _user(username)
    event = _event(slug, user)
    click.echo(f"{event.title.get('en')}  [{event.kind}]")
    click.echo(f"  {span_in_zone(event.starts_at, event.ends_at, event.time_zone)}")
    if event.venue:
        click.echo(f"  {event.venue.get('en')}")
    for session in programme(event=event, user=user):
        click.echo(f"\n{span_in_zone(session.starts_at, session.ends_at, event.time_zone)}  {session.title.get('en')}")
        for talk in session.talks.all():
            materials = " ".join(r.reference for r in talk.visible_materials)
            click.echo(f"  {in_zone(talk.starts_at, event.time_zone, with_date=False):32} {talk.title.get('en')}"
                       f" — {talk.speaker_label('en')}{'  [' + materials + ']' if materials else ''}")
    papers = proceedings(event=event, user=user)
    if papers:
        click.echo("\nProceedings: " + " ".join(r.reference for r in papers))


@events.command("participants")
@click.argument("slug")
@click.option("--as-user", "username", required=True,
              help="An organiser or an officer of a participating party (the list is theirs to see).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
def event_participants(slug: str, username: str, as_json: bool) -> None:
    """List the people registered for the event, with their status, in the order they registered."""
    from django.http import Http404

    from spacebridge.events.selectors import participants

    user = _user(username)
    event = _event(slug, user)
    try:
        registrations = list(participants(event=event, user=user))
    except Http404:
        raise click.ClickException(f"{username} may not see the participants of “{slug}”.") from None
    for r in registrations:
        if as_json:
            click.echo(json.dumps({"id": r.pk, "name": r.name, "affiliation": r.affiliation, "status": r.status,
                                   "party": r.party.code if r.party else None,
                                   "registered_at": r.created_at.isoformat()}, ensure_ascii=False))
        else:
            click.echo(f"{r.pk:6} {r.status:12} {r.name:30} {r.affiliation}")


@events.command("register")
@click.argument("slug")
@click.option("--user", "username", required=True, help="Username of the member who registers.")
@click.option("--party", default="", help="Code of the member's party they register for (default: their only one).")
def event_register(slug: str, username: str, party: str) -> None:
    """Register a member for the event: a place, the waiting list or the organisers' approval, as on the page."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from spacebridge.events.services import registration_submit
    from spacebridge.parties.models import Party

    user = _user(username)
    event = _event(slug, user)
    chosen = Party.objects.filter(code=party.strip().lower()).first() if party else None
    if party and chosen is None:
        raise click.ClickException(f"There is no party “{party}”.")
    try:
        registration = registration_submit(event=event, by=user, party=chosen)
    except ValidationError as error:
        raise _errors(error) from None
    except PermissionDenied as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{registration.pk} {registration.status}")


@events.command("cancel")
@click.argument("slug")
@click.argument("registration_id", type=int)
@click.option("--by", "username", required=True, help="Username of the registrant or of an organiser.")
def event_cancel(slug: str, registration_id: int, username: str) -> None:
    """Cancel a registration; a place it held goes to the first person on the waiting list."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from spacebridge.events.services import registration_cancel

    user = _user(username)
    event = _event(slug, user)
    registration = event.registrations.filter(pk=registration_id).first() if registration_id < 2**63 else None
    if registration is None:
        raise click.ClickException(f"There is no registration {registration_id} for “{slug}”.")
    try:
        registration_cancel(registration=registration, by=user)
    except ValidationError as error:
        raise _errors(error) from None
    except PermissionDenied as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{registration.pk} cancelled")


@events.command("ics")
@click.argument("slug")
@click.option("--language", type=click.Choice(["en", "zh", "ru"]), default="en", show_default=True,
              help="Language of the titles.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the calendar to this file (default: standard output).")
def event_ics(slug: str, language: str, output: Path | None) -> None:
    """Write the public event's iCalendar file, with its programme's sessions."""
    from spacebridge.events.ical import event_calendar

    body = event_calendar(_event(slug, _user("")), language=language)
    if output is None:
        sys.stdout.buffer.write(body)
    else:
        output.write_bytes(body)
        click.echo(f"{output}: {len(body)} bytes", err=True)


@events.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "username", required=True,
              help="Username of the organiser: of the secretariat, or an officer of each event's organiser party.")
def event_load(path: Path, username: str) -> None:
    """Create events with their programme, proceedings and participants from a JSON file (docs/events.md)."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from spacebridge.events.demo import event_load as load

    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
        items = spec["events"] if isinstance(spec, dict) and "events" in spec else [spec]
    except (ValueError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path} is not a JSON file of events: {error}") from None
    user = _user(username)
    try:
        with transaction.atomic():
            loaded = [load(item, by=user) for item in items]
    except ValidationError as error:
        raise _errors(error) from None
    except PermissionDenied as error:
        raise click.ClickException(str(error)) from None
    except (KeyError, TypeError, ValueError) as error:
        raise click.ClickException(f"{path}: an event lacks or misshapes {error}") from None
    for event in loaded:
        click.echo(f"{event.slug} loaded")
