"""Which kinds of documents the platform-wide search holds, and how each part describes its documents.

A part makes its documents searchable by registering a ``DocumentKind`` in its ``AppConfig.ready()`` (see
docs/search.md, "Making a part searchable"), and by calling ``spacebridge.search.index.documents_changed(kind,
ids)`` (or connecting model signals to it) whenever a document's searchable text or existence changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.urls import get_script_prefix
from django.utils.text import capfirst

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
      objects changed after the watermark ``after``, and ``latest_mark()``: the watermark of everything so far;
    * ``audience``: whether the access policy alone tells who may see a document, so the tantivy engine may filter
      by the policy's audience in its index (``spacebridge.search.engine``): ``"policy"`` when ``visible`` is exactly
      the policy's filter over ``model``, ``"policy or owner"`` when the document's owner party sees it too; empty
      when only ``visible`` can tell (the engine then checks the kind's matches with it at each search).
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
    audience: str = ""


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    _KINDS[kind.kind] = kind


def kinds() -> dict[str, DocumentKind]:
    return dict(_KINDS)


def kind_of(name: str) -> DocumentKind | None:
    return _KINDS.get(name)


def site_path(url: str) -> str:
    """A page's address from the site's root (``/agreements/MOU-2018-001/``), however the index was written: from a
    request under a script prefix, or from the command line."""
    prefix = get_script_prefix()
    return "/" + url[len(prefix) :] if prefix != "/" and url.startswith(prefix) else url


def model_type_label(code: str, model: type[models.Model]) -> Callable[[str], str]:
    """A ``type_label`` for a kind whose one type is ``code``: the model's own translated name ("Working group",
    "工作组", "Рабочая группа"), so no part needs a new string; any other code is left to the other kinds."""

    def label(value: str) -> str:
        return str(capfirst(model._meta.verbose_name)) if value == code else value

    return label


def model_label(model: type[models.Model]) -> Any:
    """A kind's name on the page: the model's translated plural name, capitalised when shown."""
    return capfirst(model._meta.verbose_name_plural)


def model_kind(
    kind: str,
    model: type[models.Model],
    *,
    documents: Callable[[list[int]], Iterable[IndexedDocument]],
    visible: Callable[[Any], models.QuerySet[Any]],
    all_ids: Callable[[], Iterable[int]] | None = None,
    audience: str = "",
) -> DocumentKind:
    """A kind whose one type is the model itself: named, and its type facet labelled, by the model's own translated
    names; every object may be searchable unless ``all_ids`` says which."""
    return DocumentKind(
        kind=kind,
        label=model_label(model),
        model=model,
        documents=documents,
        visible=visible,
        all_ids=all_ids or (lambda: model._default_manager.order_by("pk").values_list("pk", flat=True)),
        type_label=model_type_label(kind, model),
        audience=audience,
    )


# ----------------------------------------------------------------------------------------------------------------
# Pieces the parts build their documents from
# ----------------------------------------------------------------------------------------------------------------


def merged_text(*texts: MultilingualText, separator: str = "\n\n") -> MultilingualText:
    """Several texts as one, language by language (a group's mandate and scope as its summary)."""
    merged: dict[str, list[str]] = {}
    for text in texts:
        for language, value in text.text.items():
            merged.setdefault(language, []).append(value.strip())
    original = next((text.original for text in texts if text), "")
    return MultilingualText({language: separator.join(parts) for language, parts in merged.items()}, original)


_MARKUP = re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+|[*_`|]{1,3}|\[|\]\([^)]*\)", re.MULTILINE)


def plain_text(text: MultilingualText, limit: int = 0) -> MultilingualText:
    """The text without Markdown's marks (minutes are written in Markdown), each language cut at ``limit``
    characters on a word boundary when ``limit`` is given."""

    def plain(value: str) -> str:
        value = " ".join(_MARKUP.sub(" ", value).split())
        if limit and len(value) > limit:
            cut = value.rfind(" ", 0, limit)
            value = value[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"
        return value

    return MultilingualText({language: plain(value) for language, value in text.text.items()}, text.original)


def text_languages(*texts: MultilingualText) -> list[str]:
    """The languages a document is written in: every language of any of its texts."""
    return sorted(set().union(*(text.text for text in texts)))


def subject_labels(codes: set[str]) -> dict[str, list[str]]:
    """Every label (en, zh, ru, preferred and alternative) of the thesaurus concepts ``codes``."""
    from spacebridge.records.models import Concept

    labels: dict[str, list[str]] = {}
    for concept in Concept.objects.filter(code__in=codes).only("code", "pref", "alt"):
        labels[concept.code] = [label for language in ("en", "zh", "ru") for label in concept.labels(language)]
    return labels
