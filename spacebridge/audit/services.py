"""Appending to the hash chain. Every write service calls ``audit_record`` inside its transaction."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from spacebridge.audit.models import AuditEntry

GENESIS = "0" * 64
_CHAIN_LOCK = 0x5B_A0D1  # PostgreSQL advisory lock id that serialises appends


def object_identity(obj: models.Model) -> tuple[str, str, str]:
    """(type, id, human reference) of any model instance."""
    label = obj._meta.label_lower
    reference = getattr(obj, "reference", None) or str(obj)
    return label, str(obj.pk), str(reference)[:200]


def entry_digest(
    *,
    prev_hash: str,
    entry_id: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    verb: str,
    object_type: str,
    object_id: str,
    object_ref: str,
    changes: Any,
) -> str:
    canonical = json.dumps(
        {
            "id": entry_id,
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "actor": actor_label,
            "verb": verb,
            "object_type": object_type,
            "object_id": object_id,
            "object_ref": object_ref,
            "changes": changes,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _jsonable(changes: dict[str, Any]) -> Any:
    """Round-trip through JSON so the hashed value is exactly what the database stores."""
    return json.loads(json.dumps(changes, ensure_ascii=False, default=str, sort_keys=True))


def audit_record(*, actor: Any, verb: str, obj: models.Model, changes: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry for ``verb`` on ``obj``. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the write's transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    last = AuditEntry.objects.order_by("-id").values("id", "hash").first()
    entry_id = (last["id"] + 1) if last else 1
    prev_hash = last["hash"] if last else GENESIS
    object_type, object_id, object_ref = object_identity(obj)
    user = actor if getattr(actor, "is_authenticated", False) else None
    actor_label = (user.get_username() if user else str(actor or "system"))[:200]
    # Milliseconds: the precision every database and the portable backup format keep exactly.
    now = timezone.now()
    at = now.replace(microsecond=now.microsecond // 1000 * 1000)
    payload = _jsonable(changes or {})
    digest = entry_digest(
        prev_hash=prev_hash,
        entry_id=entry_id,
        at=at,
        actor_id=user.pk if user else None,
        actor_label=actor_label,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        object_ref=object_ref,
        changes=payload,
    )
    return AuditEntry.objects.create(
        id=entry_id,
        at=at,
        actor=user,
        actor_label=actor_label,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        object_ref=object_ref,
        changes=payload,
        prev_hash=prev_hash,
        hash=digest,
    )


def audit_record_many(
    *,
    actor: Any,
    verb: str,
    entries: list[tuple[models.Model | tuple[str, str, str], dict[str, Any] | None]],
    json_native: bool = False,
) -> int:
    """Append one entry for ``verb`` per ``(object, changes)``, in order, written in one go (bulk imports); the
    object is a model instance or its ``object_identity`` tuple. The chain is exactly what as many ``audit_record``
    calls would make. ``json_native``: the caller vouches that every ``changes`` holds only JSON values (dicts with
    string keys, lists, strings, numbers, booleans, None), which then need no round trip through JSON before
    hashing. Must run inside the caller's transaction. Returns the number of entries."""
    from spacebridge.core.bulk import insert_rows

    if not connection.in_atomic_block:
        raise RuntimeError("audit_record_many must run inside the write's transaction")
    if not entries:
        return 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    last = AuditEntry.objects.order_by("-id").values("id", "hash").first()
    entry_id = last["id"] if last else 0
    prev_hash = last["hash"] if last else GENESIS
    user = actor if getattr(actor, "is_authenticated", False) else None
    actor_label = (user.get_username() if user else str(actor or "system"))[:200]
    now = timezone.now()
    at = now.replace(microsecond=now.microsecond // 1000 * 1000)
    rows = []
    for obj, changes in entries:
        entry_id += 1
        object_type, object_id, object_ref = obj if isinstance(obj, tuple) else object_identity(obj)
        payload = (changes or {}) if json_native else _jsonable(changes or {})
        digest = entry_digest(
            prev_hash=prev_hash,
            entry_id=entry_id,
            at=at,
            actor_id=user.pk if user else None,
            actor_label=actor_label,
            verb=verb,
            object_type=object_type,
            object_id=object_id,
            object_ref=object_ref,
            changes=payload,
        )
        rows.append(
            {
                "id": entry_id,
                "at": at,
                "actor": user.pk if user else None,
                "actor_label": actor_label,
                "verb": verb,
                "object_type": object_type,
                "object_id": object_id,
                "object_ref": object_ref,
                "changes": payload,
                "prev_hash": prev_hash,
                "hash": digest,
            }
        )
        prev_hash = digest
    return insert_rows(AuditEntry, rows)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


__all__ = ["GENESIS", "audit_record", "audit_record_many", "diff", "entry_digest", "object_identity", "transaction"]
