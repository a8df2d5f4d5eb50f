"""Atom feeds of the news, one per content language (``/news/feed/en.atom``, ``zh``, ``ru``).

A feed holds the published news written in its language, newest first, each entry from its publication time: a joint
announcement appears in every language's feed at the same instant. Feeds are read anonymously, so they start at
``news_live`` with an anonymous user."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from feedgen.feed import FeedGenerator

from spacebridge.outreach.selectors import FEED_SIZE, news_live
from spacebridge.records.oai_metadata import xml_text

FEED_TITLES = {"en": "Spacebridge news", "zh": "Spacebridge 新闻", "ru": "Новости Spacebridge"}
FEED_SUBTITLES = {
    "en": "News and joint announcements of the cooperation on space technology for human health",
    "zh": "航天技术服务人类健康合作的新闻和联合公告",
    "ru": "Новости и совместные заявления сотрудничества в области космических технологий для здоровья человека",
}
JOINT_LABELS = {"en": "joint announcement", "zh": "联合公告", "ru": "совместное заявление"}


def feed_url(language: str) -> str:
    return f"{settings.BASE_URL}{reverse('outreach:feed', args=[language])}"


@require_safe
@cache_control(public=True, max_age=60)
def news_feed(request: HttpRequest, language: str) -> HttpResponse:
    if language not in FEED_TITLES:
        raise Http404
    items = list(news_live(user=AnonymousUser(), language=language)[:FEED_SIZE])
    feed = FeedGenerator()
    feed.id(feed_url(language))
    feed.title(FEED_TITLES[language])
    feed.subtitle(FEED_SUBTITLES[language])
    feed.language(language)
    feed.author({"name": "Spacebridge", "uri": settings.BASE_URL})
    feed.link(href=feed_url(language), rel="self", type="application/atom+xml")
    feed.link(href=f"{settings.BASE_URL}{reverse('outreach:list')}", rel="alternate", type="text/html")
    feed.updated(max((i.updated_at for i in items), default=None) or timezone.now())
    for item in items:
        url = f"{settings.BASE_URL}{item.get_absolute_url()}"
        entry = feed.add_entry(order="append")
        entry.id(f"{url}#{language}")
        entry.link(href=url, rel="alternate", type="text/html", hreflang=language)
        entry.title(xml_text(item.title.text[language]))
        if item.summary.text.get(language):
            entry.summary(xml_text(item.summary.text[language]))
        entry.content(xml_text(item.body.text[language]), type="text")
        entry.published(item.publish_at)
        entry.updated(max(item.publish_at, item.updated_at))
        parties = [a.party for a in item.approvals.all()] or ([item.issuing_party] if item.issuing_party else [])
        for party in parties:
            entry.author({"name": party.name.get(language) or party.short_name})
        if not parties:
            entry.author({"name": "Spacebridge"})
        if item.joint:
            entry.category(term="joint", label=JOINT_LABELS[language])
    return HttpResponse(feed.atom_str(pretty=False), content_type="application/atom+xml; charset=utf-8")
