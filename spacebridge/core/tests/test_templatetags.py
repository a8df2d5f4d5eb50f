"""Template helpers: datetimes in the viewer's zone with the three capitals' local times, multilingual text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from spacebridge.core.middleware import TIME_ZONE_COOKIE
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.tests.factories import PartyFactory, member_of

pytestmark = pytest.mark.django_db

WINTER = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)


def render(source: str, **context: object) -> str:
    return Template("{% load spacebridge %}" + source).render(Context(context))


def test_when_shows_the_viewers_zone_with_the_date():
    html = render("{% when moment %}", moment=WINTER, viewer_time_zone="Europe/Moscow")
    assert '<time datetime="2026-01-15T12:00:00+00:00"' in html
    assert "2026-01-15 15:00 MSK" in html
    assert '<span class="zone">(Europe/Moscow)</span>' in html


def test_when_shows_the_three_capitals_in_winter():
    html = render("{% when moment %}", moment=WINTER, viewer_time_zone="UTC")
    assert (
        '<small class="capitals">Beijing 2026-01-15 20:00 CST · Moscow 2026-01-15 15:00 MSK · '
        "Washington 2026-01-15 07:00 EST</small>" in html
    )


def test_when_follows_washingtons_daylight_saving_time_in_summer():
    html = render("{% when moment %}", moment=SUMMER, viewer_time_zone="UTC")
    assert "Beijing 2026-07-15 20:00 CST" in html
    assert "Moscow 2026-07-15 15:00 MSK" in html
    assert "Washington 2026-07-15 08:00 EDT" in html


def test_when_shows_each_capitals_own_date():
    late_evening = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    html = render("{% when moment %}", moment=late_evening, viewer_time_zone="America/New_York")
    assert "2026-03-01 18:30 EST" in html  # the viewer, still on the 1st
    assert "Beijing 2026-03-02 07:30 CST" in html  # already the 2nd


def test_when_without_a_viewer_zone_uses_the_current_zone():
    with timezone.override("Asia/Shanghai"):
        html = render("{% when moment %}", moment=WINTER)
    assert "2026-01-15 20:00 CST" in html
    assert "(Asia/Shanghai)" in html


def test_when_shows_a_dash_for_nothing_and_a_plain_date_for_a_date():
    assert render("{% when moment %}", moment=None) == "—"
    assert render("{% when moment %}", moment=date(2018, 1, 29)) == '<time datetime="2018-01-29">2018-01-29</time>'


def test_a_naive_datetime_is_a_bug_and_raises():
    with pytest.raises(ValueError, match="naive datetime"):
        render("{% when moment %}", moment=datetime(2026, 1, 15, 12, 0))


def test_pages_show_times_in_the_zone_the_visitor_chose(client):
    party = PartyFactory(code="cmsa")
    client.cookies[TIME_ZONE_COOKIE] = "Europe/Moscow"
    html = client.get(f"/parties/{party.code}/").content.decode()
    assert '<span class="zone">(Europe/Moscow)</span>' in html


def test_a_signed_in_persons_own_zone_wins_over_the_cookie(client):
    party = PartyFactory(code="cmsa")
    client.force_login(member_of(party, time_zone="America/New_York"))
    client.cookies[TIME_ZONE_COOKIE] = "Europe/Moscow"
    html = client.get(f"/parties/{party.code}/").content.decode()
    assert '<span class="zone">(America/New_York)</span>' in html


def test_mt_marks_the_language_shown():
    text = MultilingualText({"zh": "航天医学", "en": "Space medicine"}, "zh")
    with translation.override("zh-hans"):
        assert render("{{ text|mt }}", text=text) == '<span lang="zh-Hans">航天医学</span>'
    with translation.override("ru"):
        assert render("{{ text|mt }}", text=text) == '<span lang="zh-Hans">航天医学</span>'  # the original
    with translation.override("en"):
        assert render("{{ text|mt }}", text=text) == '<span lang="en">Space medicine</span>'


def test_mt_escapes_the_text_and_shows_nothing_for_empty_text():
    assert (
        render("{{ text|mt }}", text={"en": "<script>x</script>"})
        == '<span lang="en">&lt;script&gt;x&lt;/script&gt;</span>'
    )
    assert render("{{ text|mt }}", text={}) == ""
    assert render("{{ text|mt_text }}", text={"ru": "Космос & медицина"}) == "Космос &amp; медицина"


def test_language_names_name_each_language_in_itself():
    assert render("{{ codes|language_names }}", codes=["zh", "ru", "en"]) == "中文, Русский, English"
