"""Keeping the index current: model signals, handled in the transaction of the write.

``follow`` and ``follow_m2m`` connect the signals of any part's models to its kind (``spacebridge/<part>/search.py``);
the rest of this module is the records' own.

A record's searchable text changes only when a version is published (a ``RecordVersion`` row is written) or when
it is withdrawn or deleted; who may see it is read live from the access policy at query time, so release decisions
need no re-indexing. Bulk imports write rows without signals: ``index.index_catch_up`` indexes them from the
versions' watermark before the next search.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from spacebridge.search.engine import changes_note, enabled, object_access_changed
from spacebridge.search.index import documents_changed, documents_removed, watermark_advance
from spacebridge.search.models import SearchDocument
from spacebridge.search.records import KIND


def _own_ids(instance: Any) -> list[int]:
    return [instance.pk]


def follow(kind: str, model: type[models.Model], ids: Callable[[Any], Iterable[int | None]] = _own_ids) -> None:
    """Re-index the documents of ``kind`` named by ``ids(instance)`` whenever a ``model`` row is saved or deleted,
    in the transaction of the write. For the kind's own model a deleted (or no longer searchable) object simply
    leaves the index: its ``documents`` no longer return it. Rows loaded from a fixture or a backup (``raw``) are
    left to ``spacebridge search reindex``."""

    def named(instance: Any) -> list[int]:
        try:
            return [pk for pk in ids(instance) if pk]
        except ObjectDoesNotExist:  # a parent deleted before its child in a cascade: the parent's signal follows
            return []

    def saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if not raw:
            documents_changed(kind, named(instance))

    def deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
        documents_changed(kind, named(instance))

    uid = f"search.{kind}.{model._meta.label_lower}"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}.saved")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}.deleted")


def follow_m2m(kind: str, field: Any) -> None:
    """Re-index the documents of ``kind`` whose many-to-many ``field`` (e.g. ``WorkingGroup.subjects``) changed.
    Only documents already in the index are re-indexed: a backup's restore sets these relations without saying so
    (no ``raw`` flag), before it loads the index rows themselves."""

    def changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        ids = set(pk_set or ()) if reverse else {instance.pk}
        indexed = SearchDocument.objects.filter(kind=kind, object_id__in=ids).values_list("object_id", flat=True)
        documents_changed(kind, list(indexed))

    m2m_changed.connect(
        changed, sender=field.through, weak=False, dispatch_uid=f"search.{kind}.{field.through._meta.label_lower}"
    )


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


def _policy_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A release decision changed who may see an object: the tantivy engine reads its document's audience again
    (the database engines read the policy live at query time)."""
    policy = getattr(instance, "policy", instance)
    model = policy.content_type.model_class() if policy.content_type_id else None
    if model is not None and not raw:
        object_access_changed(model, int(policy.object_id))


def _party_saving(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A party's country is its documents' delegation in the tantivy index: a new one is read again for each (the
    database engines join the party at query time)."""
    if raw or instance.pk is None or not enabled():
        return
    before = sender.objects.filter(pk=instance.pk).values_list("country", flat=True).first()
    if before is not None and str(before) != str(instance.country):
        changes_note(SearchDocument.objects.filter(owner_party_id=instance.pk).values_list("pk", flat=True))


def _party_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A party's documents leave the index with it, by a cascade that says nothing else: noted for the tantivy index
    in the transaction of the deletion."""
    changes_note(SearchDocument.objects.filter(owner_party_id=instance.pk).values_list("pk", flat=True))


def connect() -> None:
    from spacebridge.access.models import ReleaseGrant, ReleasePolicy
    from spacebridge.parties.models import Party
    from spacebridge.records.models import Concept, Record, RecordVersion

    for model in (ReleasePolicy, ReleaseGrant):
        name = model._meta.label_lower
        post_save.connect(_policy_changed, sender=model, dispatch_uid=f"search.access.{name}.saved")
        post_delete.connect(_policy_changed, sender=model, dispatch_uid=f"search.access.{name}.deleted")

    post_save.connect(_version_saved, sender=RecordVersion, dispatch_uid="search.version_saved")
    post_save.connect(_record_saved, sender=Record, dispatch_uid="search.record_saved")
    post_delete.connect(_record_deleted, sender=Record, dispatch_uid="search.record_deleted")
    post_save.connect(_concept_saved, sender=Concept, dispatch_uid="search.concept_saved")
    pre_save.connect(_party_saving, sender=Party, dispatch_uid="search.party_saving")
    pre_delete.connect(_party_deleting, sender=Party, dispatch_uid="search.party_deleting")
