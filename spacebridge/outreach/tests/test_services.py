"""Joint announcements: published only when the liaison officer of every party involved has approved, then in all
languages at one scheduled instant; changing the text asks again; notices by e-mail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from spacebridge.audit.models import AuditEntry
from spacebridge.core.multilingual import MultilingualText
from spacebridge.outreach import selectors, services
from spacebridge.outreach.models import NewsItem
from spacebridge.outreach.tests.factories import news
from spacebridge.parties.tests.factories import PartyFactory, member_of, secretariat_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _cast() -> dict[str, Any]:
    cn, ru, us = PartyFactory(code="cmsa", country="CN"), PartyFactory(code="ibmp", country="RU"), PartyFactory(code="nasa", country="US")
    return {
        "parties": [cn, ru, us],
        "officers": [member_of(p, role="liaison_officer", username=f"{p.code}-officer") for p in (cn, ru, us)],
        "secretariat": secretariat_user(),
    }


def test_a_joint_announcement_goes_out_only_when_every_party_approved(
    immediate_tasks: None, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    cast = _cast()
    cn, ru, us = cast["parties"]
    later = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        item = news(by=cast["secretariat"], joint=True, parties=cast["parties"], publish_at=later)
    assert item.status == NewsItem.Status.AWAITING_APPROVAL
    assert sorted(m.to[0] for m in mailoutbox) == ["cmsa-officer@example.org", "ibmp-officer@example.org", "nasa-officer@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_approve(item=item, by=cast["officers"][0], party=cn)
        services.announcement_approve(item=item, by=cast["officers"][1], party=ru)
    assert not selectors.news_live(user=None).exists()
    with pytest.raises(PermissionDenied):  # one party's officer cannot approve for another
        services.announcement_approve(item=item, by=cast["officers"][0], party=us)
    with pytest.raises(PermissionDenied):  # nor can the secretariat
        services.announcement_approve(item=item, by=cast["secretariat"], party=us)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item = services.announcement_approve(item=item, by=cast["officers"][2], party=us)
    assert item.status == NewsItem.Status.SCHEDULED and item.publish_at == later
    assert len(mailoutbox) == 3 and "approved by every party" in mailoutbox[0].subject
    assert not selectors.news_live(user=None).exists()  # scheduled: not before its instant
    NewsItem.objects.filter(pk=item.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    for language in ("en", "zh", "ru"):
        assert list(selectors.news_live(user=None, language=language)) == [item]
    verbs = list(AuditEntry.objects.filter(object_id=str(item.pk)).values_list("verb", flat=True))
    assert verbs == ["news.created", "news.submitted", "news.approved", "news.approved", "news.approved", "news.scheduled"]


def test_approved_after_its_time_it_goes_out_at_the_last_approval() -> None:
    cast = _cast()
    item = news(by=cast["secretariat"], joint=True, parties=cast["parties"][:2], publish_at=timezone.now() - timedelta(days=1))
    for officer, party in zip(cast["officers"][:2], cast["parties"][:2], strict=True):
        item = services.announcement_approve(item=item, by=officer, party=party)
    assert item.is_live and timezone.now() - item.publish_at < timedelta(seconds=30)


def test_changing_the_text_asks_every_party_again_and_a_party_can_send_it_back() -> None:
    cast = _cast()
    cn, ru, _us = cast["parties"]
    item = news(by=cast["secretariat"], joint=True, parties=cast["parties"])
    services.announcement_approve(item=item, by=cast["officers"][0], party=cn)
    services.news_update(item=item, by=cast["secretariat"], title=MultilingualText({"en": "New", "zh": "新", "ru": "Новое"}, "en"))
    assert not item.approvals.filter(approved_at__isnull=False).exists()
    with pytest.raises(ValidationError):
        services.announcement_decline(item=item, by=cast["officers"][1], party=ru, reason="  ")
    item = services.announcement_decline(item=item, by=cast["officers"][1], party=ru, reason="Say IBMP, not the institute")
    assert item.status == NewsItem.Status.DRAFT
    with pytest.raises(ValidationError):
        services.announcement_approve(item=item, by=cast["officers"][0], party=cn)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"joint": True, "parties_count": 1}, "parties"),
        ({"joint": True, "languages": ("en", "ru")}, "title"),
        ({"body_languages": ("en",)}, "body"),
    ],
)
def test_bad_news_is_refused_and_leaves_nothing(fields: dict, field: str) -> None:
    cast = _cast()
    languages = fields.get("languages", ("en", "zh", "ru"))
    title = MultilingualText({lang: f"t {lang}" for lang in languages}, languages[0])
    body = MultilingualText({lang: f"b {lang}" for lang in fields.get("body_languages", languages)}, languages[0])
    with pytest.raises(ValidationError) as error:
        services.news_create(by=cast["secretariat"], title=title, body=body, joint=fields.get("joint", False),
                             parties=cast["parties"][: fields.get("parties_count", 3)])
    assert field in error.value.error_dict
    assert not NewsItem.objects.exists()


def test_only_writers_write_and_plain_news_is_scheduled_at_its_time() -> None:
    cast = _cast()
    with pytest.raises(PermissionDenied):
        services.news_create(by=member_of(cast["parties"][0]), title=MultilingualText({"en": "x"}), body=MultilingualText({"en": "y"}))
    officer_news = services.news_create(by=cast["officers"][1], issuing_party=cast["parties"][1],
                                        title=MultilingualText({"ru": "Новость"}), body=MultilingualText({"ru": "Текст"}))
    services.news_publish(item=officer_news, by=cast["officers"][1], publish_at=timezone.now() + timedelta(days=1))
    assert not selectors.news_live(user=None).exists()
    assert selectors.news_in_preparation(user=cast["officers"][1]).get() == officer_news
    assert not selectors.news_in_preparation(user=cast["officers"][0]).exists()
    with pytest.raises(ValidationError):
        services.news_publish(item=officer_news, by=cast["officers"][1])
    services.news_withdraw(item=officer_news, by=cast["secretariat"], reason="Date moved")
    assert NewsItem.objects.get().status == NewsItem.Status.WITHDRAWN
