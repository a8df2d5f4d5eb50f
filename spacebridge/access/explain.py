""" "Who can see this and why", in words, for every object page and the API."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from spacebridge.access.models import Level, Marking
from spacebridge.access.policy import Audience, audience_of, awaiting_export_approval, default_owner_of


def _day(moment) -> str:  # type: ignore[no-untyped-def]
    return date_format(timezone.localtime(moment), "Y-m-d") if moment else "?"


def _because(audience: Audience) -> str:
    policy = audience.policy
    assert policy is not None
    if policy.owner_party is not None:
        return _("because the owner party, %(owner)s, released it on %(date)s") % {
            "owner": policy.owner_party.short_name,
            "date": _day(policy.decided_at),
        }
    return _("because the secretariat released it on %(date)s") % {"date": _day(policy.decided_at)}


def _default_lines(obj: models.Model, level: str) -> list[str]:
    kind = str(obj._meta.verbose_name_plural)
    if level == Level.PUBLIC:
        return [
            _("Visible to everyone, including visitors who are not signed in: %(kind)s are listed publicly.")
            % {"kind": kind}
        ]
    if level == Level.PLATFORM:
        return [
            _("Visible to all signed-in members of the platform: %(kind)s are shown to members only.") % {"kind": kind}
        ]
    return [_("Visible to nobody outside its owner: no release has been decided.")]


def _pending(policy, approved_at) -> bool:  # type: ignore[no-untyped-def]
    return policy.marking == Marking.DUAL_USE and approved_at is None


def _level_line(policy, because: str) -> str | None:  # type: ignore[no-untyped-def]
    if policy.level == Level.PUBLIC:
        return _("Visible to everyone, including visitors who are not signed in, %(because)s.") % {"because": because}
    if policy.level == Level.PLATFORM:
        return _("Visible to all signed-in members of the platform, %(because)s.") % {"because": because}
    if policy.level == Level.GROUP and policy.group:
        return _("Visible to the members of working group %(group)s, %(because)s.") % {
            "group": policy.group.acronym,
            "because": because,
        }
    return None


def _grant_line(grant, because: str) -> str:  # type: ignore[no-untyped-def]
    if grant.reason:
        because = _("because access was granted on %(date)s: %(reason)s") % {
            "date": _day(grant.granted_at),
            "reason": grant.reason,
        }
    if grant.party:
        return _("Visible to %(party)s and its sub-parties, %(because)s.") % {
            "party": grant.party.short_name,
            "because": because,
        }
    return _("Visible to the delegation of %(country)s (every party of that country), %(because)s.") % {
        "country": grant.country.name,
        "because": because,
    }


def _waiting(line: str) -> str:
    return _("%(line)s Not yet in effect: waiting for the owner party's export officer to approve.") % {"line": line}


def _audience_lines(audience: Audience) -> list[str]:
    policy = audience.policy
    assert policy is not None
    because = _because(audience)
    lines = []
    level_line = _level_line(policy, because)
    if level_line:
        lines.append(_waiting(level_line) if _pending(policy, policy.export_approved_at) else level_line)
    for grant in policy.grants.all():
        line = _grant_line(grant, because)
        lines.append(_waiting(line) if _pending(policy, grant.export_approved_at) else line)
    return lines


def _held_back_lines(audience: Audience) -> list[str]:
    policy = audience.policy
    assert policy is not None
    lines = []
    if policy.marking == Marking.CONTROLLED:
        lines.append(
            _("Marked controlled (%(basis)s): it is never released beyond the owner party.")
            % {"basis": policy.legal_basis}
        )
    elif policy.marking == Marking.DUAL_USE and awaiting_export_approval(policy):
        lines.append(
            _(
                "Marked dual-use (%(basis)s): the release takes effect only when the owner party's export "
                "officer approves it, and that approval has not been given."
            )
            % {"basis": policy.legal_basis}
        )
    elif policy.marking == Marking.DUAL_USE and (policy.level != Level.OWNER or policy.grants.all()):
        approvals = [policy.export_approved_at, *(g.export_approved_at for g in policy.grants.all())]
        lines.append(
            _("Marked dual-use (%(basis)s): the owner party's export officer approved this release on %(date)s.")
            % {"basis": policy.legal_basis, "date": _day(max(a for a in approvals if a))}
        )
    if policy.embargo_until and policy.embargo_until > timezone.now():
        lines.append(
            _("Under embargo until %(date)s: until then only the owner party sees it.")
            % {"date": _day(policy.embargo_until)}
        )
    return lines


def explain(obj: models.Model, user: Any) -> dict[str, Any]:
    """The audience of ``obj`` as sentences, and why the viewer is (or would be) in it."""
    audience = audience_of(obj, user)
    if audience.default:
        lines = _default_lines(obj, audience.level)
        owner = default_owner_of(obj)
        if owner is not None and audience.level == Level.OWNER:
            lines.insert(0, _("Always visible to the owner party, %(owner)s.") % {"owner": owner.short_name})
    else:
        policy = audience.policy
        assert policy is not None
        lines = []
        if policy.owner_party is not None:
            lines.append(_("Always visible to the owner party, %(owner)s.") % {"owner": policy.owner_party.short_name})
        lines += _held_back_lines(audience)
        if not audience.held_back:
            lines += _audience_lines(audience)
        if policy.reason:
            lines.append(_("Reason given: %(reason)s") % {"reason": policy.reason})
    if audience.viewer_is_owner:
        viewer = _("You see it as a member of the owner party.")
    elif audience.viewer_can_see:
        viewer = _("You see it under this release.")
    else:
        viewer = _("You would not see it under this release.")
    return {
        "level": audience.level,
        "level_label": Level(audience.level).label,
        "lines": lines,
        "viewer": viewer,
        "marking": audience.policy.marking if audience.policy else Marking.NONE,
    }
