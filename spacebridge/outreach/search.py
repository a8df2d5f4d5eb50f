"""News items as searchable documents: published ones only, in each language they are written in.

Drafts, announcements awaiting the parties' approval and withdrawn items are not in the index at all; a scheduled
item is indexed when it is scheduled, but the kind's filter is the public news list's own (``news_live``: published
by now, through the access policy), so it is found from its publication time on, with no re-indexing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from spacebridge.core.multilingual import MultilingualText
from spacebridge.outreach.models import NewsItem
from spacebridge.outreach.selectors import news_live
from spacebridge.search.registry import IndexedDocument, model_kind, plain_text, register, site_path, text_languages

KIND = "news"
SUMMARY_LENGTH = 1500


def _published() -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(status=NewsItem.Status.SCHEDULED, publish_at__isnull=False)


def news_documents(ids: list[int]) -> list[IndexedDocument]:
    documents = []
    for item in _published().filter(pk__in=ids):
        lead = plain_text(item.body, SUMMARY_LENGTH)
        # The summary where the item has one in a language, else the beginning of its text in that language.
        summary = MultilingualText(lead.text | item.summary.text, item.summary.original or item.title.original)
        day = item.publish_at.date()
        documents.append(
            IndexedDocument(
                object_id=item.pk,
                ref=item.reference,
                type=KIND,
                title=item.title,
                summary=summary,
                body=list(item.body.text.values()),
                url=site_path(item.get_absolute_url()),
                owner_party_id=item.issuing_party_id,
                date=day,
                year=day.year,
                languages=text_languages(item.title, summary),
            )
        )
    return documents


def news_searchable(user: Any) -> QuerySet[NewsItem]:
    """The news items ``user`` may find: the published news list's filter (``news_live``)."""
    return news_live(user=user)


NEWS = model_kind(KIND, NewsItem, documents=news_documents, visible=news_searchable, all_ids=lambda: _published().order_by("pk").values_list("pk", flat=True))


def register_searchable() -> None:
    from spacebridge.search.signals import follow

    register(NEWS)
    follow(KIND, NewsItem)
