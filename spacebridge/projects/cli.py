"""`spacebridge projects …`: the joint projects portfolio (docs/projects.md)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"There is no user “{username}”.")
    return user


def _project(slug: str, user: Any) -> Any:
    from django.http import Http404

    from spacebridge.projects.selectors import project_get_for_user

    try:
        return project_get_for_user(user=user, slug=slug)
    except Http404:
        raise click.ClickException(f"There is no project “{slug}” (see `spacebridge projects list`).") from None


def _errors(error: Any) -> click.ClickException:
    messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    return click.ClickException("; ".join(f"{k}: {' '.join(v)}" if k else " ".join(v) for k, v in messages.items()))


@click.group(name="projects")
def projects() -> None:
    """Joint projects: the portfolio, its parties and milestones."""


@projects.command("list")
@click.option("--status", default="", help="Only projects in this status (proposed, active, suspended, completed, cancelled).")
@click.option("--party", default="", help="Only projects this party (by code) leads or takes part in.")
@click.option("--as-user", "username", default="", help="See what this user sees (default: the public).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
def project_list(status: str, party: str, username: str, as_json: bool) -> None:
    """List the projects: web-address name, status, dates, lead party and name."""
    from django.contrib.auth.models import AnonymousUser

    from spacebridge.projects.models import Project
    from spacebridge.projects.selectors import project_list as select

    if status and status not in Project.Status.values:
        raise click.BadParameter(f"choose one of {', '.join(Project.Status.values)}", param_hint="--status")
    user = _user(username) if username else AnonymousUser()
    for project in select(user=user, status=status, party=party.strip().lower()):
        lead = project.lead.party.code if project.lead else ""
        if as_json:
            click.echo(json.dumps({"slug": project.slug, "status": project.status, "start": str(project.start or ""),
                                   "end": str(project.end or ""), "lead": lead, "name": project.name.to_json()},
                                  ensure_ascii=False))
        else:
            period = f"{project.start or '…'} – {project.end or '…'}"
            click.echo(f"{project.slug:40} {project.status:10} {period:25} {lead:14} {project.name.get('en')}")


@projects.command("show")
@click.argument("slug")
@click.option("--as-user", "username", default="", help="See what this user sees (default: the public).")
def project_show(slug: str, username: str) -> None:
    """Show one project: parties with their contributions and the milestones with their ids."""
    from django.contrib.auth.models import AnonymousUser

    project = _project(slug, _user(username) if username else AnonymousUser())
    click.echo(f"{project.name.get('en')}  [{project.status}]  {project.start or '…'} – {project.end or '…'}")
    for p in project.participations.all():
        money = f"{p.amount} {p.currency}" if p.amount is not None else "in kind"
        click.echo(f"  {p.role:12} {p.party.code:16} {money:22} {p.contribution.get('en')}")
    for m in project.milestones.all():
        click.echo(f"  #{m.pk:<5} {m.due_on}  {m.status:12} {m.title.get('en')}")


@projects.command("milestone")
@click.argument("slug")
@click.argument("milestone_id", type=int)
@click.option("--status", required=True, help="planned, in_progress, achieved, missed or cancelled.")
@click.option("--achieved-on", default=None, type=click.DateTime(formats=["%Y-%m-%d"]), help="Date it was achieved (default today).")
@click.option("--by", "username", required=True, help="Username of the person recording the change (audited).")
def milestone_status(slug: str, milestone_id: int, status: str, achieved_on: Any, username: str) -> None:
    """Record a milestone's new status."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from spacebridge.projects.services import milestone_update

    user = _user(username)
    project = _project(slug, user)
    milestone = project.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise click.ClickException(f"Project “{slug}” has no milestone #{milestone_id}.")
    fields: dict[str, Any] = {"status": status}
    if achieved_on is not None:
        fields["achieved_on"] = date(achieved_on.year, achieved_on.month, achieved_on.day)
    try:
        milestone = milestone_update(milestone=milestone, by=user, **fields)
    except ValidationError as error:
        raise _errors(error) from None
    except PermissionDenied as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"#{milestone.pk} {milestone.title.get('en')}: {milestone.status}")
