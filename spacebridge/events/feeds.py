"""The events' feeds: an iCalendar feed of every event a visitor may see (calendar programs subscribe anonymously),
one calendar per event with its sessions, and an Atom feed of events per content language."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from feedgen.feed import FeedGenerator

from spacebridge.core.multilingual import content_language
from spacebridge.events import selectors
from spacebridge.events.display import span_in_zone
from spacebridge.events.ical import event_calendar, events_calendar

FEED_SIZE = 100
FEED_LANGUAGES = ("en", "zh", "ru")
FEED_TITLES = {
    "en": "Spacebridge: events",
    "zh": "Spacebridge：活动",
    "ru": "Spacebridge: мероприятия",
}
FEED_SUBTITLES = {
    "en": "Symposia, workshops and training of the Spacebridge cooperation",
    "zh": "Spacebridge 合作的研讨会、讲习班和培训",
    "ru": "Симпозиумы, семинары и обучение в рамках сотрудничества Spacebridge",
}


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("language", "")
    return asked if asked in FEED_LANGUAGES else content_language(request.LANGUAGE_CODE)


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
@cache_control(max_age=300)
def calendar_feed(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    events = selectors.events_visible(user=request.user).order_by("-starts_at")[:FEED_SIZE]
    return _calendar_response(
        events_calendar(events, name=FEED_TITLES[language], language=language), "spacebridge-events.ics"
    )


@require_safe
@cache_control(max_age=300)
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    return _calendar_response(event_calendar(event, language=_language(request)), f"{event.slug}.ics")


@require_safe
@cache_control(max_age=300)
def atom_feed(request: HttpRequest, language: str) -> HttpResponse:
    if language not in FEED_LANGUAGES:
        raise Http404
    events = list(selectors.events_visible(user=request.user).order_by("-created_at", "-pk")[:FEED_SIZE])
    url = settings.BASE_URL + reverse("events:atom", args=[language])
    feed = FeedGenerator()
    feed.id(url)
    feed.title(FEED_TITLES[language])
    feed.subtitle(FEED_SUBTITLES[language])
    feed.language(language)
    feed.author({"name": "Spacebridge", "uri": settings.BASE_URL})
    feed.link(href=url, rel="self", type="application/atom+xml")
    feed.link(href=settings.BASE_URL + reverse("events:list"), rel="alternate", type="text/html")
    feed.updated(max((e.updated_at for e in events), default=timezone.now()))
    for event in events:
        link = settings.BASE_URL + event.get_absolute_url()
        entry = feed.add_entry(order="append")
        entry.id(link)
        entry.link(href=link, rel="alternate", type="text/html")
        entry.title(event.title.get(language))
        when = span_in_zone(event.starts_at, event.ends_at, event.time_zone)
        venue = event.venue.get(language)
        summary = " · ".join(part for part in (when, venue, event.description.get(language)) if part)
        entry.summary(summary.replace("\x00", ""))
        entry.published(event.created_at)
        entry.updated(event.updated_at)
        entry.author({"name": event.organiser_party.name.get(language) or event.organiser_party.short_name})
    return HttpResponse(feed.atom_str(pretty=True), content_type="application/atom+xml; charset=utf-8")
