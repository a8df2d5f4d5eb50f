"""Writes of the exchange registry. Each is one transaction with one audit entry."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spacebridge.access.models import Level, Marking
from spacebridge.access.policy import policy_of
from spacebridge.access.services import release_approve_export, release_grant_add, release_set
from spacebridge.audit.services import audit_record
from spacebridge.core.multilingual import CONTENT_LANGUAGES, MultilingualText, validate_multilingual
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party
from spacebridge.parties.permissions import Perm, has_perm
from spacebridge.records.identifiers import normalise_identifier
from spacebridge.records.metadata import metadata_diff, record_metadata
from spacebridge.records.models import (
    AccessRequest,
    Concept,
    Contributor,
    Identifier,
    Record,
    RecordType,
    RecordVersion,
    ReferenceCounter,
    RelatedRecord,
    ReleaseDecision,
)
from spacebridge.records.permissions import can_edit_record

SPDX_PATTERN = r"^[A-Za-z0-9.+-]{2,60}$"


def reference_next(*, year: int) -> str:
    """The next ``SB-YYYY-NNNNNN`` reference. Runs inside the caller's transaction; the row lock serialises writers."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"SB-{year}-{counter.last:06d}"


def _clean_keywords(keywords: dict[str, Any] | None) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for language, words in (keywords or {}).items():
        if language not in CONTENT_LANGUAGES:
            raise ValidationError({"keywords": _("“%(lang)s” is not a supported language.") % {"lang": language}})
        if isinstance(words, str):
            words = [w for w in words.replace("；", ";").replace("，", ",").replace(";", ",").split(",")]
        values = list(dict.fromkeys(w.strip() for w in words if isinstance(w, str) and w.strip()))
        if any(len(w) > 200 or "\x00" in w for w in values) or len(values) > 50:
            raise ValidationError({"keywords": _("Give at most 50 keywords per language, each under 200 characters.")})
        if values:
            cleaned[language] = values
    return cleaned


def _check_licence(licence: str) -> str:
    import re

    licence = (licence or "").strip()
    if licence and not re.match(SPDX_PATTERN, licence):
        raise ValidationError({"licence": _("Give the licence as an SPDX identifier, such as CC-BY-4.0.")})
    return licence


def _set_identifiers(record: Record, identifiers: Iterable[dict[str, str]]) -> None:
    wanted = []
    for item in identifiers:
        try:
            wanted.append(normalise_identifier(item.get("scheme", ""), item.get("value", "")))
        except ValidationError as error:
            raise ValidationError({"identifiers": error.messages}) from None
    wanted = list(dict.fromkeys(wanted))
    duplicates = (
        Identifier.objects.filter(scheme__in=[s for s, _v in wanted], value__in=[v for _s, v in wanted])
        .exclude(record=record)
        .select_related("record")
    )
    for duplicate in duplicates:
        if (duplicate.scheme, duplicate.value) in wanted:
            raise ValidationError(
                {
                    "identifiers": _("%(scheme)s %(value)s is already registered as %(reference)s.")
                    % {
                        "scheme": duplicate.scheme.upper(),
                        "value": duplicate.value,
                        "reference": duplicate.record.reference,
                    }
                }
            )
    # An identifier is its (scheme, value) pair: the same value under another scheme is another identifier.
    existing = {(scheme, value): pk for pk, scheme, value in record.identifiers.values_list("pk", "scheme", "value")}
    stale = [pk for pair, pk in existing.items() if pair not in wanted]
    if stale:
        Identifier.objects.filter(pk__in=stale).delete()
    Identifier.objects.bulk_create(
        [
            Identifier(record=record, scheme=scheme, value=value)
            for scheme, value in wanted
            if (scheme, value) not in existing
        ]
    )


def _set_contributors(record: Record, contributors: Iterable[dict[str, Any]]) -> None:
    record.contributors.all().delete()
    rows = []
    for position, item in enumerate(contributors):
        name = (item.get("name") or "").strip()
        if not name or len(name) > 300:
            raise ValidationError({"contributors": _("Each contributor needs a name of at most 300 characters.")})
        role = item.get("role") or Contributor.Role.AUTHOR
        if role not in Contributor.Role.values:
            raise ValidationError({"contributors": _("“%(role)s” is not a contributor role.") % {"role": role}})
        rows.append(
            Contributor(
                record=record,
                position=position,
                name=name,
                role=role,
                person=item.get("person"),
                party=item.get("party"),
            )
        )
    Contributor.objects.bulk_create(rows)


def _apply_fields(record: Record, fields: dict[str, Any]) -> None:
    for name in ("title", "abstract"):
        if name in fields:
            value = MultilingualText.from_json(fields[name])
            validate_multilingual(value, required=name == "title", max_length=1000 if name == "title" else 20000)
            setattr(record, name, value)
    if "keywords" in fields:
        record.keywords = _clean_keywords(fields["keywords"])
    if "licence" in fields:
        record.licence = _check_licence(fields["licence"])
    if "published_on" in fields:
        value = fields["published_on"]
        if value is not None and not isinstance(value, date):
            raise ValidationError({"published_on": _("Give the date as YYYY-MM-DD.")})
        record.published_on = value
    if "type" in fields:
        record.type = fields["type"]


def _apply_relations(record: Record, fields: dict[str, Any]) -> None:
    if "subjects" in fields:
        record.subjects.set(fields["subjects"])
    if "identifiers" in fields:
        _set_identifiers(record, fields["identifiers"])
    if "contributors" in fields:
        _set_contributors(record, fields["contributors"])
    if "related" in fields:
        record.relations.all().delete()
        for relation, target in fields["related"]:
            if target.pk == record.pk:
                raise ValidationError({"related": _("A record cannot be related to itself.")})
            RelatedRecord.objects.get_or_create(source=record, target=target, relation=relation)


RECORD_FIELDS = {
    "type",
    "title",
    "abstract",
    "keywords",
    "published_on",
    "licence",
    "subjects",
    "identifiers",
    "contributors",
    "related",
}


@transaction.atomic
def record_create(*, by: Any, owner_party: Party, check_permission: bool = True, **fields: Any) -> Record:
    """A new draft owned by ``owner_party``; it is seen by that party only until it is published and released."""
    if check_permission and not (has_perm(by, Perm.RECORD_SUBMIT, owner_party)):
        raise PermissionDenied(_("You may share records only for your own party."))
    unknown = set(fields) - RECORD_FIELDS
    if unknown:
        raise ValueError(f"unknown record fields {unknown}")
    if "type" not in fields or "title" not in fields:
        raise ValidationError({"title": _("A record needs a type and a title.")})
    record = Record(
        owner_party=owner_party,
        abstract=MultilingualText(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _apply_fields(record, fields)
    record.reference = reference_next(year=timezone.now().year)
    record.full_clean(exclude=["keywords", "subjects"])
    record.save()
    _apply_relations(record, fields)
    audit_record(actor=by, verb="record.created", obj=record, changes={"metadata": [None, record_metadata(record)]})
    return record


@transaction.atomic
def record_update(*, record: Record, by: Any, check_permission: bool = True, **fields: Any) -> Record:
    """Change the working copy. A published record keeps its published version until the next publication."""
    if check_permission and not can_edit_record(by, record):
        raise PermissionDenied(_("Only the owner party edits this record."))
    if record.status == Record.Status.WITHDRAWN:
        raise ValidationError(_("A withdrawn record cannot be changed."))
    unknown = set(fields) - RECORD_FIELDS
    if unknown:
        raise ValueError(f"unknown record fields {unknown}")
    before = record_metadata(record)
    _apply_fields(record, fields)
    record.full_clean(exclude=["keywords", "subjects"])
    # Only the working-copy fields: a stale instance must never rewind the version or the status.
    record.save(update_fields=["type", "title", "abstract", "keywords", "published_on", "licence", "updated_at"])
    _apply_relations(record, fields)
    after = record_metadata(record)
    changes = metadata_diff(before, after)
    if changes:
        record.has_unpublished_changes = True
        record.save(update_fields=["has_unpublished_changes"])
        audit_record(
            actor=by, verb="record.updated", obj=record, changes={c["field"]: [c["old"], c["new"]] for c in changes}
        )
    return record


@transaction.atomic
def record_publish(*, record: Record, by: Any, note: str = "", check_permission: bool = True) -> RecordVersion:
    """Freeze the working copy as the next immutable version and make the record published."""
    if check_permission and not can_edit_record(by, record):
        raise PermissionDenied(_("Only the owner party publishes this record."))
    record = Record.objects.select_for_update().get(pk=record.pk)
    if record.status == Record.Status.WITHDRAWN:
        raise ValidationError(_("A withdrawn record cannot be published again."))
    if record.version and not record.has_unpublished_changes:
        raise ValidationError(_("Nothing changed since version %(number)d.") % {"number": record.version})
    now = timezone.now()
    record.version += 1
    record.status = Record.Status.PUBLISHED
    record.has_unpublished_changes = False
    record.first_published_at = record.first_published_at or now
    record.save(update_fields=["version", "status", "has_unpublished_changes", "first_published_at", "updated_at"])
    version = RecordVersion.objects.create(
        record=record,
        number=record.version,
        metadata=record_metadata(record),
        note=note.strip()[:500],
        published_at=now,
        published_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(actor=by, verb="record.published", obj=record, changes={"version": version.number, "note": note})
    return version


@transaction.atomic
def record_withdraw(*, record: Record, by: Any, reason: str) -> Record:
    """Withdraw a record: its page becomes a tombstone with the reason; its reference is never reused."""
    if not can_edit_record(by, record):
        raise PermissionDenied(_("Only the owner party withdraws this record."))
    reason = (reason or "").strip()
    if not reason or len(reason) > 2000:
        raise ValidationError({"reason": _("Say why the record is withdrawn (at most 2000 characters).")})
    if record.status == Record.Status.WITHDRAWN:
        raise ValidationError(_("The record is already withdrawn."))
    record.status, record.withdrawn_at, record.withdrawal_reason = Record.Status.WITHDRAWN, timezone.now(), reason
    record.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    audit_record(actor=by, verb="record.withdrawn", obj=record, changes={"reason": reason})
    return record


@transaction.atomic
def record_release(
    *,
    record: Record,
    by: Any,
    level: str,
    parties: Iterable[Party] = (),
    countries: Iterable[str] = (),
    group: WorkingGroup | None = None,
    marking: str = Marking.NONE,
    legal_basis: str = "",
    embargo_until: datetime | None = None,
    reason: str = "",
    check_permission: bool = True,
) -> ReleaseDecision:
    """The owner party's release decision, through the one access policy, recorded on the record. The record's
    datestamp moves, so incremental OAI-PMH harvests meet the new audience; a record the decision takes out of
    public view is remembered as such, and harvesters see it as deleted from then on."""
    was_public = _public(record)
    policy = release_set(
        obj=record,
        by=by,
        level=level,
        owner_party=record.owner_party,
        parties=parties,
        countries=countries,
        group=group,
        marking=marking,
        legal_basis=legal_basis,
        embargo_until=embargo_until,
        reason=reason,
        check_permission=check_permission,
    )
    _datestamp(record, policy.decided_at, left_public=was_public and not _public(record))
    return ReleaseDecision.objects.create(
        record=record,
        decided_by=policy.decided_by,
        decided_at=policy.decided_at,
        kind="release",
        audience=_audience(policy),
        reason=reason.strip()[:500],
    )


def _public(record: Record) -> bool:
    """Whether a visitor who is not signed in (an OAI-PMH harvester) sees the record now."""
    from django.contrib.auth.models import AnonymousUser

    from spacebridge.records.selectors import records_visible

    return records_visible(user=AnonymousUser(), queryset=Record.objects.filter(pk=record.pk)).exists()


def _datestamp(record: Record, moment: datetime, *, left_public: bool = False) -> None:
    """A release decision changes what harvesters see: the record's datestamp (``updated_at``) becomes the
    decision's moment, and a record that left public view keeps that fact for its deleted header."""
    changes: dict[str, Any] = {"updated_at": moment}
    if left_public:
        changes["left_public_at"] = moment
    Record.objects.filter(pk=record.pk).update(**changes)
    for name, value in changes.items():
        setattr(record, name, value)


def _audience(policy) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "level": policy.level,
        "parties": sorted(g.party.code for g in policy.grants.all() if g.party),
        "delegations": sorted(g.country.code for g in policy.grants.all() if g.country),
        "group": policy.group.acronym if policy.group else None,
        "marking": policy.marking,
        "legal_basis": policy.legal_basis,
        "embargo_until": policy.embargo_until.isoformat() if policy.embargo_until else None,
    }


@transaction.atomic
def record_approve_export(*, record: Record, by: Any, note: str = "") -> ReleaseDecision:
    policy = release_approve_export(obj=record, by=by, note=note)
    _datestamp(record, policy.export_approved_at)
    return ReleaseDecision.objects.create(
        record=record,
        decided_by=by,
        decided_at=policy.export_approved_at,
        kind="export_approval",
        audience=_audience(policy),
        reason=note.strip()[:500],
    )


@transaction.atomic
def access_request_create(*, record: Record, by: Any, party: Party, justification: str) -> AccessRequest:
    """A member of ``party`` asks the owner party for a record they may not see yet."""
    justification = (justification or "").strip()
    if len(justification) < 10 or len(justification) > 5000:
        raise ValidationError({"justification": _("Explain in 10 to 5000 characters why you need the record.")})
    if party == record.owner_party:
        raise ValidationError(_("Your party owns this record already."))
    if AccessRequest.objects.filter(record=record, requester_party=party, status=AccessRequest.Status.PENDING).exists():
        raise ValidationError(_("Your party has already asked for this record; the owner party will answer."))
    policy = policy_of(record)
    if policy is not None and policy.marking == Marking.CONTROLLED:
        raise ValidationError(_("This record is export-controlled: it is never released beyond its owner party."))
    request = AccessRequest.objects.create(
        record=record,
        record_reference=record.reference,
        requester=by,
        requester_party=party,
        justification=justification,
    )
    audit_record(
        actor=by, verb="record.access_requested", obj=record, changes={"request": request.pk, "party": party.code}
    )
    return request


@transaction.atomic
def access_request_decide(*, request: AccessRequest, by: Any, grant: bool, reason: str) -> AccessRequest:
    """The owner party grants (the requesting party is let in) or refuses, always with a reason."""
    request = (
        AccessRequest.objects.select_for_update(of=("self",)).select_related("record__owner_party").get(pk=request.pk)
    )
    if request.record_id is None:
        raise PermissionDenied(_("Only the owner party's liaison officers answer access requests."))
    if request.status != AccessRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    if not has_perm(by, Perm.RELEASE_DECIDE, request.record.owner_party):
        raise PermissionDenied(_("Only the owner party's liaison officers answer access requests."))
    reason = (reason or "").strip()
    if not reason or len(reason) > 2000:
        raise ValidationError({"reason": _("Give the reason for the decision (at most 2000 characters).")})
    if grant:
        release_grant_add(
            obj=request.record,
            by=by,
            party=request.requester_party,
            reason=_("access request #%(number)d") % {"number": request.pk},
        )
    request.status = AccessRequest.Status.GRANTED if grant else AccessRequest.Status.REFUSED
    request.decided_by, request.decided_at, request.decision_reason = by, timezone.now(), reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        actor=by,
        verb="record.access_granted" if grant else "record.access_refused",
        obj=request.record,
        changes={"request": request.pk, "party": request.requester_party.code, "reason": reason},
    )
    return request


def file_sha256(handle) -> str:  # type: ignore[no-untyped-def]
    digest = hashlib.sha256()
    for chunk in handle.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def concept_upsert(
    *, code: str, pref: dict[str, str], alt: dict[str, list[str]] | None = None, source: str = "", by: Any = None
) -> Concept:
    """Add or change one thesaurus concept (the secretariat's edit, SKOS/CSV import, the shipped data file). A save
    that changes nothing writes nothing and leaves no audit entry."""
    label = MultilingualText(pref, "en" if "en" in pref else "")
    validate_multilingual(label, max_length=200)
    alt = {k: list(v) for k, v in (alt or {}).items()}
    concept = Concept.objects.select_for_update().filter(code=code).first()
    if concept is None:
        concept = Concept.objects.create(
            code=code, pref=label, alt=alt, source=source, label_index=_concept_label_index(label, alt)
        )
        audit_record(actor=by, verb="concept.created", obj=concept, changes={"pref": label.to_json()})
        return concept
    before = {"pref": concept.pref.to_json(), "alt": concept.alt, "source": concept.source}
    after = {"pref": label.to_json(), "alt": alt, "source": source}
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if not changes:
        return concept
    concept.pref, concept.alt, concept.source = label, alt, source
    concept.label_index = _concept_label_index(label, alt)
    concept.save(update_fields=["pref", "alt", "source", "label_index"])
    audit_record(actor=by, verb="concept.updated", obj=concept, changes=changes)
    return concept


__all__ = [
    "Level",
    "RecordType",
    "access_request_create",
    "access_request_decide",
    "concept_upsert",
    "record_approve_export",
    "record_create",
    "record_publish",
    "record_release",
    "record_update",
    "record_withdraw",
    "reference_next",
]


# ------------------------------------------------------------------------------------------------------------------
# Files of a record, and access requests asked by reference with their e-mail notices (the registry's web pages).
# ------------------------------------------------------------------------------------------------------------------

from spacebridge.records.models import RecordFile  # noqa: E402


def _not_withdrawn(record: Record) -> None:
    if record.status == Record.Status.WITHDRAWN:
        raise ValidationError(_("A withdrawn record cannot be changed."))


@transaction.atomic
def record_file_add(*, record: Record, by: Any, content: Any, name: str = "") -> RecordFile:
    """Add a file to the working copy: size-checked, typed from its content, stored under its SHA-256. The next
    published version lists it."""
    from spacebridge.records import files

    if not can_edit_record(by, record):
        raise PermissionDenied(_("Only the owner party adds files to this record."))
    _not_withdrawn(record)
    name = files.safe_file_name(name or getattr(content, "name", ""))
    limit = files.upload_limit_bytes()
    if getattr(content, "size", 0) > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(limit)d MB.") % {"limit": limit // (1024 * 1024)}}, code="too_big"
        )
    if RecordFile.objects.filter(record=record, name=name).exists():
        raise ValidationError({"file": _("The record already has a file named “%(name)s”.") % {"name": name}})
    sha256, size, head = files.content_digest(content)
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(limit)d MB.") % {"limit": limit // (1024 * 1024)}}, code="too_big"
        )
    media_type = files.sniff_media_type(head, name)
    stored = files.store(content, sha256)
    record_file = RecordFile.objects.create(
        record=record,
        file=stored,
        name=name,
        size=size,
        media_type=media_type,
        sha256=sha256,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    Record.objects.filter(pk=record.pk).update(has_unpublished_changes=True, updated_at=timezone.now())
    record.has_unpublished_changes = True
    audit_record(
        actor=by,
        verb="record.file_added",
        obj=record,
        changes={"name": name, "size": size, "media_type": media_type, "sha256": sha256},
    )
    return record_file


@transaction.atomic
def record_file_remove(*, record_file: RecordFile, by: Any) -> None:
    """Take a file out of the working copy. Published versions keep listing it, so its stored content stays while
    any version or record still refers to it."""
    from spacebridge.records import files

    record = record_file.record
    if not can_edit_record(by, record):
        raise PermissionDenied(_("Only the owner party removes files of this record."))
    _not_withdrawn(record)
    sha256, name = record_file.sha256, record_file.name
    record_file.delete()
    Record.objects.filter(pk=record.pk).update(has_unpublished_changes=True, updated_at=timezone.now())
    record.has_unpublished_changes = True
    audit_record(actor=by, verb="record.file_removed", obj=record, changes={"name": name, "sha256": sha256})
    still_used = (
        RecordFile.objects.filter(sha256=sha256).exists()
        or RecordVersion.objects.filter(metadata__icontains=sha256).exists()
    )
    if not still_used:
        transaction.on_commit(lambda: files.delete_stored(sha256))


ACCESS_REQUESTS_PER_DAY = 30


def _access_request_quota(by: Any) -> None:
    """At most so many requests a day per member, counted whether or not the reference exists."""
    from django.core.cache import cache

    key = f"access-request:{by.pk}:{timezone.now():%Y%m%d}"
    if cache.add(key, 1, timeout=24 * 3600):
        return
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=24 * 3600)
        return
    if count > ACCESS_REQUESTS_PER_DAY:
        raise ValidationError(
            _("You have sent %(count)d access requests today; send more tomorrow.") % {"count": ACCESS_REQUESTS_PER_DAY}
        )


@transaction.atomic
def access_request_submit(*, reference: str, by: Any, party: Party, justification: str) -> AccessRequest | None:
    """Ask for a record by the reference its owner party gave the requester. Answers alike whether or not the
    record exists, so that asking reveals nothing; only the justification and the requester's own party are checked
    openly. A reference that names no record that can be asked for (none, or an export-controlled one) is kept as a
    request all the same, which reaches no one and stays pending: the requesting party's list of its requests looks
    alike either way. The owner party's liaison officers of a real record are told by e-mail. Returns the request
    when it reached an owner party, else None."""
    from spacebridge.access.principals import principal_for

    justification = (justification or "").strip()
    if len(justification) < 10 or len(justification) > 5000:
        raise ValidationError({"justification": _("Explain in 10 to 5000 characters why you need the record.")})
    if party.pk not in principal_for(by).own_party_ids:
        raise PermissionDenied(_("You ask on behalf of a party you belong to."))
    _access_request_quota(by)
    reference = reference.strip().upper()[:20]
    pending = AccessRequest.objects.filter(
        record_reference=reference, requester_party=party, status=AccessRequest.Status.PENDING
    )
    if pending.exists():
        return None  # the party's earlier request, real or not, stands: one line in its list either way
    # Not a read the requester sees: the record stays invisible to them whatever happens here.
    record = Record.objects.select_related("owner_party").filter(reference=reference).first()
    if record is not None and record.owner_party_id == party.pk:
        return None  # the party's own record: nothing to ask
    request = None
    if record is not None:
        try:
            request = access_request_create(record=record, by=by, party=party, justification=justification)
        except ValidationError:
            request = None  # export-controlled: it can never be asked for; kept below like an unknown reference
    if request is None:
        AccessRequest.objects.create(
            record=None, record_reference=reference, requester=by, requester_party=party, justification=justification
        )
        return None
    transaction.on_commit(lambda: access_request_notify(request=request, event="requested"))
    return request


def access_request_answer(*, request: AccessRequest, by: Any, grant: bool, reason: str) -> AccessRequest:
    """The owner party's decision (``access_request_decide``). A grant is kept among the record's release decisions
    (to whom, why); a record never released before is first given its owner-only release, so there is a policy to
    add the grant to. The requester and the owner party's liaison officers are told by e-mail once committed."""
    if request.record_id is None:  # a request that reached no one: nobody may answer it, alike for everyone
        raise PermissionDenied(_("Only the owner party's liaison officers answer access requests."))
    with transaction.atomic():
        record = request.record
        if grant and policy_of(record) is None and has_perm(by, Perm.RELEASE_DECIDE, record.owner_party):
            record_release(record=record, by=by, level=Level.OWNER, reason=(reason or "").strip()[:500])
        request = access_request_decide(request=request, by=by, grant=grant, reason=reason)
        if grant:
            policy = policy_of(record)
            ReleaseDecision.objects.create(
                record=record,
                decided_by=by if getattr(by, "is_authenticated", False) else None,
                decided_at=request.decided_at,
                kind="access_grant",
                audience={
                    **_audience(policy),
                    "level": policy.level,
                    "parties": [request.requester_party.code],
                    "delegations": [],
                },
                reason=request.decision_reason[:500],
            )
        transaction.on_commit(lambda: access_request_notify(request=request, event="decided"))
    return request


def _liaison_officers(party: Party) -> list[Any]:
    from spacebridge.parties.models import RoleAssignment

    party_ids = {party.pk, *(p.pk for p in party.ancestors())}
    assignments = RoleAssignment.objects.filter(party_id__in=party_ids, user__is_active=True).select_related(
        "role", "user"
    )
    users = {a.user.pk: a.user for a in assignments if Perm.RELEASE_DECIDE.value in (a.role.permissions or [])}
    return list(users.values())


def _interface_language(user: Any) -> str:
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    for code in getattr(person, "languages", None) or []:
        if code in {"en", "ru"}:
            return code
        if code == "zh":
            return "zh-hans"
    return "en"


def access_request_notify(*, request: AccessRequest, event: str) -> int:
    """E-mail one access request's news: a new request to the owner party's liaison officers; a decision to the
    requester and to those officers. Each in the recipient's language. Returns the number of messages sent."""
    import logging

    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    request = AccessRequest.objects.select_related("record__owner_party", "requester_party", "requester").get(
        pk=request.pk
    )
    recipients = _liaison_officers(request.record.owner_party)
    policy = policy_of(request.record)
    dual_use = policy is not None and policy.marking == Marking.DUAL_USE
    if event == "decided":
        recipients = [request.requester, *(u for u in recipients if u.pk != request.requester_id)]
    sent = 0
    for user in recipients:
        address = user.email or getattr(getattr(user, "person", None), "email", "")
        if not address:
            continue
        is_requester = user.pk == request.requester_id
        with translation.override(_interface_language(user)):
            context = {
                "request": request,
                "event": event,
                "dual_use": dual_use,
                "is_requester": is_requester,
                "link": settings.BASE_URL + reverse("records:access_requests"),
                "record_link": settings.BASE_URL + request.record.get_absolute_url(),
            }
            subject = render_to_string("records/email/access_request_subject.txt", context).strip()
            body = render_to_string("records/email/access_request.txt", context)
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # a mail server problem must not undo a committed decision; it is logged
            logging.getLogger(__name__).exception("access request %s: e-mail to %s failed", request.pk, address)
            continue
        sent += 1
    return sent


__all__ += [
    "access_request_answer",
    "access_request_notify",
    "access_request_submit",
    "record_file_add",
    "record_file_remove",
]


# ------------------------------------------------------------------------------------------------------------------
# Bulk import and thesaurus links (spacebridge.records.importing, spacebridge.records.thesaurus).
# An import validates each entry with record_fields_clean, creates new records in batches with record_create_many
# (the end state of record_create + record_publish + record_release, one "record.imported" audit entry per record,
# appended to the chain in one go) and changes existing ones through record_update / record_publish / record_release.
# ------------------------------------------------------------------------------------------------------------------

from dataclasses import dataclass as _dataclass  # noqa: E402
from dataclasses import field as _field  # noqa: E402

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db.models import Q  # noqa: E402

from spacebridge.access.models import ReleaseGrant, ReleasePolicy  # noqa: E402
from spacebridge.access.services import _validate_release  # noqa: E402
from spacebridge.audit.services import audit_record_many  # noqa: E402
from spacebridge.core.bulk import insert_rows  # noqa: E402


@_dataclass(frozen=True)
class RecordFields:
    """A record's fields, validated as record_create validates them; only record_fields_clean makes one."""

    type: RecordType
    title: MultilingualText
    abstract: MultilingualText = _field(default_factory=MultilingualText)
    keywords: dict[str, list[str]] = _field(default_factory=dict)
    published_on: date | None = None
    licence: str = ""
    subjects: tuple[Concept, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()  # normalised (scheme, value)
    contributors: tuple[dict[str, Any], ...] = ()  # name, role, party, person
    related: tuple[tuple[str, Record], ...] = ()
    given: frozenset[str] = frozenset()  # the fields the source gave, for updates of existing records

    def as_service_fields(self) -> dict[str, Any]:
        """The given fields as record_create / record_update take them."""
        values = {
            "type": self.type,
            "title": self.title,
            "abstract": self.abstract,
            "keywords": self.keywords,
            "published_on": self.published_on,
            "licence": self.licence,
            "subjects": list(self.subjects),
            "identifiers": [{"scheme": s, "value": v} for s, v in self.identifiers],
            "contributors": [dict(c) for c in self.contributors],
            "related": list(self.related),
        }
        return {name: value for name, value in values.items() if name in self.given}


_CONTRIBUTOR_ROLES = frozenset(Contributor.Role.values)  # an enum's .values builds a new list on every use
_RELATIONS = frozenset(RelatedRecord.Relation.values)


def record_fields_clean(**fields: Any) -> RecordFields:
    """Validate a record's fields (the names record_create takes); raises ValidationError naming the field."""
    unknown = set(fields) - RECORD_FIELDS
    if unknown:
        raise ValueError(f"unknown record fields {unknown}")
    if not isinstance(fields.get("type"), RecordType) or "title" not in fields:
        raise ValidationError({"title": _("A record needs a type and a title.")})
    texts = {}
    for name, required, limit in (("title", True, 1000), ("abstract", False, 20000)):
        value = MultilingualText.from_json(fields.get(name))
        try:
            validate_multilingual(value, required=required, max_length=limit)
        except ValidationError as error:
            raise ValidationError({name: error.messages}) from None
        texts[name] = value
    published_on = fields.get("published_on")
    if published_on is not None and not isinstance(published_on, date):
        raise ValidationError({"published_on": _("Give the date as YYYY-MM-DD.")})
    identifiers = []
    for item in fields.get("identifiers") or []:
        try:
            identifiers.append(normalise_identifier(item.get("scheme", ""), item.get("value", "")))
        except ValidationError as error:
            raise ValidationError({"identifiers": error.messages}) from None
    contributors = []
    for item in fields.get("contributors") or []:
        name = (item.get("name") or "").strip()
        if not name or len(name) > 300 or "\x00" in name:
            raise ValidationError({"contributors": _("Each contributor needs a name of at most 300 characters.")})
        role = item.get("role") or Contributor.Role.AUTHOR
        if role not in _CONTRIBUTOR_ROLES:
            raise ValidationError({"contributors": _("“%(role)s” is not a contributor role.") % {"role": role}})
        contributors.append({"name": name, "role": role, "party": item.get("party"), "person": item.get("person")})
    related = []
    for relation, target in fields.get("related") or []:
        if relation not in _RELATIONS:
            raise ValidationError({"related": _("“%(relation)s” is not a relation.") % {"relation": relation}})
        related.append((relation, target))
    return RecordFields(
        type=fields["type"],
        title=texts["title"],
        abstract=texts["abstract"],
        keywords=_clean_keywords(fields.get("keywords")),
        published_on=published_on,
        licence=_check_licence(fields.get("licence") or ""),
        subjects=tuple(dict.fromkeys(fields.get("subjects") or [])),
        identifiers=tuple(dict.fromkeys(identifiers)),
        contributors=tuple(contributors),
        related=tuple(dict.fromkeys(related)),
        given=frozenset(fields),
    )


@_dataclass(frozen=True)
class ReleaseChoice:
    """A release decision to take with a new record, validated as record_release validates it."""

    level: str
    parties: tuple[Party, ...] = ()
    countries: tuple[str, ...] = ()
    group: WorkingGroup | None = None
    marking: str = Marking.NONE
    legal_basis: str = ""
    embargo_until: datetime | None = None
    reason: str = ""

    def as_service_fields(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "parties": list(self.parties),
            "countries": list(self.countries),
            "group": self.group,
            "marking": self.marking,
            "legal_basis": self.legal_basis,
            "embargo_until": self.embargo_until,
            "reason": self.reason,
        }

    @property
    def is_default(self) -> bool:
        """The release a record has without any decision: its owner party only."""
        return self.level == Level.OWNER and self.marking == Marking.NONE and not self.embargo_until


def release_choice_clean(*, owner_party: Party, **choice: Any) -> ReleaseChoice:
    choice["countries"] = tuple(sorted({c.upper() for c in choice.get("countries", ())}))
    choice["parties"] = tuple(choice.get("parties", ()))
    release = ReleaseChoice(**choice)
    _validate_release(
        level=release.level,
        owner_party=owner_party,
        marking=release.marking,
        legal_basis=release.legal_basis,
        parties=list(release.parties),
        countries=list(release.countries),
        group=release.group,
    )
    return release


def reference_reserve(*, year: int, count: int) -> list[str]:
    """``count`` consecutive references at once, inside the caller's transaction (like ``reference_next``)."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [f"SB-{year}-{number:06d}" for number in range(first, counter.last + 1)]


@_dataclass(frozen=True)
class RecordImport:
    fields: RecordFields
    publish: bool = True
    release: ReleaseChoice | None = None


def _imported_metadata(reference: str, owner_party: Party, fields: RecordFields) -> dict[str, Any]:
    """What ``record_metadata`` reads back for a record created from ``fields`` (tested to be equal)."""
    return {
        "reference": reference,
        "type": fields.type.code,
        "owner_party": owner_party.code,
        "title": fields.title.to_json(),
        "abstract": fields.abstract.to_json(),
        "keywords": fields.keywords,
        "published_on": fields.published_on.isoformat() if fields.published_on else None,
        "licence": fields.licence,
        "subjects": sorted(c.code for c in fields.subjects),
        "contributors": [
            {
                "name": c["name"],
                "role": c["role"],
                "person": c["person"].pk if c.get("person") else None,
                "party": c["party"].code if c.get("party") else None,
            }
            for c in fields.contributors
        ],
        "identifiers": [{"scheme": s, "value": v} for s, v in sorted(fields.identifiers)],
        "related": [
            {"relation": relation, "reference": target.reference}
            for relation, target in sorted(fields.related, key=lambda r: (r[0], r[1].reference))
        ],
        "files": [],
    }


def _release_audience(release: ReleaseChoice) -> dict[str, Any]:
    """The audience of a release as ``_audience`` records it on a release decision."""
    return {
        "level": release.level,
        "parties": sorted(p.code for p in release.parties),
        "delegations": sorted(release.countries),
        "group": release.group.acronym if release.group else None,
        "marking": release.marking,
        "legal_basis": release.legal_basis.strip(),
        "embargo_until": release.embargo_until.isoformat() if release.embargo_until else None,
    }


@_dataclass(frozen=True)
class CreatedRecord:
    pk: int
    reference: str


def _create_releases(created: list[tuple[int, Any]], owner_party: Party, actor_id: int | None, now: datetime) -> None:
    """The release policies, grants and decisions of new records: ``created`` is ``[(record pk, ReleaseChoice)]``."""
    if not created:
        return
    content_type = ContentType.objects.get_for_model(Record)
    insert_rows(
        ReleasePolicy,
        [
            {
                "content_type": content_type.pk,
                "object_id": pk,
                "owner_party": owner_party.pk,
                "level": release.level,
                "group": release.group.pk if release.group and release.level == Level.GROUP else None,
                "marking": release.marking,
                "legal_basis": release.legal_basis.strip(),
                "embargo_until": release.embargo_until,
                "decided_by": actor_id,
                "decided_at": now,
                "reason": release.reason.strip()[:500],
            }
            for pk, release in created
        ],
    )
    policies = dict(
        ReleasePolicy.objects.filter(content_type=content_type, object_id__in=[pk for pk, _r in created]).values_list(
            "object_id", "pk"
        )
    )
    grants = []
    for pk, release in created:
        grants += [{"policy": policies[pk], "party": p.pk, "country": "", "granted_at": now} for p in release.parties]
        grants += [{"policy": policies[pk], "party": None, "country": c, "granted_at": now} for c in release.countries]
    for grant in grants:
        grant |= {"reason": "", "export_approved_by": None, "export_approved_at": None}
    insert_rows(ReleaseGrant, grants)
    insert_rows(
        ReleaseDecision,
        [
            {
                "record": pk,
                "decided_by": actor_id,
                "decided_at": now,
                "kind": "release",
                "audience": _release_audience(release),
                "reason": release.reason.strip()[:500],
            }
            for pk, release in created
        ],
    )


def _record_row(reference: str, item: RecordImport, owner_party: Party, actor_id: int | None, now: datetime) -> dict:
    fields = item.fields
    return {
        "reference": reference,
        "type": fields.type.pk,
        "owner_party": owner_party.pk,
        "status": Record.Status.PUBLISHED if item.publish else Record.Status.DRAFT,
        "title": fields.title,
        "abstract": fields.abstract,
        "keywords": fields.keywords,
        "published_on": fields.published_on,
        "licence": fields.licence,
        "version": 1 if item.publish else 0,
        "has_unpublished_changes": not item.publish,
        "created_by": actor_id,
        "created_at": now,
        "updated_at": now,
        "first_published_at": now if item.publish else None,
        "withdrawn_at": None,
        "withdrawal_reason": "",
    }


@transaction.atomic
def record_create_many(
    *, by: Any, owner_party: Party, items: list[RecordImport], source: str = "", check_permission: bool = True
) -> list[CreatedRecord]:
    """Create many records of ``owner_party`` in one transaction: each published (version 1) or left as a draft,
    with its release decision, and one ``record.imported`` audit entry per record, like record_create +
    record_publish + record_release would leave them. Identifiers must be new (the importer matches existing ones
    first); a clash rolls the whole call back. Rows are written table by table in one go (``insert_rows``)."""
    if check_permission and not has_perm(by, Perm.RECORD_SUBMIT, owner_party):
        raise PermissionDenied(_("You may share records only for your own party."))
    if check_permission and any(i.release and not i.release.is_default for i in items):
        if not has_perm(by, Perm.RELEASE_DECIDE, owner_party):
            raise PermissionDenied(_("Only the owner party's liaison officers decide this object's release."))
    if not items:
        return []
    if any(not isinstance(i.fields, RecordFields) for i in items):
        raise TypeError("record_create_many takes fields from record_fields_clean")
    now = timezone.now()
    actor_id = by.pk if getattr(by, "is_authenticated", False) else None
    references = reference_reserve(year=now.year, count=len(items))
    insert_rows(Record, [_record_row(r, i, owner_party, actor_id, now) for r, i in zip(references, items, strict=True)])
    pks = dict(Record.objects.filter(reference__in=references).values_list("reference", "pk"))
    created = [CreatedRecord(pks[reference], reference) for reference in references]
    identifiers, contributors, subjects, related, versions, audit = [], [], [], [], [], []
    releases = []
    for record, item in zip(created, items, strict=True):
        fields, pk = item.fields, record.pk
        identifiers += [{"record": pk, "scheme": s, "value": v} for s, v in fields.identifiers]
        contributors += [
            {
                "record": pk,
                "position": position,
                "name": c["name"],
                "role": c["role"],
                "party": c["party"].pk if c.get("party") else None,
                "person": c["person"].pk if c.get("person") else None,
            }
            for position, c in enumerate(fields.contributors)
        ]
        subjects += [{"record": pk, "concept": concept.pk} for concept in fields.subjects]
        related += [{"source": pk, "target": target.pk, "relation": rel} for rel, target in fields.related]
        metadata = _imported_metadata(record.reference, owner_party, fields)
        if item.publish:
            versions.append(
                {
                    "record": pk,
                    "number": 1,
                    "metadata": metadata,
                    "note": "",
                    "published_at": now,
                    "published_by": actor_id,
                }
            )
        release = item.release if item.release and not item.release.is_default else None
        if release:
            releases.append((pk, release))
        changes = {
            "metadata": [None, metadata],
            "version": 1 if item.publish else None,
            "release": _release_audience(release) if release else None,
            "source": source,
        }
        audit.append((("records.record", str(pk), record.reference), changes))
    insert_rows(Identifier, identifiers)
    insert_rows(Contributor, contributors)
    insert_rows(Record.subjects.through, subjects)
    insert_rows(RelatedRecord, related)
    insert_rows(RecordVersion, versions)
    _create_releases(releases, owner_party, actor_id, now)
    audit_record_many(actor=by, verb="record.imported", entries=audit, json_native=True)  # built from JSON values
    return created


def concept_links_set(
    *, concept: Concept, broader: Iterable[Concept], related: Iterable[Concept], by: Any = None
) -> bool:
    """Make ``concept``'s broader and related concepts exactly these (related links go both ways). Returns whether
    anything changed; only a change writes an audit entry."""
    return bool(concept_links_set_many(links=[(concept, list(broader), list(related))], by=by))


@transaction.atomic
def concept_links_set_many(
    *, links: list[tuple[Concept, list[Concept], list[Concept]]], by: Any = None
) -> list[Concept]:
    """Make each listed concept's broader and related concepts exactly the given ones, in a few queries (a
    thesaurus load). Related links go both ways: a concept's related set is what it lists plus the listed
    concepts that list it. One ``concept.updated`` audit entry per concept whose links changed; returns those."""
    broader_through, related_through = Concept.broader.through, Concept.related.through
    ids = {concept.pk for concept, _b, _r in links}
    for concept, broader, related in links:
        if any(c.pk == concept.pk for c in [*broader, *related]):
            raise ValidationError(_("A concept cannot be linked to itself."))
    broader_now: dict[int, set[int]] = {pk: set() for pk in ids}
    for source, target in broader_through.objects.filter(from_concept_id__in=ids).values_list(
        "from_concept_id", "to_concept_id"
    ):
        broader_now[source].add(target)
    related_now: dict[int, set[int]] = {pk: set() for pk in ids}
    for source, target in related_through.objects.filter(from_concept_id__in=ids).values_list(
        "from_concept_id", "to_concept_id"
    ):
        related_now[source].add(target)
    broader_wanted = {concept.pk: {c.pk for c in broader} for concept, broader, _r in links}
    edges_wanted = {frozenset((concept.pk, c.pk)) for concept, _b, related in links for c in related}
    related_wanted = {pk: set() for pk in ids}
    for edge in edges_wanted:
        first, second = tuple(edge)
        for one, other in ((first, second), (second, first)):
            if one in related_wanted:
                related_wanted[one].add(other)
    edges_now = {frozenset((a, b)) for a, targets in related_now.items() for b in targets}
    removed = edges_now - edges_wanted
    added = edges_wanted - edges_now
    changed = [
        concept
        for concept, _b, _r in links
        if (broader_now[concept.pk], related_now[concept.pk])
        != (broader_wanted[concept.pk], related_wanted[concept.pk])
    ]
    if not changed:
        return []
    named_ids = set(ids)
    for targets in [*broader_now.values(), *broader_wanted.values(), *related_now.values(), *related_wanted.values()]:
        named_ids |= targets
    codes = dict(Concept.objects.filter(pk__in=named_ids).values_list("pk", "code"))
    for source in ids:
        gone = broader_now[source] - broader_wanted[source]
        if gone:
            broader_through.objects.filter(from_concept_id=source, to_concept_id__in=gone).delete()
    broader_through.objects.bulk_create(
        [
            broader_through(from_concept_id=source, to_concept_id=target)
            for source in ids
            for target in broader_wanted[source] - broader_now[source]
        ]
    )
    for edge in removed:
        first, second = tuple(edge)
        related_through.objects.filter(
            Q(from_concept_id=first, to_concept_id=second) | Q(from_concept_id=second, to_concept_id=first)
        ).delete()
    related_through.objects.bulk_create(
        [
            related_through(from_concept_id=one, to_concept_id=other)
            for edge in added
            for one, other in (tuple(edge), tuple(edge)[::-1])
        ]
    )

    def named(pks: set[int]) -> list[str]:
        return sorted(codes[pk] for pk in pks)

    entries = []
    for concept in changed:
        change = {}
        for name, before, after in (
            ("broader", broader_now[concept.pk], broader_wanted[concept.pk]),
            ("related", related_now[concept.pk], related_wanted[concept.pk]),
        ):
            if before != after:
                change[name] = [named(before), named(after)]
        entries.append((concept, change))
    audit_record_many(actor=by, verb="concept.updated", entries=entries)
    return changed


def _concept_label_index(label: MultilingualText, alt: dict[str, list[str]]) -> str:
    """The folded labels a concept is found by, as concept_upsert computes them."""
    from spacebridge.parties.models import fold_name

    return " ".join(fold_name(text) for text in [*label.text.values(), *(a for v in alt.values() for a in v)])


@transaction.atomic
def concept_create_many(*, concepts: list[dict[str, Any]], by: Any = None) -> list[Concept]:
    """Add many new thesaurus concepts at once (a first thesaurus load): each ``{code, pref, alt, source}`` as
    concept_upsert takes it, with its ``concept.created`` audit entry. Codes must be new."""
    rows = []
    for item in concepts:
        pref = item["pref"]
        label = MultilingualText(pref, "en" if "en" in pref else "")
        validate_multilingual(label, max_length=200)
        alt = {k: list(v) for k, v in (item.get("alt") or {}).items()}
        rows.append(
            Concept(
                code=item["code"],
                pref=label,
                alt=alt,
                source=item.get("source", ""),
                label_index=_concept_label_index(label, alt),
            )
        )
    created = Concept.objects.bulk_create(rows)
    audit_record_many(actor=by, verb="concept.created", entries=[(c, {"pref": c.pref.to_json()}) for c in created])
    return created
