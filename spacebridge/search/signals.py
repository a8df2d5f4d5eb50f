"""Keeping the index current: model signals of the records, handled in the transaction of the write.

A record's searchable text changes only when a version is published (a ``RecordVersion`` row is written) or when
it is withdrawn or deleted; who may see it is read live from the access policy at query time, so release decisions
need no re-indexing. Bulk imports write rows without signals: ``index.index_catch_up`` indexes them from the
versions' watermark before the next search.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from spacebridge.search.index import documents_changed, documents_removed, watermark_advance
from spacebridge.search.records import KIND


def _version_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    documents_changed(KIND, [instance.record_id])
    if created:
        watermark_advance(KIND, instance.pk)


def _record_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    # A publication is handled with its version row; a withdrawal takes the record out of the index.
    if not raw and instance.status == instance.Status.WITHDRAWN:
        documents_removed(KIND, [instance.pk])


def _record_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    documents_removed(KIND, [instance.pk])


def _concept_saved(sender: Any, **kwargs: Any) -> None:
    from spacebridge.search.expansion import LABELS

    LABELS.clear()


def connect() -> None:
    from spacebridge.records.models import Concept, Record, RecordVersion

    post_save.connect(_version_saved, sender=RecordVersion, dispatch_uid="search.version_saved")
    post_save.connect(_record_saved, sender=Record, dispatch_uid="search.record_saved")
    post_delete.connect(_record_deleted, sender=Record, dispatch_uid="search.record_deleted")
    post_save.connect(_concept_saved, sender=Concept, dispatch_uid="search.concept_saved")
