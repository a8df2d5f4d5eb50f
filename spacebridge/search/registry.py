"""Which kinds of documents the platform-wide search holds, and how each part describes its documents.

A part makes its documents searchable by registering a ``DocumentKind`` in its ``AppConfig.ready()`` (see
docs/search.md, "Making a part searchable"), and by calling ``spacebridge.search.index.documents_changed(kind,
ids)`` (or connecting model signals to it) whenever a document's searchable text or existence changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models

from spacebridge.core.multilingual import MultilingualText


@dataclass
class IndexedDocument:
    """What one document gives the index: only text every reader the access policy lets in may read."""

    object_id: int
    ref: str
    type: str  # the type facet's value: the part's own type code ("publication", "meeting", …)
    title: MultilingualText
    url: str
    summary: MultilingualText = field(default_factory=MultilingualText)  # snippets come from here
    body: list[str] = field(default_factory=list)  # further searchable text (keywords, names, labels)
    owner_party_id: int | None = None
    date: date | None = None  # for sorting by date
    year: int | None = None  # the year facet: the year of the work itself, when known
    subjects: list[str] = field(default_factory=list)  # thesaurus concept codes
    languages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentKind:
    """A searchable kind of document.

    * ``documents(ids)``: the ``IndexedDocument`` of each of these objects that is searchable now (a missing id is
      removed from the index: deleted, withdrawn or never published);
    * ``visible(user)``: the queryset of ``model`` that ``user`` may see — the access policy's filter; every hit,
      count, facet and snippet of the search is computed only over documents in it;
    * ``all_ids()``: every object that may be searchable, for ``spacebridge search reindex``;
    * ``type_label(code)``: the type facet's label of a type code, in the active language;
    * ``pending(after)``: optional, for writes that bypass model signals (bulk imports): ``(ids, watermark)`` of the
      objects changed after the watermark ``after``, and ``latest_mark()``: the watermark of everything so far.
    """

    kind: str
    label: Any  # a lazy translated string: the kind's name on the page
    model: type[models.Model]
    documents: Callable[[list[int]], Iterable[IndexedDocument]]
    visible: Callable[[Any], models.QuerySet[Any]]
    all_ids: Callable[[], Iterable[int]]
    type_label: Callable[[str], str]
    pending: Callable[[int], tuple[list[int], int]] | None = None
    latest_mark: Callable[[], int] | None = None


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    _KINDS[kind.kind] = kind


def kinds() -> dict[str, DocumentKind]:
    return dict(_KINDS)


def kind_of(name: str) -> DocumentKind | None:
    return _KINDS.get(name)
