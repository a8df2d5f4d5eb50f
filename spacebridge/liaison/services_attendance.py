"""People answer their own invitation to a meeting; a party's liaison officer answers for the party."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spacebridge.audit.services import audit_record
from spacebridge.liaison.models import Attendance, Meeting
from spacebridge.liaison.permissions import can_answer_invitation
from spacebridge.parties.models import Party, Person

ANSWERS = (Attendance.Status.ACCEPTED, Attendance.Status.APOLOGIES)


def _party_of(meeting: Meeting, person: Person) -> Party:
    """The party the invitee attends for; someone not invited (no row, not of the group or the series' default
    participants) has no invitation to answer."""
    row = Attendance.objects.filter(meeting=meeting, person=person).select_related("party").first()
    if row is not None:
        return row.party
    invited = (meeting.group_id and person.group_memberships.filter(group=meeting.group_id).exists()) or (
        meeting.series_id and person.liaison_series.filter(pk=meeting.series_id).exists())
    if not invited:
        raise PermissionDenied(_("You are not invited to this meeting."))
    current = person.current_affiliations()
    if not current:
        raise ValidationError({"status": _("You have no current affiliation with a party to attend for.")})
    return current[0].party


@transaction.atomic
def invitation_answer(
    *, meeting: Meeting, by: Any, status: str, person: Person | None = None, party: Party | None = None,
    check_permission: bool = True,
) -> Attendance:
    """Accept or send apologies: for oneself (``person``), or for a whole party (``party``, by its liaison
    officer). Only meetings still scheduled take answers."""
    if (person is None) == (party is None):
        raise ValidationError({"status": _("Answer either for yourself or for a party.")})
    if status not in ANSWERS:
        raise ValidationError({"status": _("Accept the invitation or send apologies.")})
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError({"status": _("This meeting no longer takes answers to its invitation.")})
    if check_permission and not can_answer_invitation(by, person=person, party=party):
        raise PermissionDenied(_("You answer only your own invitation, or for a party whose liaison officer you "
                                 "are."))
    if person is not None:
        party = _party_of(meeting, person)
        row, created = Attendance.objects.get_or_create(meeting=meeting, person=person,
                                                        defaults={"party": party, "status": status})
    else:
        assert party is not None
        row, created = Attendance.objects.get_or_create(meeting=meeting, person=None, party=party,
                                                        defaults={"status": status})
    before = None if created else row.status
    if row.status != status:
        row.status = status
        row.save(update_fields=["status"])
    # The verb of every attendance change (apps.py labels it); "answer" tells an invitee's own answer apart.
    audit_record(actor=by, verb="liaison.attendance_recorded", obj=meeting, changes={
        "answer": True, "party": row.party.code, "person": person.transliteration if person else None, "status": [before, status]})
    return row
