"""The tantivy engine, for large deployments (``SPACEBRIDGE_SEARCH_ENGINE=tantivy``): an index beside the database.

The database stays the truth: ``SearchDocument`` rows are written in the transaction of the write that changes a
document, and each write also notes the rows it touched in ``SearchChange``. Before answering, a search brings the
tantivy index up to the last change (``sync``): small work after a write, a full build when the index is new, was
made for another database, or is older than this schema. So a search sees every committed write, as with the
database's own full-text index.

What the engine adds is speed at a million documents: tantivy ranks by BM25 and counts the total and every facet from
columnar fields in one pass, and a large index is built in shards (documents by id, one shard per core) that each
search reads in parallel (tantivy works without Python's lock). For
that it must know, for each document, who may see it — as index terms, the document's **audience**, derived from its
release policy exactly as the access policy's own filter decides (``spacebridge.access.policy``; a test compares the
two for every level, marking, embargo, grant and viewer):

* ``owners``: ``o<party>`` — the owner party's people always see the document;
* ``readers``: ``public``; ``member`` (any signed-in member); ``g<group>``; ``p<party>`` and ``c<country>`` for
  grants (a dual-use object's level and grants only once the export officer approved them); none when controlled;
* ``held``: the end of an embargo (seconds since 1970; 0 without): until then the readers do not count.

A searcher's own terms come from their principal; a document is visible when one of its owners is theirs, or one of
its readers is and it is not held. Kinds whose ``visible`` the policy alone cannot tell (minutes follow their
meeting, agreement drafts their parties' officers) leave ``audience`` empty: their matches, few, are checked by the
database with the kind's own filter at each search. The page's hits are checked by the database too.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import shutil
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from spacebridge.access.models import Level, Marking, ReleasePolicy
from spacebridge.access.policy import policies_by_object
from spacebridge.access.principals import Principal
from spacebridge.access.registry import released
from spacebridge.search.models import SearchChange, SearchDocument, SearchFacetValue
from spacebridge.search.query import Term
from spacebridge.search.registry import kinds

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 3  # 3: the index in shards
TITLE_WEIGHT = 4.0  # as the database engines: a word in the title counts four times one in the body
BUILD_BATCH = 5000
CHECKED_MAX = 5000  # matches of kinds checked by the database, at most, before the search falls back to it
FACET_BUCKETS = 1000  # values counted per facet (every value: the counts are exact)
PRUNE_EVERY = 10_000  # changes applied between two prunings of the change log
LOCK_WAIT = 5.0  # seconds a process waits for another's writer before searching the index as it is
NO_DATE = -(10**6)  # the date column of a document without a date: last by date
SHARD_ABOVE = 100_000  # documents from which a build splits the index into shards, one per core, searched in parallel
MAX_SHARDS = 4


CURRENT, STALE, ABSENT = "current", "stale", "absent"  # how the index stands after ``sync``


class Fallback(Exception):
    """The engine cannot answer this search exactly (too many matches to check by the database): use the database."""


def enabled() -> bool:
    return getattr(settings, "SEARCH_ENGINE", "database") == "tantivy"


# ----------------------------------------------------------------------------------------------------------------
# Audiences: who may see a document, as index terms
# ----------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    owners: tuple[str, ...]
    readers: tuple[str, ...]
    held: int  # seconds since 1970 until which the readers do not count; 0: not held
    level: str
    checked: bool = False  # of a kind whose visibility only its own filter tells: the database checks it

    @property
    def gate(self) -> str:
        """``public`` (everybody sees it), ``member`` (every signed-in member does) or ``restricted`` (only its
        owners and readers, once not held): most documents are open, and an open one needs no per-viewer check."""
        if self.checked:
            return "checked"
        if not self.held and "public" in self.readers:
            return "public"
        if not self.held and "member" in self.readers:
            return "member"
        return "restricted"


def _stamp(moment: Any) -> int:
    return int(moment.timestamp()) if moment else 0


def policy_audience(policy: ReleasePolicy | None, default_level: str, owner_party_id: int | None) -> Audience:
    """The audience the access policy gives an object with ``policy`` (or none: its model's ``default_level``);
    ``owner_party_id``: a party that sees the object whatever its policy (its kind's own owner), if any."""
    owners = {f"o{owner_party_id}"} if owner_party_id else set()
    if policy is None:
        readers = {Level.PUBLIC: ("public",), Level.PLATFORM: ("member",)}.get(default_level, ())
        return Audience(tuple(sorted(owners)), readers, 0, default_level)
    if policy.owner_party_id:
        owners.add(f"o{policy.owner_party_id}")
    if policy.marking == Marking.CONTROLLED:
        return Audience(tuple(sorted(owners)), (), 0, policy.level)
    dual_use = policy.marking == Marking.DUAL_USE
    readers: set[str] = set()
    if not dual_use or policy.export_approved_at is not None:
        if policy.level == Level.PUBLIC:
            readers.add("public")
        elif policy.level == Level.PLATFORM:
            readers.add("member")
        elif policy.level == Level.GROUP and policy.group_id:
            readers.add(f"g{policy.group_id}")
    for grant in policy.grants.all():
        if dual_use and grant.export_approved_at is None:
            continue
        if grant.party_id:
            readers.add(f"p{grant.party_id}")
        elif grant.country:
            readers.add(f"c{grant.country.code}")
    return Audience(tuple(sorted(owners)), tuple(sorted(readers)), _stamp(policy.embargo_until), policy.level)


def principal_terms(principal: Principal) -> tuple[list[str], list[str]]:
    """The terms of ``principal``: (owner terms, reader terms)."""
    owners = [f"o{pk}" for pk in sorted(principal.own_party_ids)]
    readers = ["public"]
    if principal.authenticated:
        readers.append("member")
        readers += [f"g{pk}" for pk in sorted(principal.group_ids)]
        readers += [f"p{pk}" for pk in sorted(principal.party_ids)]
        readers += [f"c{code}" for code in sorted(principal.countries)]
    return owners, readers


def _audiences(rows: list[tuple[int, str, int, int | None]]) -> dict[int, Audience]:
    """The audience of each index row ``(pk, kind, object_id, owner_party_id)``."""
    by_kind: dict[str, list[tuple[int, int, int | None]]] = {}
    for pk, kind, object_id, owner in rows:
        by_kind.setdefault(kind, []).append((pk, object_id, owner))
    found: dict[int, Audience] = {}
    registered = kinds()
    for kind_name, members in by_kind.items():
        kind = registered.get(kind_name)
        if kind is None:
            continue
        default_level = released(kind.model).default_level
        policies = policies_by_object(kind.model, [object_id for _pk, object_id, _o in members])
        owner_sees = kind.audience == "policy or owner"
        for pk, object_id, owner in members:
            audience = policy_audience(policies.get(object_id), default_level, owner if owner_sees else None)
            # A kind without an audience keeps only its release level (a facet): who sees it, its filter says.
            found[pk] = audience if kind.audience else Audience((), (), 0, audience.level, checked=True)
    return found


# ----------------------------------------------------------------------------------------------------------------
# The index on disk
# ----------------------------------------------------------------------------------------------------------------


def _schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", indexed=True, fast=True)
    builder.add_text_field("title", tokenizer_name="whitespace")
    builder.add_text_field("body", tokenizer_name="whitespace")
    for name in ("kind", "type", "delegation", "subject", "lang", "level", "gate"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_unsigned_field("party", indexed=True, fast=True)
    builder.add_unsigned_field("year", indexed=True, fast=True)
    builder.add_integer_field("date", fast=True)
    builder.add_text_field("owners", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("readers", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("held", indexed=True, fast=True)
    return builder.build()


def _document(row: tuple[Any, ...], audience: Audience | None, country: str, facets: dict[str, list[str]]) -> Any:
    import tantivy

    pk, kind, _object_id, type_code, owner, year, day, terms_title, terms_body = row
    document = tantivy.Document()
    document.add_unsigned("id", pk)
    document.add_text("title", terms_title or "")
    document.add_text("body", terms_body or "")
    document.add_text("kind", kind)
    document.add_text("type", type_code or "")
    if owner:
        document.add_unsigned("party", owner)
    if country:
        document.add_text("delegation", country)
    if year:
        document.add_unsigned("year", year)
    document.add_integer("date", day.toordinal() if isinstance(day, date) else NO_DATE)
    for facet in ("subject", "lang"):
        for value in facets.get(facet, []):
            document.add_text(facet, value)
    if audience is None:  # a kind no longer registered: nobody's but the database's to check
        document.add_text("gate", "checked")
        return document
    document.add_text("level", audience.level)
    gate = audience.gate
    document.add_text("gate", gate)
    if gate == "restricted":  # an open document needs no terms: its gate says who sees it
        for term in audience.owners:
            document.add_text("owners", term)
        for term in audience.readers:
            document.add_text("readers", term)
        document.add_integer("held", audience.held)
    return document


_ROW_FIELDS = ("pk", "kind", "object_id", "type", "owner_party_id", "year", "date", "terms_title", "terms_body")


def _documents(pks: list[int]) -> Iterator[tuple[int, Any]]:
    """(pk, tantivy document) of the index rows ``pks`` that exist."""
    from spacebridge.parties.models import Party

    rows = list(SearchDocument.objects.filter(pk__in=pks).values_list(*_ROW_FIELDS))
    if not rows:
        return
    audiences = _audiences([(row[0], row[1], row[2], row[4]) for row in rows])
    countries = dict(Party.objects.filter(pk__in={row[4] for row in rows if row[4]}).values_list("pk", "country"))
    facets: dict[int, dict[str, list[str]]] = {}
    for document_id, facet, value in SearchFacetValue.objects.filter(
        document_id__in=[row[0] for row in rows]
    ).values_list("document_id", "facet", "value"):
        facets.setdefault(document_id, {}).setdefault(facet, []).append(value)
    for row in rows:
        yield row[0], _document(row, audiences.get(row[0]), str(countries.get(row[4]) or ""), facets.get(row[0], {}))


def chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class TantivyIndex:
    """One index folder per deployment (``SEARCH_INDEX_DIR``), opened once per process, synchronised with the
    database's ``SearchChange`` log before each search. ``state.json`` says up to which change the index holds."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock = threading.Lock()
        self.shards: list[Any] = []  # the tantivy indexes, one per shard (documents by id)
        self.schema: Any = None
        self.loaded_change = -1  # the change the open reader holds
        self.generation = ""  # which build of the index the open reader holds
        self.database = ""

    # -- state -------------------------------------------------------------------------------------------------

    def _state_path(self) -> Path:
        return self.path / "state.json"

    def _state(self) -> dict[str, Any]:
        try:
            return json.loads(self._state_path().read_text())
        except (OSError, ValueError):
            return {}

    def _write_state(self, change: int) -> None:
        state = {
            "schema": SCHEMA_VERSION,
            "change": change,
            "database": _database_name(),
            "generation": self.generation,
            "shards": len(self.shards),
        }
        temporary = self.path / "state.json.tmp"
        temporary.write_text(json.dumps(state))
        os.replace(temporary, self._state_path())

    def _shard_path(self, number: int) -> Path:
        return self.path / f"shard-{number}"

    def _open(self, shards: int) -> None:
        import tantivy

        if not self.shards or self.schema is None:
            self.schema = _schema()
            self.shards = [
                tantivy.Index(self.schema, path=str(self._shard_path(number)), reuse=True) for number in range(shards)
            ]

    # -- writing -----------------------------------------------------------------------------------------------

    def _writers(self) -> list[Any] | None:
        """A writer of each shard; another process holding one is waited for (``None`` after ``LOCK_WAIT`` seconds)."""
        deadline = time.monotonic() + LOCK_WAIT
        writers: list[Any] = []
        while len(writers) < len(self.shards):
            try:
                writers.append(self.shards[len(writers)].writer(heap_size=64_000_000, num_threads=1))
            except ValueError as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    writers.clear()  # those taken are let go
                    if "lock" in str(exc).lower():
                        logger.warning("search index busy: searching it as it is (%s)", exc)
                        return None
                    raise
                time.sleep(0.02)
        return writers

    def rebuild(self, progress: Any = None) -> int:
        """Build the index anew from every ``SearchDocument``; returns the documents indexed."""
        with self.lock, self._process_lock(None):
            return self._rebuild(progress)

    def _rebuild(self, progress: Any = None) -> int:
        import tantivy

        self.shards = []
        self.generation = uuid.uuid4().hex
        if self.path.exists():
            shutil.rmtree(self.path)
        self.schema = _schema()
        last = _last_change()
        pks = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
        count = shard_count(len(pks))
        for number in range(count):
            self._shard_path(number).mkdir(parents=True)
            self.shards.append(tantivy.Index(self.schema, path=str(self._shard_path(number))))
        threads = max(1, min(2, os.cpu_count() or 1) // count)
        writers = [shard.writer(heap_size=256_000_000 // count, num_threads=threads) for shard in self.shards]
        done = 0
        for chunk in chunks(pks, BUILD_BATCH):
            for pk, document in _documents(chunk):
                writers[pk % count].add_document(document)
            done += len(chunk)
            if progress:
                progress(len(chunk))
        for writer in writers:
            writer.commit()
            writer.wait_merging_threads()
        del writers
        self._write_state(last)
        SearchChange.objects.filter(pk__lt=last).delete()
        for shard in self.shards:
            shard.reload()
        self.loaded_change = last
        return done

    def _apply(self, after: int, last: int) -> None:
        from tantivy import Query

        changed = list(
            dict.fromkeys(
                SearchChange.objects.filter(pk__gt=after, pk__lte=last)
                .order_by("pk")
                .values_list("document_id", flat=True)
            )
        )
        self._follow(self._state())  # the index as it is on disk, opened
        writers = self._writers()
        if writers is None:
            return
        try:
            state = self._state()  # another process may have applied these meanwhile
            if state.get("change", -1) >= last:
                return
            for chunk in chunks(changed, 1000):
                for writer in writers:
                    writer.delete_documents_by_query(Query.term_set_query(self.schema, "id", chunk))
                for pk, document in _documents(chunk):
                    writers[pk % len(writers)].add_document(document)
            for writer in writers:
                writer.commit()
            self._write_state(last)
        finally:
            del writers
        if last // PRUNE_EVERY != after // PRUNE_EVERY:
            # Applied changes are needed no more (one index for every process); the last stays: it marks the place.
            SearchChange.objects.filter(pk__lt=last).delete()

    def sync(self) -> str:
        """Bring the index up to the database's last change — a full build when it is missing, outdated or another
        database's — and say how it stands: ``CURRENT``; ``STALE`` (another process held it too long: usable, may
        lag behind); ``ABSENT`` (another process is building it: the database must answer)."""
        with self.lock:
            state, last = self._state(), _last_change()
            if self._usable(state) and state["change"] == last:
                self._follow(state)
                return CURRENT
            with self._process_lock(LOCK_WAIT) as held:
                if held:
                    state, last = self._state(), _last_change()
                    if not self._usable(state) or state["change"] > last:
                        self._rebuild()
                        return CURRENT
                    if state["change"] < last:
                        self._apply(state["change"], last)
                        state = self._state()
            if not self._usable(state):
                return ABSENT
            self._follow(state)
            return CURRENT if state["change"] >= last else STALE

    def _usable(self, state: dict[str, Any]) -> bool:
        shards = state.get("shards", 0)
        return (
            state.get("schema") == SCHEMA_VERSION
            and state.get("database") == _database_name()
            and state.get("change", -1) >= 0
            and isinstance(shards, int)
            and 0 < shards <= MAX_SHARDS
            and all((self._shard_path(number) / "meta.json").exists() for number in range(shards))
        )

    def _follow(self, state: dict[str, Any]) -> None:
        """Read the index as ``state`` says it is: opened anew after another build, else reloaded when it moved."""
        if not self.shards or state.get("generation") != self.generation:
            self.shards = []
            self._open(state["shards"])
            self.generation = state.get("generation", "")
        elif state["change"] != self.loaded_change:
            for shard in self.shards:
                shard.reload()
        self.loaded_change = state["change"]

    @contextmanager
    def _process_lock(self, wait: float | None) -> Iterator[bool]:
        """The index's writing lock between processes (a file lock beside the folder): held or not after ``wait``
        seconds (``None``: as long as it takes)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.parent / f".{self.path.name}.lock", "w") as handle:
            deadline = None if wait is None else time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if deadline is not None and time.monotonic() > deadline:
                        logger.warning("search index busy in another process: searching without waiting for it")
                        yield False
                        return
                    time.sleep(0.05)
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def forget(self) -> None:
        """Mark the index as not this database's (after a restore): the next search builds it anew."""
        with self.lock:
            self._state_path().unlink(missing_ok=True)
            self.loaded_change = -1

    def searcher(self) -> ShardedSearcher:
        return ShardedSearcher([shard.searcher() for shard in self.shards])


def shard_count(documents: int) -> int:
    """Shards of an index of ``documents``: one per core (``MAX_SHARDS`` at most) from ``SHARD_ABOVE`` documents;
    below, one (a shard's ranking statistics are its own: a small index split would rank by too few documents)."""
    return max(1, min(MAX_SHARDS, os.cpu_count() or 1)) if documents >= SHARD_ABOVE else 1


_SHARD_POOL = ThreadPoolExecutor(max_workers=MAX_SHARDS - 1, thread_name_prefix="search-shard")


@dataclass
class Found:
    """The merged answer of the shards: ``hits`` as (score or sort key, (shard, address)), best first."""

    hits: list[tuple[Any, tuple[int, Any]]]
    count: int | None


class ShardedSearcher:
    """The shards' searchers behind the calls the engine makes of one: a search asks every shard at once (the first
    in this thread) and merges their answers."""

    def __init__(self, searchers: list[Any]) -> None:
        self.searchers = searchers

    def _each(self, call: Callable[[Any], Any]) -> list[Any]:
        futures = [_SHARD_POOL.submit(call, searcher) for searcher in self.searchers[1:]]
        return [call(self.searchers[0]), *(future.result() for future in futures)]

    def search(
        self, query: Any, limit: int, count: bool = True, order_by_field: str | None = None, offset: int = 0
    ) -> Found:
        """The ``limit`` best hits after ``offset``, by score or by ``order_by_field`` descending."""
        sort = {"order_by_field": order_by_field} if order_by_field else {}
        if len(self.searchers) == 1:
            found = self.searchers[0].search(query, limit, count=count, offset=offset, **sort)
            return Found([(key, (0, address)) for key, address in found.hits], found.count)
        answers = self._each(lambda searcher: searcher.search(query, offset + limit, count=count, **sort))
        hits = [(key, (shard, address)) for shard, found in enumerate(answers) for key, address in found.hits]
        hits.sort(key=lambda hit: hit[0], reverse=True)  # stable: ties keep their shard's order
        total = sum(int(found.count) for found in answers) if count else None
        return Found(hits[offset : offset + limit], total)

    def ids(self, hits: list[tuple[Any, tuple[int, Any]]]) -> list[int]:
        """The ``id`` column of ``hits``, in their order."""
        by_shard: dict[int, list[tuple[int, Any]]] = {}
        for position, (_key, (shard, address)) in enumerate(hits):
            by_shard.setdefault(shard, []).append((position, address))
        ids = [0] * len(hits)
        for shard, found in by_shard.items():
            values = self.searchers[shard].fast_field_values("id", [address for _position, address in found])
            for (position, _address), value in zip(found, values, strict=True):
                ids[position] = int(value)
        return ids

    def aggregate(self, query: Any, aggregations: dict[str, Any]) -> dict[str, Any]:
        """Terms and value-count aggregations, summed over the shards (each counts every value: exact)."""
        answers = self._each(lambda searcher: searcher.aggregate(query, aggregations))
        if len(answers) == 1:
            return answers[0]
        merged: dict[str, Any] = {}
        for name, kind in aggregations.items():
            if "terms" in kind:
                counts: Counter[Any] = Counter()
                for answer in answers:
                    for bucket in answer.get(name, {}).get("buckets", []):
                        counts[bucket["key"]] += int(bucket["doc_count"])
                merged[name] = {"buckets": [{"key": key, "doc_count": n} for key, n in counts.most_common()]}
            elif "value_count" in kind:
                merged[name] = {"value": sum(answer.get(name, {}).get("value") or 0 for answer in answers)}
            else:
                raise ValueError(f"aggregation {kind} is not merged across shards")
        return merged


def _database_name() -> str:
    name = connection.settings_dict.get("NAME") or ""
    return f"{connection.vendor}:{name}"


def _last_change() -> int:
    return SearchChange.objects.aggregate(last=Max("pk"))["last"] or 0


_INDEXES: dict[str, TantivyIndex] = {}
_INDEXES_LOCK = threading.Lock()


def the_index() -> TantivyIndex:
    path = str(getattr(settings, "SEARCH_INDEX_DIR", Path(settings.DATA_DIR) / "search-index"))
    with _INDEXES_LOCK:
        if path not in _INDEXES:
            _INDEXES[path] = TantivyIndex(Path(path))
        return _INDEXES[path]


def changes_note(document_ids: Iterable[int]) -> None:
    """Note, in the caller's transaction, that these index rows changed (added, rewritten or removed)."""
    if not enabled():
        return
    ids = list(dict.fromkeys(document_ids))
    if ids:
        SearchChange.objects.bulk_create([SearchChange(document_id=pk) for pk in ids], batch_size=1000)


def object_access_changed(model: type, object_id: int) -> None:
    """An object's release policy or grants changed: its document's audience must be read again."""
    if not enabled():
        return
    names = [kind.kind for kind in kinds().values() if kind.model is model]
    if names:
        changes_note(SearchDocument.objects.filter(kind__in=names, object_id=object_id).values_list("pk", flat=True))


# ----------------------------------------------------------------------------------------------------------------
# Queries
# ----------------------------------------------------------------------------------------------------------------


def _field_term(schema: Any, field: str, term: Term) -> Any:
    from tantivy import Occur, Query

    if term.phrase:
        return Query.phrase_query(schema, field, term.terms)
    parts = [Query.term_query(schema, field, word) for word in term.terms]
    if term.prefix:
        parts[-1] = Query.regex_query(schema, field, re.escape(term.terms[-1]) + ".*")
    return parts[0] if len(parts) == 1 else Query.boolean_query([(Occur.Must, part) for part in parts])


def _term(schema: Any, term: Term) -> Any:
    """A term in the title (weighted) or the body."""
    from tantivy import Occur, Query

    return Query.boolean_query(
        [
            (Occur.Should, Query.boost_query(_field_term(schema, "title", term), TITLE_WEIGHT)),
            (Occur.Should, _field_term(schema, "body", term)),
        ]
    )


def text_query(schema: Any, clauses: list[list[Term]], excluded: list[Term]) -> Any:
    """Every clause (any of its terms), none of the excluded terms; every document when there are no clauses."""
    from tantivy import Occur, Query

    parts = []
    for clause in clauses:
        alternatives = [_term(schema, term) for term in clause]
        parts.append(
            (
                Occur.Must,
                alternatives[0]
                if len(alternatives) == 1
                else Query.boolean_query([(Occur.Should, a) for a in alternatives]),
            )
        )
    if not parts:
        parts.append((Occur.Must, Query.all_query()))
    parts += [(Occur.MustNot, _term(schema, term)) for term in excluded]
    return parts[0][1] if len(parts) == 1 else Query.boolean_query(parts)


def all_of(*queries: Any) -> Any:
    from tantivy import Occur, Query

    present = [query for query in queries if query is not None]
    if len(present) == 1:
        return present[0]
    return Query.boolean_query([(Occur.Must, query) for query in present])


def any_of(*queries: Any) -> Any:
    from tantivy import Occur, Query

    present = [query for query in queries if query is not None]
    if not present:
        return Query.empty_query()
    if len(present) == 1:
        return present[0]
    return Query.boolean_query([(Occur.Should, query) for query in present])


def terms_query(schema: Any, field: str, values: Iterable[Any]) -> Any:
    from tantivy import Query

    values = list(values)
    return Query.term_set_query(schema, field, values) if values else Query.empty_query()


def years_query(schema: Any, spans: list[tuple[int, int]]) -> Any:
    from tantivy import FieldType, Query

    return any_of(*[Query.range_query(schema, "year", FieldType.Unsigned, first, last) for first, last in spans])


def hidden_queries(schema: Any, principal: Principal) -> list[Any]:
    """The documents with an audience that ``principal`` may not see, as the access policy decides, in parts (each
    excluded from a search: excluding the restricted documents not theirs costs half of what requiring one of the
    viewer's terms of every match costs)."""
    from tantivy import FieldType, Occur, Query

    owners, readers = principal_terms(principal)
    now = int(timezone.now().timestamp())
    held = Query.range_query(schema, "held", FieldType.Integer, now + 1, None, use_inverted_index=True)
    released = Query.boolean_query([(Occur.Must, terms_query(schema, "readers", readers)), (Occur.MustNot, held)])
    theirs = any_of(terms_query(schema, "owners", owners) if owners else None, released)
    closed = ["restricted"] if principal.authenticated else ["restricted", "member"]
    return [Query.boolean_query([(Occur.Must, terms_query(schema, "gate", closed)), (Occur.MustNot, theirs)])]


def without(query: Any, excluded: list[Any]) -> Any:
    from tantivy import Occur, Query

    return Query.boolean_query([(Occur.Must, query), *((Occur.MustNot, part) for part in excluded)])


@dataclass
class EngineFilters:
    """The facet filters of a search, resolved to the index's values (party ids, concept codes, year spans)."""

    types: list[str]
    party_ids: list[int]
    delegations: list[str]
    subjects: list[str]
    languages: list[str]
    years: list[tuple[int, int]]
    levels: list[str]  # (a value no document has, 0 for a party, where a filter names nothing that exists)


class EngineSearch:
    """One search's questions to the tantivy index, each over the documents ``principal`` may see: those of kinds
    with an audience by their audience terms, those of other kinds by ``allowed`` (the kinds' own filters, in the
    database) — ``Fallback`` when they match more than ``CHECKED_MAX``."""

    def __init__(
        self, index: TantivyIndex, principal: Principal, filters: EngineFilters, allowed: Any, *, current: bool = True
    ) -> None:
        self.index, self.principal, self.filters, self.allowed = index, principal, filters, allowed
        self.current = current  # the index holds every change: its audiences can be trusted for the page too
        self.searcher = index.searcher()
        self.schema = index.schema
        self._visible: dict[str, Any] = {}
        self._counted: dict[str, int] = {}  # matches counted while ranking, by clauses

    def _filter_query(self) -> Any:
        schema, f = self.schema, self.filters
        parts = []
        for field, values in (
            ("type", f.types),
            ("party", f.party_ids),
            ("delegation", f.delegations),
            ("subject", f.subjects),
            ("lang", f.languages),
            ("level", f.levels),
        ):
            if values:
                parts.append(terms_query(schema, field, values))
        if f.years:
            parts.append(years_query(schema, f.years))
        return all_of(*parts) if parts else None

    def _base(self, clauses: list[list[Term]], excluded: list[Term]) -> Any:
        return all_of(text_query(self.schema, clauses, excluded), self._filter_query())

    def _key(self, clauses: list[list[Term]], excluded: list[Term]) -> str:
        return repr((clauses, excluded))

    def visible_matches(self, clauses: list[list[Term]], excluded: list[Term]) -> Any:
        """The query of the matches the searcher may see (the filters applied)."""
        key = self._key(clauses, excluded)
        if key not in self._visible:
            base = self._base(clauses, excluded)
            checked = terms_query(self.schema, "gate", ["checked"])
            found = self.searcher.search(all_of(base, checked), max(CHECKED_MAX, 1), count=True)
            if found.count > CHECKED_MAX:
                raise Fallback
            ids = self.searcher.ids(found.hits)
            allowed = sorted(self.allowed(ids)) if ids else []
            refused = without(checked, [terms_query(self.schema, "id", allowed)]) if allowed else checked
            self._visible[key] = without(base, [*hidden_queries(self.schema, self.principal), refused])
        return self._visible[key]

    def visible_among(self, ids: list[int], excluded: list[Term]) -> set[int]:
        """Those of ``ids`` the searcher may see, the filters applied: by their audience in the index, those of
        kinds the database checks by ``allowed``."""
        if not ids:
            return set()
        if not self.current:
            return set(self.allowed(ids))
        among = all_of(terms_query(self.schema, "id", ids), self._base([], excluded))
        checked = terms_query(self.schema, "gate", ["checked"])
        by_audience = without(among, [*hidden_queries(self.schema, self.principal), checked])
        seen = set(self.searcher.ids(self.searcher.search(by_audience, len(ids), count=False).hits))
        others = self.searcher.ids(self.searcher.search(all_of(among, checked), len(ids), count=False).hits)
        if others:
            seen |= set(self.allowed(others))
        return seen

    def matching_among(self, clauses: list[list[Term]], ids: list[int]) -> set[int]:
        """Those of ``ids`` that match ``clauses`` (whoever may see them: ``ids`` were checked before)."""
        if not ids:
            return set()
        query = all_of(terms_query(self.schema, "id", ids), text_query(self.schema, clauses, []))
        return set(self.searcher.ids(self.searcher.search(query, len(ids), count=False).hits))

    def _answer(self, clauses: list[list[Term]], excluded: list[Term], semantic: list[int]) -> Any:
        matches = self.visible_matches(clauses, excluded)
        return any_of(matches, terms_query(self.schema, "id", semantic)) if semantic else matches

    def ranked(self, clauses: list[list[Term]], excluded: list[Term], window: int) -> list[int]:
        # Counted in the same pass (tantivy visits every match of such a query anyway): the total then costs nothing.
        found = self.searcher.search(self.visible_matches(clauses, excluded), window, count=True)
        self._counted[self._key(clauses, excluded)] = int(found.count)
        return self.searcher.ids(found.hits)

    def any(self, clauses: list[list[Term]], excluded: list[Term]) -> bool:
        return bool(self.searcher.search(self.visible_matches(clauses, excluded), 1, count=False).hits)

    def by_date(
        self, clauses: list[list[Term]], excluded: list[Term], semantic: list[int], offset: int, size: int
    ) -> list[int]:
        found = self.searcher.search(
            self._answer(clauses, excluded, semantic), size, count=False, order_by_field="date", offset=offset
        )
        return self.searcher.ids(found.hits)

    def count(self, clauses: list[list[Term]], excluded: list[Term], semantic: list[int]) -> int:
        key = self._key(clauses, excluded)
        if not semantic and key in self._counted:
            return self._counted[key]
        return int(self.searcher.search(self._answer(clauses, excluded, semantic), 1, count=True).count)

    def facets(
        self, clauses: list[list[Term]], excluded: list[Term], semantic: list[int], names: tuple[str, ...]
    ) -> tuple[int, dict[str, dict[Any, int]]]:
        """The total and every facet's counts (``party`` by party id) over the answer, in one pass."""
        query = self._answer(clauses, excluded, semantic)
        aggregations: dict[str, Any] = {name: {"terms": {"field": name, "size": FACET_BUCKETS}} for name in names}
        aggregations["total"] = {"value_count": {"field": "id"}}  # every document has one id: the total
        result = self.searcher.aggregate(query, aggregations)
        counts = {
            name: {bucket["key"]: int(bucket["doc_count"]) for bucket in result.get(name, {}).get("buckets", [])}
            for name in names
        }
        return int(result.get("total", {}).get("value") or 0), counts
