"""`spacebridge news …`: news, joint announcements and the public portal (docs/outreach.md)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"There is no user “{username}”.")
    return user


def _item(slug: str, user: Any) -> Any:
    from django.http import Http404

    from spacebridge.outreach.selectors import news_get_for_user

    try:
        return news_get_for_user(user=user, slug=slug)
    except Http404:
        raise click.ClickException(f"There is no news item “{slug}” (see `spacebridge news list`).") from None


def _party(code: str) -> Any:
    from spacebridge.parties.models import Party

    party = Party.objects.filter(code=code.strip().lower()).first()
    if party is None:
        raise click.ClickException(f"There is no party “{code}” (see `spacebridge parties list`).")
    return party


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("give an ISO 8601 time with its zone, e.g. 2026-12-01T09:00+08:00", param_hint="--at") from None
    if moment.tzinfo is None:
        raise click.BadParameter("give the time zone too, e.g. 2026-12-01T09:00+08:00", param_hint="--at")
    return moment


def _run(action: Any) -> Any:
    from django.core.exceptions import PermissionDenied, ValidationError

    try:
        return action()
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        raise click.ClickException("; ".join(f"{k}: {' '.join(v)}" if k else " ".join(v) for k, v in messages.items())) from None
    except PermissionDenied as error:
        raise click.ClickException(str(error)) from None


@click.group(name="news")
def news() -> None:
    """News and joint announcements."""


@news.command("list")
@click.option("--language", default="", help="Only news written in this language (en, zh, ru).")
@click.option("--preparing", "username", default="", help="List the drafts and announcements this user prepares or approves instead.")
def news_list(language: str, username: str) -> None:
    """List published news, newest first: publication time (UTC), web-address name, joint or not, title."""
    from django.contrib.auth.models import AnonymousUser

    from spacebridge.outreach.selectors import news_in_preparation, news_live

    if username:
        items = news_in_preparation(user=_user(username))
    else:
        items = news_live(user=AnonymousUser(), language=language.strip().lower()[:3])
    for item in items:
        when = item.publish_at.strftime("%Y-%m-%d %H:%M") if item.publish_at else "—"
        click.echo(f"{when:16}  {item.slug:55} {'joint' if item.joint else '     '} {item.status:9} {item.title.get('en')}")


@news.command("show")
@click.argument("slug")
@click.option("--as-user", "username", default="", help="See what this user sees (needed for news not yet published).")
def news_show(slug: str, username: str) -> None:
    """Show a news item with its languages and, for a joint announcement, each party's approval."""
    from django.contrib.auth.models import AnonymousUser

    item = _item(slug, _user(username) if username else AnonymousUser())
    click.echo(f"{item.title.get('en')}  [{item.status}]  {item.publish_at.isoformat() if item.publish_at else '—'}")
    click.echo(f"  languages: {', '.join(item.languages())}")
    for approval in item.approvals.all():
        state = f"approved {approval.approved_at:%Y-%m-%d %H:%M} UTC" if approval.approved_at else "awaiting approval"
        click.echo(f"  {approval.party.code:16} {state}")


@news.command("create")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "username", required=True, help="Username of the writer (audited).")
def news_create(path: Path, username: str) -> None:
    """Write a news item as a draft from a JSON file: {"title": {"en": …}, "body": {…}, "summary": {…},
    "original_language": "en", "joint": false, "parties": ["cmsa", …], "issuing_party": "ibmp", "slug": "…"}."""
    from spacebridge.core.multilingual import MultilingualText
    from spacebridge.outreach.services import news_create as create

    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(spec, dict):
            raise ValueError("the file must hold one JSON object")
    except (ValueError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path} is not a JSON object: {error}") from None
    original = str(spec.get("original_language", "en"))

    def text(name: str) -> MultilingualText:
        value = spec.get(name) or {}
        if not isinstance(value, dict):
            raise click.ClickException(f"“{name}” must be an object of {{language: text}}.")
        return MultilingualText({str(k): str(v) for k, v in value.items()}, original)

    item = _run(lambda: create(
        by=_user(username), title=text("title"), body=text("body"), summary=text("summary"),
        joint=bool(spec.get("joint")), parties=[_party(code) for code in spec.get("parties") or []],
        issuing_party=_party(spec["issuing_party"]) if spec.get("issuing_party") else None, slug=str(spec.get("slug", "")),
    ))
    click.echo(f"{item.slug}: draft written")


@news.command("publish")
@click.argument("slug")
@click.option("--at", "at", default=None, help="Publication time, ISO 8601 with its zone (default: now).")
@click.option("--by", "username", required=True, help="Username of the person publishing (audited).")
def news_publish(slug: str, at: str | None, username: str) -> None:
    """Schedule a draft; a joint announcement is submitted to its parties' liaison officers instead."""
    from spacebridge.outreach.services import news_publish as publish

    user = _user(username)
    item = _run(lambda: publish(item=_item(slug, user), by=user, publish_at=_when(at)))
    click.echo(f"{item.slug}: {item.status}, {item.publish_at.isoformat()}")


@news.command("approve")
@click.argument("slug")
@click.option("--party", required=True, help="Code of the party approving (the user must be its liaison officer).")
@click.option("--by", "username", required=True, help="Username of the liaison officer (audited).")
def news_approve(slug: str, party: str, username: str) -> None:
    """Approve a joint announcement for one party; the last approval schedules it."""
    from spacebridge.outreach.services import announcement_approve

    user = _user(username)
    item = _run(lambda: announcement_approve(item=_item(slug, user), by=user, party=_party(party)))
    click.echo(f"{item.slug}: {item.status}" + (f", goes out {item.publish_at.isoformat()}" if item.status == "scheduled" else ""))


@news.command("withdraw")
@click.argument("slug")
@click.option("--reason", required=True, help="Why it is withdrawn (kept in the audit log).")
@click.option("--by", "username", required=True, help="Username of the person withdrawing it (audited).")
def news_withdraw(slug: str, reason: str, username: str) -> None:
    """Withdraw a news item: it leaves the portal and the feeds."""
    from spacebridge.outreach.services import news_withdraw as withdraw

    user = _user(username)
    item = _run(lambda: withdraw(item=_item(slug, user), by=user, reason=reason))
    click.echo(f"{item.slug}: withdrawn")
