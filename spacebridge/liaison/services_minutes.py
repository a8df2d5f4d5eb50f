"""Writes of what meetings produce: minutes and their approval, decisions and action items."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from spacebridge.access.models import Level
from spacebridge.access.services import release_set
from spacebridge.audit.services import audit_record
from spacebridge.core.multilingual import MultilingualText
from spacebridge.liaison.models import (
    ActionItem,
    Attendance,
    Decision,
    DecisionPosition,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesRevision,
)
from spacebridge.liaison.permissions import answerable_delegations, can_run, can_update_action
from spacebridge.liaison.services import UID_DOMAIN, _require_run
from spacebridge.parties.models import Party, Person


def _keep_within_group(obj: Any, meeting: Meeting, by: Any) -> None:
    """A group's minutes, decisions and actions are visible to its members until released wider."""
    if meeting.group_id:
        release_set(obj=obj, by=by, level=Level.GROUP, group=meeting.group, check_permission=False,
                    reason="liaison: group business")


def meeting_delegations(meeting: Meeting) -> list[str]:
    """The delegations whose approval the minutes need: those present, else the group's member countries."""
    present = Attendance.objects.filter(meeting=meeting, status=Attendance.Status.PRESENT)
    countries = {str(c) for c in Party.objects.filter(pk__in=present.values("party")).values_list("country", flat=True)}
    if not countries and meeting.group_id:
        countries = {str(c) for c in Party.objects.filter(group_memberships__group=meeting.group_id)
                     .values_list("country", flat=True)}
    return sorted(c for c in countries if c)


@transaction.atomic
def minutes_save(
    *, meeting: Meeting, by: Any, text: MultilingualText, note: str = "", check_permission: bool = True
) -> Minutes:
    """Write or revise the minutes. Each change is a new revision; changing circulated minutes sends them back to
    draft (approvals given to an earlier revision do not carry over)."""
    _require_run(by, meeting.group, check_permission)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None and minutes.status == Minutes.Status.APPROVED:
        raise ValidationError({"text": _("Approved minutes can no longer be changed.")})
    created = minutes is None
    if minutes is None:
        minutes = Minutes(meeting=meeting, text=text, revision=1)
    elif minutes.text.to_json() == text.to_json():
        return minutes
    else:
        minutes.revision += 1
        minutes.text = text
        minutes.status = Minutes.Status.DRAFT
    minutes.full_clean()
    minutes.save()
    MinutesRevision.objects.create(minutes=minutes, number=minutes.revision, text=text, note=note.strip()[:300],
                                   by=by if getattr(by, "is_authenticated", False) else None)
    if created:
        _keep_within_group(minutes, meeting, by)
    audit_record(actor=by, verb="liaison.minutes_saved", obj=minutes,
                 changes={"revision": minutes.revision, "languages": text.languages(), "note": note[:300]})
    return minutes


@transaction.atomic
def minutes_circulate(*, minutes: Minutes, by: Any, notify: bool = True, check_permission: bool = True) -> Minutes:
    _require_run(by, minutes.meeting.group, check_permission)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError({"status": _("Only draft minutes can be circulated.")})
    delegations = meeting_delegations(minutes.meeting)
    if not delegations:
        raise ValidationError({"status": _("Record who was present before circulating the minutes.")})
    minutes.status, minutes.delegations, minutes.circulated_at = Minutes.Status.CIRCULATED, delegations, timezone.now()
    minutes.save()
    audit_record(actor=by, verb="liaison.minutes_circulated", obj=minutes,
                 changes={"revision": minutes.revision, "delegations": delegations})
    if notify:
        from spacebridge.liaison.tasks import send_minutes_circulated

        send_minutes_circulated.enqueue(minutes.pk)
    return minutes


@transaction.atomic
def minutes_answer(
    *, minutes: Minutes, by: Any, delegation: str, answer: str, reservation: str = "",
    check_permission: bool = True,
) -> MinutesApproval:
    """One delegation approves the circulated revision, or approves it with a reservation in its own words; when
    every delegation has answered, the minutes are approved."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    delegation = delegation.upper()
    if check_permission and delegation not in answerable_delegations(by, minutes.meeting.group):
        raise PermissionDenied(_("Only a member of the group from that delegation answers for it."))
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError({"answer": _("Only circulated minutes are approved.")})
    if delegation not in minutes.delegations:
        raise ValidationError({"delegation": _("This delegation is not asked to approve these minutes.")})
    if answer not in MinutesApproval.Answer.values:
        raise ValidationError({"answer": _("Choose one of the answers offered.")})
    reservation = reservation.strip()
    if answer == MinutesApproval.Answer.RESERVATION and not reservation:
        raise ValidationError({"reservation": _("Write the reservation the delegation records.")})
    if "\x00" in reservation or len(reservation) > 4000:
        raise ValidationError({"reservation": _("Keep the reservation under 4000 characters of text.")})
    if minutes.approvals.filter(delegation=delegation, revision=minutes.revision).exists():
        raise ValidationError({"delegation": _("This delegation has already answered for this revision.")})
    own = [p for p in Party.objects.filter(country=delegation, pk__in=_own_party_ids(by))][:1]
    approval = MinutesApproval.objects.create(
        minutes=minutes, delegation=delegation, revision=minutes.revision, answer=answer,
        reservation=reservation if answer == MinutesApproval.Answer.RESERVATION else "",
        party=own[0] if own else None, by=by if getattr(by, "is_authenticated", False) else None,
    )
    answered = set(minutes.approvals.filter(revision=minutes.revision).values_list("delegation", flat=True))
    changes: dict[str, Any] = {"delegation": delegation, "answer": answer, "revision": minutes.revision,
                               "reservation": approval.reservation}
    if answered >= set(minutes.delegations):
        minutes.status, minutes.approved_at = Minutes.Status.APPROVED, timezone.now()
        minutes.save(update_fields=["status", "approved_at", "updated_at"])
        changes["status"] = ["circulated", "approved"]
    audit_record(actor=by, verb="liaison.minutes_answered", obj=minutes, changes=changes)
    return approval


def _own_party_ids(user: Any) -> frozenset[int]:
    from spacebridge.access.principals import principal_for

    return principal_for(user).own_party_ids


@transaction.atomic
def minutes_release(*, minutes: Minutes, by: Any, level: str, check_permission: bool = True) -> Minutes:
    """Release approved minutes (and the meeting's decisions) beyond the group: to all members or the public."""
    _require_run(by, minutes.meeting.group, check_permission)
    if level not in (Level.GROUP, Level.PLATFORM, Level.PUBLIC):
        raise ValidationError({"level": _("Release to the group, to all signed-in members or to the public.")})
    if level != Level.GROUP and minutes.status != Minutes.Status.APPROVED:
        raise ValidationError({"level": _("Only approved minutes are released beyond the group.")})
    group = minutes.meeting.group
    if level == Level.GROUP and group is None:
        raise ValidationError({"level": _("A platform-wide meeting has no group to keep its minutes to.")})
    for obj in [minutes, *minutes.meeting.decisions.all()]:
        release_set(obj=obj, by=by, level=level, group=group if level == Level.GROUP else None,
                    check_permission=False, reason="liaison: minutes released")
    return minutes


def _decision_reference(meeting: Meeting) -> tuple[str, int]:
    from zoneinfo import ZoneInfo

    month = meeting.start.astimezone(ZoneInfo(meeting.time_zone)).strftime("%Y-%m")
    stem = f"{meeting.prefix}/{month}/D"
    taken = Decision.objects.filter(reference__startswith=stem).values_list("number", flat=True)
    number = max(taken, default=0) + 1
    return f"{stem}{number}", number


@transaction.atomic
def decision_record(
    *, meeting: Meeting, by: Any, text: MultilingualText, positions: dict[Party, str] | None = None,
    notes: dict[Party, str] | None = None, check_permission: bool = True,
) -> Decision:
    """Enter a decision in the register with the position of each party (consensus per party)."""
    _require_run(by, meeting.group, check_permission)
    reference, number = _decision_reference(meeting)
    from zoneinfo import ZoneInfo

    decision = Decision(meeting=meeting, group=meeting.group, reference=reference, number=number, text=text,
                        text_index=" ".join(text.text.values()).casefold(),
                        decided_on=meeting.start.astimezone(ZoneInfo(meeting.time_zone)).date())
    decision.full_clean()
    decision.save()
    rows = []
    for party, position in (positions or {}).items():
        if position not in DecisionPosition.Position.values:
            raise ValidationError({"positions": _("Choose one of the positions offered.")})
        rows.append(DecisionPosition(decision=decision, party=party, position=position,
                                     note=((notes or {}).get(party) or "")[:500]))
    DecisionPosition.objects.bulk_create(rows)
    _keep_within_group(decision, meeting, by)
    audit_record(actor=by, verb="liaison.decision_recorded", obj=decision, changes={
        "text": text.to_json(), "positions": {p.code: pos for p, pos in (positions or {}).items()}})
    return decision


@transaction.atomic
def action_item_add(
    *, meeting: Meeting, by: Any, description: MultilingualText, owner_party: Party, due_on: date,
    owner_person: Person | None = None, check_permission: bool = True,
) -> ActionItem:
    _require_run(by, meeting.group, check_permission)
    if meeting.group_id and not meeting.group.memberships.filter(party=owner_party).exists():
        raise ValidationError({"owner_party": _("The owner party must be a member of the group.")})
    if owner_person is not None and not owner_person.affiliations.filter(party=owner_party).exists():
        raise ValidationError({"owner_person": _("The owner must belong to the owner party.")})
    last = ActionItem.objects.filter(group=meeting.group).aggregate(n=Max("number"))["n"] or 0
    item = ActionItem(group=meeting.group, meeting=meeting, number=last + 1, description=description,
                      owner_party=owner_party, owner_person=owner_person, due_on=due_on,
                      uid=f"action-{uuid.uuid4()}@{UID_DOMAIN}")
    item.full_clean()
    item.save()
    _keep_within_group(item, meeting, by)
    audit_record(actor=by, verb="liaison.action_added", obj=item, changes={
        "description": description.to_json(), "owner_party": owner_party.code, "due_on": due_on.isoformat(),
        "owner_person": owner_person.transliteration if owner_person else None})
    return item


@transaction.atomic
def action_item_update(
    *, item: ActionItem, by: Any, status: str | None = None, evidence: str | None = None,
    evidence_records: list[Any] | None = None, due_on: date | None = None, check_permission: bool = True,
) -> ActionItem:
    """Close (done or cancelled), re-open or re-schedule an action item, with its evidence."""
    if check_permission and not can_update_action(by, item):
        raise PermissionDenied(_("Only the owner, the owner party and the group's organisers update this action."))
    before = {"status": item.status, "evidence": item.evidence, "due_on": item.due_on.isoformat(),
              "records": sorted(r.reference for r in item.evidence_records.all())}
    if status is not None:
        if status not in ActionItem.Status.values:
            raise ValidationError({"status": _("Choose one of the statuses offered.")})
        item.status = status
        item.closed_at = None if status == ActionItem.Status.OPEN else timezone.now()
    if evidence is not None:
        if "\x00" in evidence or len(evidence) > 4000:
            raise ValidationError({"evidence": _("Keep the evidence under 4000 characters of text.")})
        item.evidence = evidence.strip()
    if due_on is not None:
        item.due_on = due_on
    if item.status == ActionItem.Status.DONE and not (item.evidence or evidence_records
                                                      or item.evidence_records.exists()):
        raise ValidationError({"evidence": _("Say what shows the action is done, or link a registry record.")})
    item.save()
    if evidence_records is not None:
        item.evidence_records.set(evidence_records)
    after = {"status": item.status, "evidence": item.evidence, "due_on": item.due_on.isoformat(),
             "records": sorted(r.reference for r in item.evidence_records.all())}
    audit_record(actor=by, verb="liaison.action_changed", obj=item,
                 changes={k: [before[k], v] for k, v in after.items() if before[k] != v})
    return item


def can_record(user: Any, meeting: Meeting) -> bool:
    return can_run(user, meeting.group)
