"""Reads of agreements. Before signature an agreement is seen by its parties' officers (and the secretariat) only;
after, by whoever its release policy lets in (``access.policy.visible``) and by the parties' officers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from spacebridge.access.policy import visible
from spacebridge.agreements import permissions as perms
from spacebridge.agreements.models import (
    UNSIGNED,
    Agreement,
    AgreementParty,
    AgreementText,
    Article,
    Commitment,
    PartyKey,
    Signature,
    TextVersion,
)
from spacebridge.agreements.signing import canonical_hash
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.models import Party


def officer_party_ids(user: Any) -> set[int]:
    """The parties for which ``user`` negotiates agreements (a role for a parent covers its sub-parties)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_sb_agreement_parties", None)
    if cached is None:
        cached = {party.pk for party in Party.objects.all() if perms.is_officer_of(user, party)}
        user._sb_agreement_parties = cached
    return cached


def agreements_visible(*, user: Any, queryset: QuerySet[Agreement] | None = None) -> QuerySet[Agreement]:
    agreements = queryset if queryset is not None else Agreement.objects.all()
    if perms.can_manage(user):
        return agreements
    officer = Q(pk__in=AgreementParty.objects.filter(party_id__in=officer_party_ids(user)).values("agreement_id"))
    released = Q(pk__in=visible(Agreement.objects.exclude(status__in=UNSIGNED), user).values("pk"))
    return agreements.filter(officer | released)


def agreement_list(
    *, user: Any, status: str = "", type: str = "", party: str = "", query: str = ""
) -> QuerySet[Agreement]:
    agreements = agreements_visible(user=user).select_related("lead_party")
    if status:
        agreements = agreements.filter(status=status)
    if type:
        agreements = agreements.filter(type=type)
    if party:
        agreements = agreements.filter(parties__party__code=party)
    if query:
        # Titles are matched in Python: SQLite keeps JSON with \u escapes, so a database match would miss Chinese and
        # Russian titles there (agreements number in the hundreds, not millions).
        needle = query.casefold()
        matching = [
            pk
            for pk, reference, title in agreements.values_list("pk", "reference", "title")
            if needle in f"{reference} {MultilingualText.from_json(title).all_text()}".casefold()
        ]
        agreements = agreements.filter(pk__in=matching)
    return agreements.prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("party")), "commitments"
    ).distinct()


def agreement_get_for_user(*, user: Any, reference: str) -> Agreement:
    """Fetch and authorise in one call: an agreement the user may not see is a 404, like a missing one."""
    agreement = (
        agreements_visible(user=user, queryset=Agreement.objects.filter(reference=str(reference)[:20]))
        .select_related("lead_party", "amends", "superseded_by")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("party").prefetch_related(
                    "signatories", Prefetch("signatures", queryset=Signature.objects.select_related("key", "scan"))
                ),
            )
        )
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


def current_versions(agreement: Agreement) -> list[TextVersion]:
    """The latest version of each language, in the order the languages were added."""
    versions = []
    for text in AgreementText.objects.filter(agreement=agreement).order_by("id"):
        latest = text.versions.order_by("-number").first()
        if latest is not None:
            versions.append(latest)
    return versions


def canonical_texts(agreement: Agreement) -> list[dict[str, Any]]:
    return [
        {"language": v.text.language, "version": v.number, "kind": v.kind, "sha256": v.sha256}
        for v in current_versions(agreement)
    ]


def agreement_hash(agreement: Agreement) -> str:
    """The canonical hash of the final texts in every language: what each party signs."""
    return canonical_hash(reference=agreement.reference, texts=canonical_texts(agreement))


@dataclass
class TextState:
    text: AgreementText
    version: TextVersion | None
    out_of_step: bool
    version_count: int


def text_states(agreement: Agreement) -> list[TextState]:
    texts = list(AgreementText.objects.filter(agreement=agreement).order_by("id").prefetch_related("versions"))
    states = []
    for text in texts:
        others = [t.changed_revision for t in texts if t.pk != text.pk]
        versions = sorted(text.versions.all(), key=lambda v: -v.number)
        states.append(
            TextState(
                text, versions[0] if versions else None, text.confirmed_revision < max(others, default=0), len(versions)
            )
        )
    return states


@dataclass
class AlignedRow:
    key: str
    cells: list[Article | None]


def aligned_articles(versions: list[TextVersion]) -> list[AlignedRow]:
    """Articles side by side: one row per article key, in the order of the first text that has it."""
    by_version = [{a.key: a for a in v.articles.all()} for v in versions]
    order: list[str] = []
    for v in versions:
        for article in v.articles.all():
            if article.key not in order:
                order.append(article.key)
    return [AlignedRow(key, [articles.get(key) for articles in by_version]) for key in order]


def signature_state(agreement: Agreement) -> list[dict[str, Any]]:
    """For each party: its signatures, with digital ones checked again against today's texts."""
    from spacebridge.agreements.signing import verify_digest

    digest = agreement_hash(agreement) if agreement.texts.exists() else ""
    rows = []
    for ap in agreement.parties.all():
        checks = []
        for signature in ap.signatures.all():
            ok = None
            if signature.kind == Signature.Kind.DIGITAL and signature.key is not None:
                ok = signature.digest == digest and verify_digest(
                    bytes.fromhex(signature.key.public_key), digest, signature.value
                )
            checks.append({"signature": signature, "valid": ok})
        rows.append({"party": ap, "signatures": checks})
    return rows


def party_keys(*, party: Party) -> QuerySet[PartyKey]:
    return PartyKey.objects.filter(party=party, revoked_at__isnull=True)


# Implementation -----------------------------------------------------------------------------------------------------

ON_TRACK, LATE, DONE = "on_track", "late", "done"


def commitment_status(commitment: Commitment, today: date | None = None) -> str | None:
    """done, late or on track; a cancelled commitment counts for nothing."""
    today = today or timezone.localdate()
    if commitment.state == Commitment.State.CANCELLED:
        return None
    if commitment.state == Commitment.State.DONE:
        return DONE
    if commitment.due_on and commitment.due_on < today:
        return LATE
    return ON_TRACK


def implementation_status(agreement: Agreement, today: date | None = None) -> str | None:
    """Computed from the commitments: late if any is late, done if all are done, else on track (None: none)."""
    statuses = [s for s in (commitment_status(c, today) for c in agreement.commitments.all()) if s]
    if not statuses:
        return None
    if LATE in statuses:
        return LATE
    if all(s == DONE for s in statuses):
        return DONE
    return ON_TRACK


def commitments_of(agreement: Agreement) -> QuerySet[Commitment]:
    return agreement.commitments.prefetch_related("responsible_parties", "groups", "records", "links")
