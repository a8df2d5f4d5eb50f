"""Writes of agreements: creation, parties and signatories, terms, the status machine and the texts. Each is one
transaction with one audit entry. Signatures are in ``signatures.py``, commitments in ``commitments.py``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from spacebridge.access.models import Level
from spacebridge.access.services import release_set
from spacebridge.agreements import permissions as perms
from spacebridge.agreements import texts as parsing
from spacebridge.agreements.models import (
    EDITABLE,
    REFERENCE_PREFIX,
    TRANSITIONS,
    Agreement,
    AgreementParty,
    AgreementText,
    AgreementType,
    Article,
    EntryIntoForce,
    ReferenceCounter,
    Signatory,
    Status,
    TextVersion,
)
from spacebridge.audit.services import audit_record
from spacebridge.core.multilingual import CONTENT_LANGUAGES, MultilingualText, validate_multilingual
from spacebridge.parties.models import Party, Person

PREAMBLE_LABELS = {"en": "Preamble", "zh": "序言", "ru": "Преамбула"}
TERM_FIELDS = (
    "entry_into_force",
    "entry_into_force_on",
    "term_months",
    "expires_on",
    "notice_days",
    "automatic_renewal",
    "renewal_term_months",
)


def reference_next(*, type: str, year: int) -> str:
    """The next ``MOU-2018-001`` reference of a type and year; the row lock serialises writers."""
    prefix = REFERENCE_PREFIX[AgreementType(type)]
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:03d}"


def _terms_check(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if values.get("entry_into_force") == EntryIntoForce.ON_DATE and not values.get("entry_into_force_on"):
        errors["entry_into_force_on"] = _("Give the date on which the agreement enters into force.")
    if values.get("entry_into_force") not in EntryIntoForce.values:
        errors["entry_into_force"] = _("Choose when the agreement enters into force.")
    for name in ("term_months", "notice_days", "renewal_term_months"):
        value = values.get(name)
        if value is not None and not (0 < int(value) <= 1200 if name != "notice_days" else 0 <= int(value) <= 3650):
            errors[name] = _("Enter a number within a sensible range.")
    if values.get("automatic_renewal") and not (values.get("renewal_term_months") or values.get("term_months")):
        errors["renewal_term_months"] = _("An agreement renewed automatically needs a renewal term or a term.")
    starts = values.get("entry_into_force_on")
    if starts and values.get("expires_on") and values["expires_on"] <= starts:
        errors["expires_on"] = _("The agreement must expire after it enters into force.")
    if errors:
        raise ValidationError(errors)


def _parties_check(parties: list[Party]) -> None:
    if len(parties) < 2:
        raise ValidationError({"parties": _("An agreement needs at least two parties.")})
    if len({p.pk for p in parties}) != len(parties):
        raise ValidationError({"parties": _("Name each party once.")})


@transaction.atomic
def agreement_create(
    *,
    by: Any,
    type: str,
    title: MultilingualText,
    lead_party: Party,
    parties: Iterable[Party],
    summary: MultilingualText | None = None,
    year: int | None = None,
    amends: Agreement | None = None,
    source: str = "",
    check_permission: bool = True,
    **terms: Any,
) -> Agreement:
    """A new draft among ``parties`` (the lead party first among them)."""
    if check_permission and not perms.can_create_for(by, lead_party):
        raise PermissionDenied(_("Only the secretariat or the lead party's officers draft agreements for it."))
    if type not in AgreementType.values:
        raise ValidationError({"type": _("Choose a valid type of agreement.")})
    validate_multilingual(title, max_length=500)
    parties = list(dict.fromkeys([lead_party, *parties]))
    _parties_check(parties)
    if type == AgreementType.AMENDMENT and amends is None:
        raise ValidationError({"amends": _("Say which agreement this amendment amends.")})
    values = {"entry_into_force": EntryIntoForce.ON_LAST_SIGNATURE, "automatic_renewal": False} | terms
    unknown = set(values) - set(TERM_FIELDS)
    if unknown:
        raise TypeError(f"unknown terms {sorted(unknown)}")
    _terms_check(values)
    agreement = Agreement.objects.create(
        reference=reference_next(type=type, year=year or timezone.now().year),
        type=type,
        title=title,
        summary=summary or MultilingualText(),
        lead_party=lead_party,
        amends=amends,
        source=source[:500],
        created_by=by if getattr(by, "is_authenticated", False) else None,
        **values,
    )
    AgreementParty.objects.bulk_create(
        [AgreementParty(agreement=agreement, party=party, position=i) for i, party in enumerate(parties)]
    )
    # The agreement starts with its lead party as owner, so that party's liaison officers can later release the
    # signed agreement on the access policy's page like any other object.
    release_set(obj=agreement, by=by, level=Level.OWNER, reason="drafted", check_permission=False)
    audit_record(
        actor=by,
        verb="agreement.created",
        obj=agreement,
        changes={"type": type, "title": title.to_json(), "parties": [p.code for p in parties]},
    )
    return agreement


def _require_editable(agreement: Agreement) -> None:
    if agreement.status not in EDITABLE:
        raise ValidationError(_("A signed agreement cannot change; draft an amendment instead."))


def _require_negotiator(by: Any, agreement: Agreement) -> None:
    if not perms.can_negotiate(by, agreement):
        raise PermissionDenied(_("Only the secretariat or the parties' officers work on this agreement."))


@transaction.atomic
def agreement_update(*, agreement: Agreement, by: Any, **changes: Any) -> Agreement:
    """Change the title, summary or terms. Terms stay open to the secretariat after signature (an expiry date fixed
    by a later decision); everything else only before."""
    _require_negotiator(by, agreement)
    allowed = set(TERM_FIELDS) | {"title", "summary", "source"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    if agreement.status not in EDITABLE and not (perms.can_manage(by) and set(changes) <= set(TERM_FIELDS)):
        _require_editable(agreement)
    if "title" in changes:
        validate_multilingual(changes["title"], max_length=500)
    values = {name: getattr(agreement, name) for name in TERM_FIELDS} | {
        k: v for k, v in changes.items() if k in TERM_FIELDS
    }
    _terms_check(values)
    before = {}
    for name, value in changes.items():
        old = getattr(agreement, name)
        if old != value:
            before[name] = [_plain(old), _plain(value)]
            setattr(agreement, name, value)
    if before:
        agreement.save()
        audit_record(actor=by, verb="agreement.updated", obj=agreement, changes=before)
    return agreement


def _plain(value: Any) -> Any:
    if isinstance(value, MultilingualText):
        return value.to_json()
    if isinstance(value, date):
        return value.isoformat()
    return value


@transaction.atomic
def agreement_party_add(*, agreement: Agreement, by: Any, party: Party) -> AgreementParty:
    _require_negotiator(by, agreement)
    _require_editable(agreement)
    if agreement.parties.filter(party=party).exists():
        raise ValidationError({"party": _("This party is already a party to the agreement.")})
    position = (agreement.parties.aggregate(m=Max("position"))["m"] or 0) + 1
    agreement_party = AgreementParty.objects.create(agreement=agreement, party=party, position=position)
    audit_record(actor=by, verb="agreement.party_added", obj=agreement, changes={"party": party.code})
    return agreement_party


@transaction.atomic
def agreement_party_remove(*, agreement_party: AgreementParty, by: Any) -> None:
    agreement = agreement_party.agreement
    _require_negotiator(by, agreement)
    _require_editable(agreement)
    if agreement.parties.count() <= 2:
        raise ValidationError({"party": _("An agreement needs at least two parties.")})
    if agreement_party.party_id == agreement.lead_party_id:
        raise ValidationError({"party": _("The lead party stays a party to its agreement.")})
    if agreement_party.signatures.exists():
        raise ValidationError({"party": _("A party that has signed cannot be removed.")})
    code = agreement_party.party.code
    agreement_party.delete()
    audit_record(actor=by, verb="agreement.party_removed", obj=agreement, changes={"party": code})


@transaction.atomic
def signatory_add(
    *,
    agreement_party: AgreementParty,
    by: Any,
    name: str,
    title: str = "",
    authority: str = "",
    person: Person | None = None,
) -> Signatory:
    agreement = agreement_party.agreement
    _require_negotiator(by, agreement)
    _require_editable(agreement)
    name = (name or (person.transliteration if person else "")).strip()
    if not name or any("\x00" in v for v in (name, title, authority)):
        raise ValidationError({"name": _("Give the signatory's name.")})
    signatory = Signatory.objects.create(
        agreement_party=agreement_party,
        person=person,
        name=name[:200],
        title=title.strip()[:300],
        authority=authority.strip()[:500],
    )
    audit_record(
        actor=by,
        verb="agreement.signatory_added",
        obj=agreement,
        changes={
            "party": agreement_party.party.code,
            "name": signatory.name,
            "title": signatory.title,
            "authority": signatory.authority,
        },
    )
    return signatory


def transition_allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def _transition_check(agreement: Agreement, target: str, superseded_by: Agreement | None) -> None:
    if target not in Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if not transition_allowed(agreement.status, target):
        raise ValidationError(
            {
                "status": _("An agreement cannot go from “%(from)s” to “%(to)s”.")
                % {"from": Status(agreement.status).label, "to": Status(target).label}
            }
        )
    if target == Status.NEGOTIATION and not agreement.texts.exists():
        raise ValidationError({"status": _("Add the text in at least one language before negotiating it.")})
    if target == Status.SIGNED and agreement.parties.filter(signatures__isnull=True).exists():
        raise ValidationError({"status": _("Every party must sign before the agreement is signed.")})
    if target == Status.SUPERSEDED and superseded_by is None:
        raise ValidationError({"superseded_by": _("Say which agreement supersedes this one.")})
    if superseded_by is not None and superseded_by.pk == agreement.pk:
        raise ValidationError({"superseded_by": _("An agreement cannot supersede itself.")})


def _set_status(
    agreement: Agreement,
    *,
    by: Any,
    target: str,
    on: date | None,
    reason: str = "",
    superseded_by: Agreement | None = None,
) -> None:
    before = agreement.status
    agreement.status = target
    on = on or timezone.localdate()
    if target == Status.IN_FORCE:
        agreement.in_force_since = on
        months = agreement.term_months
        if agreement.expires_on is None and months:
            agreement.expires_on = on + relativedelta(months=months)
    if target in {Status.EXPIRED, Status.TERMINATED, Status.SUPERSEDED}:
        agreement.terminated_on = on
    if superseded_by is not None:
        agreement.superseded_by = superseded_by
    agreement.save()
    changes: dict[str, Any] = {"status": [before, target], "on": on.isoformat()}
    if reason:
        changes["reason"] = reason
    if superseded_by is not None:
        changes["superseded_by"] = superseded_by.reference
    audit_record(actor=by, verb="agreement.status_changed", obj=agreement, changes=changes)


@transaction.atomic
def agreement_transition(
    *,
    agreement: Agreement,
    by: Any,
    to: str,
    on: date | None = None,
    reason: str = "",
    superseded_by: Agreement | None = None,
    check_permission: bool = True,
) -> Agreement:
    """Move the agreement along the status machine; any other move is refused with the reason."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if to in Status.values and not transition_allowed(agreement.status, to):
        _transition_check(agreement, to, superseded_by)  # says which move is refused, whoever asks
    if check_permission:
        if to in {Status.NEGOTIATION, Status.DRAFT}:
            _require_negotiator(by, agreement)
        elif not perms.can_manage(by):
            raise PermissionDenied(_("Only the secretariat records what happens to an agreement after signature."))
    _transition_check(agreement, to, superseded_by)
    _set_status(agreement, by=by, target=to, on=on, reason=reason.strip()[:500], superseded_by=superseded_by)
    if to == Status.SIGNED:
        enter_into_force_if_due(agreement=agreement, by=by)
    return agreement


def enter_into_force_if_due(*, agreement: Agreement, by: Any, today: date | None = None) -> bool:
    """A signed agreement enters into force on its last signature, or on its date once that has come."""
    if agreement.status != Status.SIGNED:
        return False
    today = today or timezone.localdate()
    if agreement.entry_into_force == EntryIntoForce.ON_LAST_SIGNATURE:
        last = max((ap.signed_on for ap in agreement.parties.all() if ap.signed_on), default=today)
        _set_status(agreement, by=by, target=Status.IN_FORCE, on=last)
        return True
    if agreement.entry_into_force_on and agreement.entry_into_force_on <= today:
        _set_status(agreement, by=by, target=Status.IN_FORCE, on=agreement.entry_into_force_on)
        return True
    return False


@transaction.atomic
def agreement_link(*, agreement: Agreement, by: Any, other: Agreement, unlink: bool = False) -> None:
    """Relate two agreements (both ways)."""
    _require_negotiator(by, agreement)
    if other.pk == agreement.pk:
        raise ValidationError({"related": _("An agreement cannot be related to itself.")})
    if unlink:
        agreement.related.remove(other)
    else:
        agreement.related.add(other)
    verb = "agreement.unlinked" if unlink else "agreement.linked"
    audit_record(actor=by, verb=verb, obj=agreement, changes={"related": other.reference})


def text_out_of_step(text: AgreementText) -> bool:
    """Whether another language changed after this one was last written or confirmed."""
    others = AgreementText.objects.filter(agreement_id=text.agreement_id).exclude(pk=text.pk)
    latest_change = others.aggregate(m=Max("changed_revision"))["m"] or 0
    return text.confirmed_revision < latest_change


# Texts ------------------------------------------------------------------------------------------------------------


def _validate_body(body: str, language: str) -> str:
    if language not in CONTENT_LANGUAGES:
        raise ValidationError({"language": _("“%(lang)s” is not a supported language.") % {"lang": language}})
    if "\x00" in body:
        raise ValidationError({"body": _("Text may not contain NUL characters.")})
    if not body.strip():
        raise ValidationError({"body": _("The text is empty.")})
    if len(body) > parsing.MAX_TEXT_CHARS:
        raise ValidationError(
            {"body": _("The text is longer than %(max)d characters.") % {"max": parsing.MAX_TEXT_CHARS}}
        )
    return parsing.normalise(body)


@transaction.atomic
def text_version_add(
    *,
    agreement: Agreement,
    by: Any,
    language: str,
    body: str,
    kind: str = TextVersion.Kind.AUTHENTIC,
    note: str = "",
    check_permission: bool = True,
) -> TextVersion:
    """A new version of the text in one language, parsed into articles. The other languages are then out of step
    until they get a new version or are confirmed as still matching."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if check_permission:
        _require_negotiator(by, agreement)
    _require_editable(agreement)
    if kind not in TextVersion.Kind.values:
        raise ValidationError({"kind": _("Choose authentic or translation.")})
    body = _validate_body(body, language)
    if _signed_by_any(agreement):
        raise ValidationError(_("A party has already signed these texts; they can no longer change."))
    text, _created = AgreementText.objects.get_or_create(agreement=agreement, language=language)
    latest = text.versions.order_by("-number").first()
    if latest is not None and latest.body == body and latest.kind == kind:
        raise ValidationError({"body": _("The text is the same as its current version.")})
    if latest is not None:  # a first version of a new language changes no text the others follow
        agreement.text_revision += 1
    Agreement.objects.filter(pk=agreement.pk).update(text_revision=agreement.text_revision, updated_at=timezone.now())
    text.changed_revision = text.confirmed_revision = agreement.text_revision
    text.save(update_fields=["changed_revision", "confirmed_revision"])
    version = TextVersion.objects.create(
        text=text,
        number=(latest.number + 1) if latest else 1,
        kind=kind,
        body=body,
        sha256=parsing.sha256_text(body),
        note=note.strip()[:500],
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    articles = parsing.parse_articles(body, preamble_label=PREAMBLE_LABELS.get(language, "Preamble"))
    Article.objects.bulk_create(
        [
            Article(
                version=version,
                position=i,
                key=a.key,
                number=a.number,
                label=a.label[:100],
                heading=a.heading[:500],
                paragraphs=a.paragraphs,
            )
            for i, a in enumerate(articles)
        ]
    )
    audit_record(
        actor=by,
        verb="agreement.text_added",
        obj=agreement,
        changes={
            "language": language,
            "version": version.number,
            "kind": kind,
            "sha256": version.sha256,
            "articles": len(articles),
            "note": version.note,
        },
    )
    return version


def _signed_by_any(agreement: Agreement) -> bool:
    from spacebridge.agreements.models import Signature

    return Signature.objects.filter(agreement_party__agreement=agreement).exists()


@transaction.atomic
def text_confirm(*, text: AgreementText, by: Any) -> AgreementText:
    """Confirm that a language still matches the others after they changed: it is in step again."""
    agreement = Agreement.objects.select_for_update().get(pk=text.agreement_id)
    _require_negotiator(by, agreement)
    _require_editable(agreement)
    text.refresh_from_db()
    if not text_out_of_step(text):
        raise ValidationError(_("This language is already in step with the others."))
    before = text.confirmed_revision
    text.confirmed_revision = agreement.text_revision
    text.save(update_fields=["confirmed_revision"])
    audit_record(
        actor=by,
        verb="agreement.text_confirmed",
        obj=agreement,
        changes={"language": text.language, "revision": [before, text.confirmed_revision]},
    )
    return text
