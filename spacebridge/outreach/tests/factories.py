"""Factories for outreach: a news item written and published the way the secretariat does (services, audited)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from spacebridge.core.multilingual import MultilingualText
from spacebridge.outreach import services
from spacebridge.outreach.models import NewsItem
from spacebridge.parties.models import Party

_count = iter(range(1, 1_000_000))
TRILINGUAL = ("en", "zh", "ru")


def texts(n: int, languages: tuple[str, ...] = TRILINGUAL) -> dict[str, MultilingualText]:
    words = {"en": ("Bone loss study begins", "Text"), "zh": ("骨质流失研究启动", "正文"), "ru": ("Начато исследование потери костной массы", "Текст")}
    return {
        "title": MultilingualText({lang: f"{words[lang][0]} {n}" for lang in languages}, languages[0]),
        "body": MultilingualText({lang: f"{words[lang][1]} {n}" for lang in languages}, languages[0]),
    }


def news(*, by: Any = None, publish: bool = True, publish_at: datetime | None = None, languages: tuple[str, ...] = TRILINGUAL,
         joint: bool = False, parties: list[Party] | None = None, **fields: Any) -> NewsItem:
    item = services.news_create(by=by, check_permission=False, joint=joint, parties=parties, **texts(next(_count), languages), **fields)
    if publish:
        item = services.news_publish(item=item, by=by, publish_at=publish_at, check_permission=False)
    return item
