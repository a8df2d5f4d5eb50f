"""The implementation report for the annual symposium: every agreement the reader may see, its status, its
implementation status computed from its commitments, and each commitment; as a page and as a PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from spacebridge.agreements import selectors
from spacebridge.agreements.models import Agreement, Commitment


@dataclass
class ReportRow:
    agreement: Agreement
    implementation: str | None
    commitments: list[tuple[Commitment, str | None]]
    counts: dict[str, int]


def report_rows(*, user: Any, today: date | None = None) -> list[ReportRow]:
    today = today or timezone.localdate()
    rows = []
    agreements = selectors.agreement_list(user=user).prefetch_related("commitments__responsible_parties")
    for agreement in agreements.order_by("reference"):
        commitments = [(c, selectors.commitment_status(c, today)) for c in agreement.commitments.all()]
        counts = {key: sum(1 for _c, s in commitments if s == key) for key in ("on_track", "late", "done")}
        rows.append(ReportRow(agreement, selectors.implementation_status(agreement, today), commitments, counts))
    return rows


def report_pdf(*, rows: list[ReportRow], context: dict[str, Any]) -> bytes:
    """The report as PDF. Chinese is set in Noto Sans CJK SC, Russian and Latin in DejaVu Sans."""
    from weasyprint import HTML

    html = render_to_string("agreements/report_pdf.html", {**context, "rows": rows})
    return HTML(string=html).write_pdf()
