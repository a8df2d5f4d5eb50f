"""`spacebridge groups …`: joint working groups, members and work plans (docs/groups.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

import click


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"There is no user {username!r}.")
    return user


def _group(acronym: str, user: Any) -> Any:
    from spacebridge.access.policy import visible
    from spacebridge.groups.models import WorkingGroup

    group = visible(WorkingGroup.objects.all(), user).filter(acronym=acronym.upper()).first()
    if group is None:
        raise click.ClickException(f"There is no working group {acronym!r} (or {user} may not see it).")
    return group


@click.group(name="groups")
def groups() -> None:
    """Joint working groups."""


@groups.command("list")
@click.option("--as-user", "username", required=True, help="List the groups this user may see.")
def group_list(username: str) -> None:
    """List the working groups with their status and member parties."""
    from spacebridge.access.policy import visible
    from spacebridge.groups.models import WorkingGroup

    for group in visible(WorkingGroup.objects.prefetch_related("memberships__party"), _user(username)):
        parties = sorted({m.party.short_name for m in group.memberships.all() if m.role == "member_party"})
        click.echo(f"{group.acronym:<10} {group.status:<10} {group.name.get()}  [{', '.join(parties)}]")


@groups.command("show")
@click.argument("acronym")
@click.option("--as-user", "username", required=True, help="Show the group as this user sees it.")
def group_show(acronym: str, username: str) -> None:
    """Show a group's charter, current members and work plan."""
    user = _user(username)
    group = _group(acronym, user)
    today = date.today()
    click.echo(f"{group.acronym} — {group.name.get()} ({group.status})")
    if group.mandate:
        click.echo(f"Mandate: {group.mandate.get()}")
    if group.scope:
        click.echo(f"Scope: {group.scope.get()}")
    for membership in group.memberships.select_related("party", "person").order_by("role"):
        if membership.person_id and membership.is_current(today):
            click.echo(f"  {membership.role:<10} {membership.person.transliteration} ({membership.party.short_name})")
    for item in group.work_plan.select_related("owner_party"):
        late = " OVERDUE" if item.is_overdue(today) else ""
        click.echo(f"  plan  {item.due_on}  {item.status:<11} {item.owner_party.short_name:<10} {item.title.get()}{late}")


@groups.command("plan-add")
@click.argument("acronym")
@click.option("--by", "username", required=True, help="Username of the co-chair, secretary or secretariat officer.")
@click.option("--kind", type=click.Choice(["milestone", "deliverable"]), default="milestone", show_default=True,
              help="Milestone or deliverable.")
@click.option("--title", required=True, help="The title (English).")
@click.option("--owner-party", required=True, help="Code of the owner party (a member of the group).")
@click.option("--due", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="Due date, YYYY-MM-DD.")
def plan_add(acronym: str, username: str, kind: str, title: str, owner_party: str, due: Any) -> None:
    """Add a milestone or deliverable to a group's work plan."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from spacebridge.core.multilingual import MultilingualText
    from spacebridge.groups.services import work_plan_item_add
    from spacebridge.parties.models import Party

    user = _user(username)
    party = Party.objects.filter(code=owner_party).first()
    if party is None:
        raise click.ClickException(f"There is no party {owner_party!r}.")
    try:
        item = work_plan_item_add(group=_group(acronym, user), by=user, kind=kind,
                                  title=MultilingualText({"en": title}, "en"), owner_party=party, due_on=due.date())
    except (PermissionDenied, ValidationError) as exc:
        raise click.ClickException(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
    click.echo(f"Added {item.reference}.")
