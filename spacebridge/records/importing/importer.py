"""Importing records from files (docs/records-import.md): read → validate every entry → match → write in batches.

* Every entry is validated as the record services validate (``record_fields_clean``); an invalid one is reported with
  its line and reason and never written. A dry run does all of that, matching included, and writes nothing.
* An entry that names an identifier (any scheme) or the reference of an existing record of the same party updates
  that record through ``record_update`` / ``record_publish`` / ``record_release``; one without identifiers matches a
  record of the party with the same type and title. A re-import therefore never duplicates, and changes nothing
  when nothing changed. A later entry with an identifier an earlier entry of the same file had is skipped.
* New records are written ``batch_size`` at a time, each batch one transaction (``record_create_many``): after a
  ``kill -9`` every record is either whole or absent, and running the import again completes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from spacebridge.access.models import Level, ReleasePolicy
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.models import Party, Person, fold_name
from spacebridge.parties.permissions import Perm, has_perm
from spacebridge.records.formats import IMPORT_FORMATS, SourceEntry, read_entries
from spacebridge.records.importing.entries import (
    ENTRY_KEYS,
    IGNORED_KEYS,
    Pending,
    Vocabulary,
    fields_of,
    no_nul,
    problem_text,
    release_parse,
    working_copies,
)
from spacebridge.records.models import Identifier, Record
from spacebridge.records.services import (
    RecordFields,
    RecordImport,
    ReleaseChoice,
    record_create_many,
    record_fields_clean,
    record_publish,
    record_release,
    record_update,
)

BATCH_SIZE = 2000  # records per transaction: fewer commits and lookups; a kill -9 loses at most one batch


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportReport:
    format: str
    dry_run: bool
    entries: int = 0
    created: list[str] = field(default_factory=list)  # references (a dry run: the lines that would create)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        counts = {
            "entries": self.entries,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
            "invalid": len(self.errors),
        }
        if self.dry_run:
            return (
                _(
                    "%(entries)d entries read: %(created)d would be created, %(updated)d updated, %(unchanged)d "
                    "unchanged, %(skipped)d skipped, %(invalid)d invalid."
                )
                % counts
            )
        return (
            _(
                "%(entries)d entries read: %(created)d were created, %(updated)d updated, %(unchanged)d unchanged, "
                "%(skipped)d skipped, %(invalid)d invalid."
            )
            % counts
        )


# ---------------------------------------------------------------------------------------------------------------
# The import.
# ---------------------------------------------------------------------------------------------------------------


class Importer:
    """One import run: validates entries, matches them to existing records and writes them in batches."""

    def __init__(
        self,
        *,
        owner_party: Party,
        by: Any,
        format_name: str,
        release: str | None,
        publish: bool,
        dry_run: bool,
        batch_size: int,
        check_permission: bool | None = None,
    ) -> None:
        self.owner_party, self.by, self.dry_run, self.publish = owner_party, by, dry_run, publish
        authenticated = getattr(by, "is_authenticated", False)
        self.check_permission = authenticated if check_permission is None else check_permission
        self.batch_size = max(1, batch_size)
        self.vocabulary = Vocabulary.load()
        self.report = ImportReport(format=format_name, dry_run=dry_run)
        self.default_release = release_parse(release, owner_party=owner_party) if release else None
        self.releases: dict[tuple[str, str, str, str], ReleaseChoice] = {}
        self.seen: dict[tuple[str, str], int] = {}  # identifier or reference or title key → first line
        self._titles: dict[tuple[int, str], int] | None = None
        self.source = format_name
        if self.check_permission:
            self._check_permission(self.default_release)

    def _check_permission(self, release: ReleaseChoice | None) -> None:
        if not has_perm(self.by, Perm.RECORD_SUBMIT, self.owner_party):
            raise PermissionDenied(_("You may share records only for your own party."))
        if release and not release.is_default and not has_perm(self.by, Perm.RELEASE_DECIDE, self.owner_party):
            raise PermissionDenied(_("Only the owner party's liaison officers decide this object's release."))

    # validation ----------------------------------------------------------------------------------------------
    def validate(self, source: SourceEntry) -> Pending:
        entry = source.entry
        no_nul(entry)
        unknown = set(entry) - ENTRY_KEYS - IGNORED_KEYS
        if unknown:
            raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))[:200]})
        fields, reference = fields_of(entry, self.vocabulary)
        cleaned = record_fields_clean(**fields)
        status = str(entry.get("status") or "").strip().lower()
        if status not in {"", "published", "draft"}:
            raise ValidationError({"status": _("Give published or draft.")})
        return Pending(
            line=source.line,
            fields=cleaned,
            reference=reference,
            release=self._release(entry),
            publish=self.publish if not status else status == "published",
        )

    def _release(self, entry: dict[str, Any]) -> ReleaseChoice | None:
        if not any(entry.get(k) for k in ("release", "marking", "legal_basis", "embargo_until")):
            return self.default_release
        key = tuple(str(entry.get(k) or "") for k in ("release", "marking", "legal_basis", "embargo_until"))
        if key not in self.releases:
            release = release_parse(
                key[0] or "owner",
                owner_party=self.owner_party,
                marking=key[1],
                legal_basis=key[2],
                embargo_until=key[3] or None,
            )
            if self.check_permission:
                self._check_permission(release)
            self.releases[key] = release  # type: ignore[index]
        return self.releases[key]  # type: ignore[index]

    # matching ------------------------------------------------------------------------------------------------
    def _title_key(self, fields: RecordFields) -> tuple[int, str]:
        return fields.type.pk, fold_name(fields.title.text.get(fields.title.original, ""))

    def _same_title(self, fields: RecordFields) -> int | None:
        """A record of the party with the same type and original title (for entries without identifiers)."""
        if self._titles is None:
            self._titles = {}
            for pk, type_id, title in Record.objects.filter(owner_party=self.owner_party).values_list(
                "pk", "type_id", "title"
            ):
                text = MultilingualText.from_json(title)
                self._titles.setdefault((type_id, fold_name(text.text.get(text.original, ""))), pk)
        return self._titles.get(self._title_key(fields))

    def match(self, batch: list[Pending]) -> list[Pending]:
        """Attach each entry to the record it updates; report duplicates and conflicts; keep the rest."""
        wanted = {pair for p in batch for pair in p.fields.identifiers}
        holders: dict[tuple[str, str], tuple[int, int, str]] = {}
        if wanted:
            # Both columns, so the (scheme, value) unique index finds them: a value alone would scan the table.
            by_pair = Identifier.objects.filter(scheme__in={s for s, _v in wanted}, value__in={v for _s, v in wanted})
            rows = by_pair.values_list("scheme", "value", "record_id", "record__owner_party_id", "record__reference")
            holders = {(s, v): (rid, owner, ref) for s, v, rid, owner, ref in rows if (s, v) in wanted}
        references = {p.reference for p in batch if p.reference}
        by_reference = {
            ref: (pk, owner)
            for pk, owner, ref in Record.objects.filter(reference__in=references).values_list(
                "pk", "owner_party_id", "reference"
            )
        }
        kept, targets = [], {}
        for pending in batch:
            keys = [(s, v) for s, v in pending.fields.identifiers]
            keys += [("reference", pending.reference)] if pending.reference else []
            keys = keys or [("title", "{}:{}".format(*self._title_key(pending.fields)))]
            earlier = next(((k, self.seen[k]) for k in keys if k in self.seen), None)
            if earlier:
                (scheme, value), line = earlier
                what = _("type and title") if scheme == "title" else f"{scheme.upper()} {value}"
                message = _("same %(what)s as line %(line)d; skipped") % {"what": what, "line": line}
                self.report.skipped.append(RowProblem(pending.line, message))
                continue
            candidates = {holders[k][0]: holders[k][1] for k in keys if k in holders}
            if pending.reference in by_reference:
                pk, owner = by_reference[pending.reference]
                candidates[pk] = owner
            if not candidates and keys and keys[0][0] == "title":
                pk = self._same_title(pending.fields)
                if pk is not None:
                    candidates[pk] = self.owner_party.pk
            foreign = [k for k in keys if k in holders and holders[k][1] != self.owner_party.pk]
            if foreign:
                scheme, value = foreign[0]
                self.report.errors.append(
                    RowProblem(
                        pending.line,
                        _("%(scheme)s %(value)s is already registered by another party.")
                        % {"scheme": scheme.upper(), "value": value},
                    )
                )
                continue
            if any(owner != self.owner_party.pk for owner in candidates.values()):
                self.report.errors.append(
                    RowProblem(
                        pending.line, _("%(reference)s belongs to another party.") % {"reference": pending.reference}
                    )
                )
                continue
            if len(candidates) > 1:
                refs = sorted({holders[k][2] for k in keys if k in holders} | ({pending.reference} - {""}))
                self.report.errors.append(
                    RowProblem(
                        pending.line,
                        _("its identifiers belong to different records (%(references)s).")
                        % {"references": ", ".join(refs)},
                    )
                )
                continue
            for key in keys:
                self.seen[key] = pending.line
            if candidates:
                targets[pending.line] = next(iter(candidates))
            kept.append(pending)
        if targets:
            found = working_copies(list(targets.values()))
            with_release = [targets[p.line] for p in kept if p.line in targets and p.release]
            policies = {
                policy.object_id: policy
                for policy in ReleasePolicy.objects.filter(
                    content_type=ContentType.objects.get_for_model(Record), object_id__in=with_release
                ).prefetch_related("grants")
            }
            for pending in kept:
                if pending.line in targets:
                    pending.current = found[targets[pending.line]]
                    pending.policy = policies.get(pending.current.pk)
        return kept

    # comparing and writing -----------------------------------------------------------------------------------
    def changes(self, pending: Pending) -> dict[str, Any]:
        """The given fields whose value differs from the record's working copy (identifiers are only ever added)."""
        current, fields = pending.current, pending.fields
        assert current is not None
        comparable = {
            "type": lambda v: v.pk,
            "title": lambda v: v.to_json(),
            "abstract": lambda v: v.to_json(),
            "subjects": lambda v: sorted(c.pk for c in v),
            "contributors": lambda v: [(c["name"], c["role"], c["party"].pk if c["party"] else None) for c in v],
            "related": lambda v: sorted((rel, target.pk) for rel, target in v),
        }
        changed = {}
        for name, value in fields.as_service_fields().items():
            if name == "identifiers":
                if not set(fields.identifiers) <= current.identifiers:
                    union = sorted(current.identifiers | set(fields.identifiers))
                    changed[name] = [{"scheme": s, "value": v} for s, v in union]
            elif comparable.get(name, lambda v: v)(value) != current.values[name]:
                changed[name] = value
        if "contributors" in changed and current.people:  # keep the people linked to a contributor of that name
            people = Person.objects.in_bulk(list(current.people.values()))
            for contributor in changed["contributors"]:
                person_id = current.people.get(contributor["name"])
                contributor["person"] = contributor.get("person") or people.get(person_id)  # type: ignore[arg-type]
        return changed

    def release_differs(self, policy: Any, release: ReleaseChoice) -> bool:
        if policy is None:
            return not release.is_default
        grants = list(policy.grants.all())
        return (
            policy.level != release.level
            or policy.marking != release.marking
            or policy.legal_basis != release.legal_basis.strip()
            or policy.embargo_until != release.embargo_until
            or (policy.group_id if policy.level == Level.GROUP else None)
            != (release.group.pk if release.group and release.level == Level.GROUP else None)
            or sorted(g.party_id for g in grants if g.party_id) != sorted(p.pk for p in release.parties)
            or sorted(g.country.code for g in grants if g.country) != sorted(release.countries)
        )

    def update(self, pending: Pending) -> bool:
        """Bring an existing record in line with its entry; whether anything was (or, dry, would be) written."""
        current = pending.current
        assert current is not None
        changed = self.changes(pending)
        release = pending.release if pending.release and self.release_differs(pending.policy, pending.release) else None
        # Publish what the import changed, or a draft; never someone's unpublished edits the import did not touch.
        publish = pending.publish and (bool(changed) or current.version == 0)
        if not (changed or release or publish):
            return False
        if self.dry_run:
            return True
        record = Record.objects.select_related("type", "owner_party").get(pk=current.pk)
        if changed:
            record_update(record=record, by=self.by, check_permission=self.check_permission, **changed)
        if publish and (record.version == 0 or record.has_unpublished_changes):
            record_publish(record=record, by=self.by, note="import", check_permission=self.check_permission)
        if release:
            record_release(
                record=record, by=self.by, check_permission=self.check_permission, **release.as_service_fields()
            )
        return True

    def write(self, batch: list[Pending]) -> None:
        """One batch in one transaction; when the database refuses it, each entry alone, so a bad one is named."""
        try:
            with transaction.atomic():
                self._write(batch)
        except (DatabaseError, ValidationError, PermissionDenied):
            if len(batch) == 1:
                raise
            for pending in batch:
                try:
                    with transaction.atomic():
                        self._write([pending])
                except (DatabaseError, ValidationError, PermissionDenied) as error:
                    message = problem_text(error) if isinstance(error, ValidationError) else str(error)
                    self.report.errors.append(RowProblem(pending.line, message))

    def _write(self, batch: list[Pending]) -> None:
        created, updated, unchanged, skipped = [], [], [], []
        for pending in batch:
            if pending.current is None:
                continue
            if pending.current.status == Record.Status.WITHDRAWN:
                skipped.append(
                    RowProblem(
                        pending.line,
                        _("%(reference)s is withdrawn; left as it is") % {"reference": pending.current.reference},
                    )
                )
            elif self.update(pending):
                updated.append(pending.current.reference)
            else:
                unchanged.append(pending.current.reference)
        new = [p for p in batch if p.current is None]
        if new and not self.dry_run:
            records = record_create_many(
                by=self.by,
                owner_party=self.owner_party,
                items=[RecordImport(fields=p.fields, publish=p.publish, release=p.release) for p in new],
                source=self.source,
                check_permission=self.check_permission,
            )
            created = [r.reference for r in records]
            if self._titles is not None:
                for pending, record in zip(new, records, strict=True):
                    self._titles.setdefault(self._title_key(pending.fields), record.pk)
        elif new:
            created = [_("line %(line)d") % {"line": p.line} for p in new]
        self.report.created += created
        self.report.updated += updated
        self.report.unchanged += unchanged
        self.report.skipped += skipped

    def run(self, entries: Iterator[SourceEntry], progress: Callable[[int], None] | None = None) -> ImportReport:
        with _roomy_page_cache():
            return self._run(entries, progress)

    def _run(self, entries: Iterator[SourceEntry], progress: Callable[[int], None] | None) -> ImportReport:
        batch: list[Pending] = []
        read = 0

        def flush() -> None:
            nonlocal batch, read
            if batch:
                self.write(self.match(batch))
            batch = []
            if progress and read:
                progress(read)
            read = 0

        for source in entries:
            self.report.entries += 1
            read += 1
            if source.error:
                self.report.errors.append(RowProblem(source.line, source.error))
                continue
            try:
                batch.append(self.validate(source))
            except ValidationError as error:
                self.report.errors.append(RowProblem(source.line, problem_text(error)))
            if len(batch) >= self.batch_size:
                flush()
        flush()
        self.report.errors.sort(key=lambda p: p.line)
        self.report.skipped.sort(key=lambda p: p.line)
        return self.report


@contextmanager
def _roomy_page_cache(kib: int = 65536) -> Iterator[None]:
    """A larger SQLite page cache while importing: a big import inserts into indexes of random keys (audit hashes,
    identifiers) that outgrow the default 2 MB and would be read back from the file over and over."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def entry_count(text: str, format_name: str) -> int | None:
    """How many entries ``text`` holds, cheaply, for a progress bar: lines for line-based formats, else None."""
    import_format = IMPORT_FORMATS[format_name]
    if not import_format.line_based:
        return None
    lines = sum(1 for line in text.splitlines() if line.strip())
    return max(0, lines - (0 if format_name == "jsonl" else 1))


def import_entries(
    *,
    entries: Iterable[SourceEntry],
    format_name: str,
    owner_party: Party,
    by: Any = None,
    release: str | None = None,
    publish: bool = True,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    check_permission: bool | None = None,
) -> ImportReport:
    """Import entries already read (see ``import_records``); ``format_name`` names their source in the audit log."""
    importer = Importer(
        owner_party=owner_party,
        by=by,
        format_name=format_name,
        release=release,
        publish=publish,
        dry_run=dry_run,
        batch_size=batch_size,
        check_permission=check_permission,
    )
    return importer.run(iter(entries), progress)


def import_records(
    *,
    text: str,
    format_name: str,
    owner_party: Party,
    by: Any = None,
    release: str | None = None,
    publish: bool = True,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    check_permission: bool | None = None,
) -> ImportReport:
    """Import the records in ``text`` (one of ``IMPORT_FORMATS``) for ``owner_party``.

    ``by`` is the user the import acts for (their permissions are checked unless ``check_permission`` is False) or
    a label for the audit log (``"command line"``; nothing is checked: whoever runs the command administers the
    installation). ``release`` is the release level of new records, and of existing ones when it is given; an
    entry's own ``release`` wins. ValidationError when ``release`` is not a valid level, PermissionDenied when
    ``by`` may not import for the party.
    """
    if format_name not in IMPORT_FORMATS:
        raise ValidationError(_("Unknown import format “%(name)s”.") % {"name": format_name[:40]})
    return import_entries(
        entries=read_entries(text.lstrip("\ufeff"), format_name),
        format_name=format_name,
        owner_party=owner_party,
        by=by,
        release=release,
        publish=publish,
        dry_run=dry_run,
        batch_size=batch_size,
        progress=progress,
        check_permission=check_permission,
    )
