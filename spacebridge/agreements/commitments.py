"""Writes of commitments: passages of articles the secretariat marks as commitments, their status, and the links to
working groups, projects, action items and records that show how they are carried out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spacebridge.access.policy import can_see
from spacebridge.agreements import permissions as perms
from spacebridge.agreements import selectors
from spacebridge.agreements.models import Agreement, Commitment, CommitmentLink
from spacebridge.audit.services import audit_record
from spacebridge.core.multilingual import MultilingualText, validate_multilingual
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party
from spacebridge.records.models import Record

RECURRENCE_STEP = {
    Commitment.Recurrence.MONTHLY: relativedelta(months=1),
    Commitment.Recurrence.QUARTERLY: relativedelta(months=3),
    Commitment.Recurrence.YEARLY: relativedelta(years=1),
}


def _require_secretariat(by: Any, agreement: Agreement) -> None:
    if not perms.can_negotiate(by, agreement):
        raise PermissionDenied(_("Only the secretariat or the parties' officers follow this agreement's commitments."))


def _article_keys(agreement: Agreement) -> set[str]:
    return {a.key for v in selectors.current_versions(agreement) for a in v.articles.all()}


def _check(
    agreement: Agreement,
    *,
    article_key: str,
    passage: MultilingualText,
    parties: list[Party],
    recurrence: str,
    due_on: date | None,
) -> None:
    errors: dict[str, str] = {}
    if article_key not in _article_keys(agreement):
        errors["article_key"] = _("Choose an article of the agreement's text.")
    try:
        validate_multilingual(passage, max_length=5000)
    except ValidationError as exc:
        errors["passage"] = exc.messages[0]
    party_ids = set(agreement.parties.values_list("party_id", flat=True))
    if not parties:
        errors["responsible_parties"] = _("Name at least one responsible party.")
    elif any(p.pk not in party_ids for p in parties):
        errors["responsible_parties"] = _("Responsible parties must be parties to the agreement.")
    if recurrence not in Commitment.Recurrence.values:
        errors["recurrence"] = _("Choose a valid recurrence.")
    elif recurrence and due_on is None:
        errors["due_on"] = _("A recurring commitment needs its first due date.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def commitment_create(
    *,
    agreement: Agreement,
    by: Any,
    article_key: str,
    passage: MultilingualText,
    responsible_parties: Iterable[Party],
    description: MultilingualText | None = None,
    due_on: date | None = None,
    recurrence: str = "",
    groups: Iterable[WorkingGroup] = (),
    records: Iterable[Record] = (),
) -> Commitment:
    _require_secretariat(by, agreement)
    parties = list(responsible_parties)
    _check(
        agreement, article_key=str(article_key), passage=passage, parties=parties, recurrence=recurrence, due_on=due_on
    )
    records = list(records)
    if any(not can_see(by, record) for record in records):
        raise ValidationError({"records": _("Link only records you can see.")})
    commitment = Commitment.objects.create(
        agreement=agreement,
        article_key=str(article_key),
        passage=passage,
        description=description or MultilingualText(),
        due_on=due_on,
        recurrence=recurrence,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    commitment.responsible_parties.set(parties)
    commitment.groups.set(list(groups))
    commitment.records.set(records)
    audit_record(
        actor=by,
        verb="agreement.commitment_added",
        obj=agreement,
        changes={
            "commitment": commitment.pk,
            "article": commitment.article_key,
            "parties": sorted(p.code for p in parties),
            "due_on": due_on.isoformat() if due_on else None,
            "recurrence": recurrence,
            "groups": sorted(g.acronym for g in commitment.groups.all()),
            "records": sorted(r.reference for r in records),
        },
    )
    return commitment


@transaction.atomic
def commitment_set_state(*, commitment: Commitment, by: Any, state: str, on: date | None = None) -> Commitment:
    """Change a commitment's status. A recurring commitment fulfilled once moves on to its next due date."""
    _require_secretariat(by, commitment.agreement)
    if state not in Commitment.State.values:
        raise ValidationError({"state": _("Choose a valid status.")})
    before = {"state": commitment.state, "due_on": commitment.due_on.isoformat() if commitment.due_on else None}
    on = on or timezone.localdate()
    if state == Commitment.State.DONE and commitment.recurrence:
        commitment.last_done_on = on
        step = RECURRENCE_STEP[Commitment.Recurrence(commitment.recurrence)]
        due = commitment.due_on or on
        while due <= on:
            due = due + step
        commitment.due_on = due
        commitment.state = Commitment.State.OPEN
    else:
        if state == commitment.state:
            raise ValidationError({"state": _("The commitment already has this status.")})
        commitment.state = state
        if state == Commitment.State.DONE:
            commitment.last_done_on = on
    commitment.save()
    after = {"state": commitment.state, "due_on": commitment.due_on.isoformat() if commitment.due_on else None}
    audit_record(
        actor=by,
        verb="agreement.commitment_changed",
        obj=commitment.agreement,
        changes={"commitment": commitment.pk} | {k: [before[k], v] for k, v in after.items() if before[k] != v},
    )
    return commitment


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    by: Any,
    due_on: date | None = None,
    groups: Iterable[WorkingGroup] | None = None,
    records: Iterable[Record] | None = None,
) -> Commitment:
    _require_secretariat(by, commitment.agreement)
    changes: dict[str, Any] = {"commitment": commitment.pk}
    if due_on is not None and due_on != commitment.due_on:
        changes["due_on"] = [commitment.due_on.isoformat() if commitment.due_on else None, due_on.isoformat()]
        commitment.due_on = due_on
        commitment.save(update_fields=["due_on"])
    if groups is not None:
        commitment.groups.set(list(groups))
        changes["groups"] = sorted(g.acronym for g in commitment.groups.all())
    if records is not None:
        records = list(records)
        if any(not can_see(by, record) for record in records):
            raise ValidationError({"records": _("Link only records you can see.")})
        commitment.records.set(records)
        changes["records"] = sorted(r.reference for r in records)
    audit_record(actor=by, verb="agreement.commitment_changed", obj=commitment.agreement, changes=changes)
    return commitment


@transaction.atomic
def commitment_link_add(
    *,
    commitment: Commitment,
    by: Any,
    label: str,
    target: Any = None,
    url: str = "",
) -> CommitmentLink:
    """Link a commitment to a project, an action item or any other object (by content type and id), or to an
    address. An object link must be to something the linker can see."""
    _require_secretariat(by, commitment.agreement)
    label = label.strip()
    if not label or "\x00" in label or len(label) > 300:
        raise ValidationError({"label": _("Give the link a label of at most 300 characters.")})
    if (target is None) == (not url):
        raise ValidationError({"url": _("Link either an object or an address.")})
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError({"url": _("Enter a valid http or https address.")})
        link = CommitmentLink.objects.create(commitment=commitment, url=url[:500], label=label)
    else:
        if not can_see(by, target):
            raise ValidationError({"target": _("Link only objects you can see.")})
        link = CommitmentLink.objects.create(
            commitment=commitment,
            content_type=ContentType.objects.get_for_model(type(target)),
            object_id=target.pk,
            label=label,
        )
    audit_record(
        actor=by,
        verb="agreement.commitment_linked",
        obj=commitment.agreement,
        changes={
            "commitment": commitment.pk,
            "label": label,
            "url": url or None,
            "object": f"{link.content_type.app_label}.{link.content_type.model}:{link.object_id}"
            if link.content_type
            else None,
        },
    )
    return link
