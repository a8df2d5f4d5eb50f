"""Import and export formats of the exchange registry.

Every export format registers one :class:`ExportFormat`; pages (citation box, content negotiation on the record URL,
result-set downloads), the API, the CLI and OAI-PMH all look formats up here, so there is one writer per format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

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
