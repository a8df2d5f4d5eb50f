"""Reading the audit log: an object's history and the verification of the whole chain."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import models

from spacebridge.audit.models import AuditEntry
from spacebridge.audit.services import GENESIS, entry_digest


def audit_history_for(*, obj: models.Model) -> models.QuerySet[AuditEntry]:
    """The entries about ``obj``, newest first. Callers show it only on a page the viewer may already see."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("-id")


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_entry: AuditEntry | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_entry is None


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("id").iterator(chunk_size=2000)


def audit_verify(*, progress: Callable[[int], None] | None = None) -> ChainReport:
    """Recompute every hash in order; report the first entry whose content or link does not match."""
    prev_hash = GENESIS
    expected_id = None
    checked = 0
    for entry in _entries():
        if expected_id is not None and entry.id != expected_id:
            return ChainReport(checked, entry, f"entries {expected_id}–{entry.id - 1} are missing")
        if entry.prev_hash != prev_hash:
            return ChainReport(checked, entry, "its link to the previous entry does not match")
        digest = entry_digest(
            prev_hash=entry.prev_hash,
            entry_id=entry.id,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_label=entry.actor_label,
            verb=entry.verb,
            object_type=entry.object_type,
            object_id=entry.object_id,
            object_ref=entry.object_ref,
            changes=entry.changes,
        )
        if digest != entry.hash:
            return ChainReport(checked, entry, "its content was changed after it was written")
        prev_hash = entry.hash
        expected_id = entry.id + 1
        checked += 1
        if progress:
            progress(1)
    return ChainReport(checked)


def audit_count() -> int:
    return AuditEntry.objects.count()


def audit_head() -> AuditEntry | None:
    """The newest entry: its hash commits to the whole history before it."""
    return AuditEntry.objects.order_by("-id").first()
