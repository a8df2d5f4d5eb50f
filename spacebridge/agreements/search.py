"""Agreements as searchable documents: reference, title, summary, and the preamble and article headings of each
language's current text.

Before signature an agreement is seen by its parties' officers and the secretariat only; after, by whoever its
release policy lets in. The kind's filter is the agreements list's own (``agreements_visible``), evaluated at query
time: a draft is found only by those who may open it, and a signature or a release takes effect on the next search.
Whoever may see an agreement may read its texts, so they are indexed whatever the status.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from spacebridge.agreements.models import Agreement, AgreementText, TextVersion
from spacebridge.agreements.selectors import agreements_visible
from spacebridge.agreements.texts import parse_articles
from spacebridge.core.multilingual import MultilingualText
from spacebridge.search.registry import IndexedDocument, model_kind, register, site_path

KIND = "agreement"
PREAMBLE_LENGTH = 3000


def _current_texts(ids: list[int]) -> dict[int, dict[str, str]]:
    """``{agreement id: {language: body of the latest version}}``."""
    texts: dict[int, dict[str, str]] = {}
    rows = (
        TextVersion.objects.filter(text__agreement_id__in=ids)
        .order_by("text_id", "-number")
        .values_list("text_id", "text__agreement_id", "text__language", "body")
    )
    seen: set[int] = set()
    for text_id, agreement_id, language, body in rows:
        if text_id not in seen:
            seen.add(text_id)
            texts.setdefault(agreement_id, {})[language] = body
    return texts


def _preambles_and_headings(bodies: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    preambles: dict[str, str] = {}
    headings: list[str] = []
    for language, body in bodies.items():
        for article in parse_articles(body):
            if article.key == "preamble":
                preambles[language] = " ".join(article.paragraphs)[:PREAMBLE_LENGTH]
            elif article.heading:
                headings.append(article.heading)
    return preambles, headings


def agreement_documents(ids: list[int]) -> list[IndexedDocument]:
    texts = _current_texts(ids)
    documents = []
    for agreement in Agreement.objects.filter(pk__in=ids):
        preambles, headings = _preambles_and_headings(texts.get(agreement.pk, {}))
        # The summary where the agreement has one in a language, else that language's preamble.
        summary = MultilingualText(
            preambles | agreement.summary.text, agreement.summary.original or agreement.title.original
        )
        day = agreement.in_force_since or agreement.created_at.date()
        documents.append(
            IndexedDocument(
                object_id=agreement.pk,
                ref=agreement.reference,
                type=KIND,
                title=agreement.title,
                summary=summary,
                body=[agreement.reference, *preambles.values(), *headings],
                url=site_path(agreement.get_absolute_url()),
                owner_party_id=agreement.lead_party_id,
                date=day,
                year=day.year,
                languages=sorted(set(agreement.title.text) | set(summary.text) | set(texts.get(agreement.pk, {}))),
            )
        )
    return documents


def agreements_searchable(user: Any) -> QuerySet[Agreement]:
    """The agreements ``user`` may see: the agreements list's filter (drafts to their parties' officers only)."""
    return agreements_visible(user=user)


AGREEMENTS = model_kind(KIND, Agreement, documents=agreement_documents, visible=agreements_searchable)


def _text_agreement(version: TextVersion) -> list[int]:
    return [AgreementText.objects.filter(pk=version.text_id).values_list("agreement_id", flat=True).first()]


def register_searchable() -> None:
    from spacebridge.search.signals import follow

    register(AGREEMENTS)
    follow(KIND, Agreement)
    follow(KIND, TextVersion, _text_agreement)
