"""Atom feeds of newly published public records, one per content language (``/records/feed/en.atom``, ``zh``, ``ru``).

Each entry is a public record in its latest published version: title and summary in the feed's language, else in the
language the record was written in (marked with ``xml:lang``); its id is the record's address; ``updated`` and
``published`` are the first publication. Feeds are read anonymously, so they start at ``records_visible`` with an
anonymous user: a record released to some parties only never appears.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from feedgen.feed import FeedGenerator
from lxml import etree

from spacebridge.core.multilingual import MultilingualText
from spacebridge.records.formats.exported import record_url
from spacebridge.records.models import Record, RecordVersion
from spacebridge.records.oai_metadata import xml_text
from spacebridge.records.selectors import records_visible

FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# A feed's language is a content language; its own title is written in it, like the entries, for readers whose
# interface language may be any other.
FEED_TITLES = {
    "en": "Spacebridge: newly published records",
    "zh": "Spacebridge：新发布的成果",
    "ru": "Spacebridge: новые опубликованные записи",
}
FEED_SUBTITLES = {
    "en": "Public research achievements shared through the Spacebridge exchange registry",
    "zh": "通过 Spacebridge 交流登记库共享的公开研究成果",
    "ru": "Открытые научные результаты, которыми обмениваются через реестр Spacebridge",
}


def newly_published(*, limit: int = FEED_SIZE) -> QuerySet[Record]:
    """The latest first publications among public records (tombstones are not news)."""
    return (
        records_visible(user=AnonymousUser())
        .filter(status=Record.Status.PUBLISHED, first_published_at__isnull=False)
        .select_related("owner_party")
        .order_by("-first_published_at", "-pk")[:limit]
    )


def feed_url(language: str) -> str:
    return f"{settings.BASE_URL}{reverse('records-feed', args=[language])}"


def _records_page_url() -> str:
    try:
        return f"{settings.BASE_URL}{reverse('records:list')}"
    except NoReverseMatch:  # the records pages are mounted by the records URL map
        return f"{settings.BASE_URL}/records/"


@require_safe
@cache_control(public=True, max_age=300)
def records_feed(request: HttpRequest, language: str) -> HttpResponse:
    if language not in FEED_TITLES:
        raise Http404
    records = list(newly_published())
    versions = {
        v.record_id: v.metadata
        for v in RecordVersion.objects.filter(record__in=[r.pk for r in records], number=F("record__version"))
    }
    feed = FeedGenerator()
    feed.id(feed_url(language))
    feed.title(FEED_TITLES[language])
    feed.subtitle(FEED_SUBTITLES[language])
    feed.language(language)
    feed.author({"name": "Spacebridge", "uri": settings.BASE_URL})
    feed.link(href=feed_url(language), rel="self", type="application/atom+xml")
    feed.link(href=_records_page_url(), rel="alternate", type="text/html")
    feed.updated(records[0].first_published_at if records else timezone.now())
    languages: dict[str, dict[str, str]] = {}
    for record in records:
        metadata = versions.get(record.pk)
        if metadata is None:  # a record written around the services: nothing published to show
            continue
        languages[record_url(record.reference)] = _entry(feed, record, metadata, language)
    return HttpResponse(_mark_languages(feed.atom_str(), languages), content_type="application/atom+xml; charset=utf-8")


def _entry(feed: FeedGenerator, record: Record, metadata: dict[str, Any], language: str) -> dict:
    """Add the record's entry; return the language each text came in where it is not the feed's."""
    url = record_url(record.reference)
    entry = feed.add_entry(order="append")
    entry.id(url)
    entry.link(href=url, rel="alternate", type="text/html")
    title_language, title = MultilingualText.from_json(metadata["title"]).resolve(language)
    entry.title(xml_text(title))
    summary_language, summary = MultilingualText.from_json(metadata.get("abstract")).resolve(language)
    if summary:
        entry.summary(xml_text(summary))
    entry.updated(record.first_published_at)
    entry.published(record.first_published_at)
    entry.author({"name": record.owner_party.name.get(language) or record.owner_party.code})
    return {"title": title_language, "summary": summary_language}


def _mark_languages(atom: bytes, languages: dict[str, dict[str, str]]) -> bytes:
    """Mark an entry's title and summary with xml:lang where they fell back to another language."""
    root = etree.fromstring(atom)
    for entry in root.iterfind(f"{{{ATOM}}}entry"):
        fallback = languages.get(entry.findtext(f"{{{ATOM}}}id"), {})
        for tag, text_language in fallback.items():
            element = entry.find(f"{{{ATOM}}}{tag}")
            if element is not None and text_language and text_language != root.get(XML_LANG):
                element.set(XML_LANG, text_language)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
