"""Atom feeds per language: parsed with feedparser; an item appears in the feed of each of its languages from its
publication time, never before, and never an item the public may not see."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from spacebridge.outreach.tests.factories import news

pytestmark = pytest.mark.django_db


def _feed(language: str) -> feedparser.FeedParserDict:
    response = Client().get(f"/news/feed/{language}.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def test_each_language_has_its_feed_with_the_items_written_in_it() -> None:
    trilingual = news()
    russian_only = news(languages=("ru",))
    news(publish_at=timezone.now() + timedelta(hours=1))  # scheduled: not yet
    news(publish=False)  # a draft
    english, chinese, russian = _feed("en"), _feed("zh"), _feed("ru")
    assert english.feed.title == "Spacebridge news" and russian.feed.language == "ru"
    assert [e.title for e in english.entries] == [trilingual.title.text["en"]]
    assert [e.title for e in chinese.entries] == [trilingual.title.text["zh"]]
    assert {e.title for e in russian.entries} == {trilingual.title.text["ru"], russian_only.title.text["ru"]}
    assert english.entries[0].link.endswith(trilingual.get_absolute_url())
    assert Client().get("/news/feed/fr.atom").status_code == 404


def test_characters_xml_cannot_carry_do_not_break_the_feed() -> None:
    from spacebridge.core.multilingual import MultilingualText
    from spacebridge.outreach import services

    item = services.news_create(by=None, check_permission=False, title=MultilingualText({"en": "Bell\x07 rings"}),
                                body=MultilingualText({"en": "Text\x0b here"}))
    services.news_publish(item=item, by=None, check_permission=False)
    assert _feed("en").entries[0].title == "Bell rings"
