"""Demo news: the Wenchang symposium's joint announcement (approved by CMSA, Roscosmos and NASA and published), news of
the Hainan projects and of the portal, and a joint announcement of a follow-up symposium awaiting the approval of
CMSA, IBMP and NASA (``demo/news.json``). Loaded after the parties and their liaison officers."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from spacebridge.core.multilingual import MultilingualText
from spacebridge.outreach import services
from spacebridge.outreach.models import NewsItem
from spacebridge.outreach.permissions import can_approve_for
from spacebridge.parties.models import Party, RoleAssignment

DEMO_FILE = Path(__file__).parent / "demo" / "news.json"


def _officer(party: Party) -> Any:
    for assignment in RoleAssignment.objects.filter(party=party, role__code="liaison_officer").select_related("user"):
        if can_approve_for(assignment.user, party):
            return assignment.user
    return None


def news_demo_load(*, by: Any) -> list[NewsItem]:
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    parties = {p.code: p for p in Party.objects.all()}
    items = []
    for entry in spec["news"]:
        language = entry["original_language"]
        involved = [parties[code] for code in entry.get("parties", [])]
        item = services.news_create(
            by=by, check_permission=False, slug=entry["slug"], joint=entry["joint"],
            title=MultilingualText(entry["title"], language), summary=MultilingualText(entry["summary"], language),
            body=MultilingualText(entry["body"], language), parties=involved,
            issuing_party=parties.get(entry.get("issuing_party") or ""),
        )
        published = datetime.fromisoformat(entry["published"]) if entry["published"] else None
        item = services.news_publish(item=item, by=by, publish_at=published, check_permission=False)
        if entry["joint"] and entry.get("approved"):
            for party in involved:
                item = services.announcement_approve(item=item, by=_officer(party), party=party)
            # A historical announcement: it went out on the day, before the platform recorded it.
            NewsItem.objects.filter(pk=item.pk).update(publish_at=published)
        items.append(item)
    return items
