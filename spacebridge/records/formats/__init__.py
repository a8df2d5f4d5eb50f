"""Import and export formats of the exchange registry.

Every export format registers one :class:`ExportFormat`; pages (citation box, content negotiation on the record URL,
result-set downloads), the API, the CLI and OAI-PMH all look formats up here, so there is one writer per format.

Every import format registers one :class:`ImportFormat`: a reader that turns a file into entries, each the shape of
one line of the JSON Lines format (docs/records-import.md) with the line it starts on, or a reason it cannot be read.
``spacebridge.records.importing`` validates and writes the entries; readers never touch the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacebridge.records.models import Record


@dataclass(frozen=True)
class ExportFormat:
    name: str  # "bibtex", "ris", "csl-json", "datacite-json", "dc-xml", "csv"
    label: str  # shown to people
    media_type: str  # answered by content negotiation
    extension: str
    render: Callable[[list[Record]], str]  # records already passed through the access policy


EXPORT_FORMATS: dict[str, ExportFormat] = {}


def register_export(export_format: ExportFormat) -> None:
    EXPORT_FORMATS[export_format.name] = export_format


def export_records(records: Iterable[Record], name: str) -> str:
    """Render ``records`` (which the caller has taken from ``records_visible``) in the named format."""
    return EXPORT_FORMATS[name].render(list(records))


def format_for_media_type(media_type: str) -> ExportFormat | None:
    for export_format in EXPORT_FORMATS.values():
        if export_format.media_type == media_type:
            return export_format
    return None


@dataclass(frozen=True)
class SourceEntry:
    """One record as a reader found it: the JSON Lines shape, or the reason it could not be read."""

    line: int
    entry: dict[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class ImportFormat:
    name: str  # "jsonl", "csv", "bibtex", "ris", "datacite", "csl-json", "dc-xml", "nasa-csv", "techport"
    label: str
    read: Callable[[str], Iterator[SourceEntry]]  # the file's text → entries in file order
    line_based: bool = False  # one record per line (after a header): the line count is the progress total


IMPORT_FORMATS: dict[str, ImportFormat] = {}


def register_import(import_format: ImportFormat) -> None:
    IMPORT_FORMATS[import_format.name] = import_format


def read_entries(text: str, name: str) -> Iterator[SourceEntry]:
    """The entries of ``text`` in the named import format."""
    return IMPORT_FORMATS[name].read(text)


# The formats register themselves on import; the order is the order people see them in.
from spacebridge.records.formats import (  # noqa: E402
    bibtex,
    csl,
    datacite,
    dublin_core,
    jsonl,
    nasa,
    ris,
    table,
)

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "ExportFormat",
    "ImportFormat",
    "SourceEntry",
    "bibtex",
    "csl",
    "datacite",
    "dublin_core",
    "export_records",
    "format_for_media_type",
    "jsonl",
    "nasa",
    "read_entries",
    "register_export",
    "register_import",
    "ris",
    "table",
]
