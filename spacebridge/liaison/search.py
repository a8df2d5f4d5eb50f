"""Decisions and minutes as searchable documents.

A decision is found by its reference and its text in each of its languages; minutes by their meeting's title and
their text. Both are read by exactly those the access policy lets see them (a group's decisions and minutes are
kept to its members until released wider), so the kinds' filters are the ones the decisions register and the
minutes page use; a release takes effect on the next search, with no re-indexing.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.urls import reverse

from spacebridge.access.policy import visible
from spacebridge.liaison.models import Decision, Meeting, Minutes
from spacebridge.liaison.selectors import decisions_for_user, meetings_for_user
from spacebridge.search.registry import IndexedDocument, model_kind, plain_text, register, site_path, text_languages

DECISION = "decision"
MINUTES = "minutes"
TITLE_LENGTH = 160


def decision_documents(ids: list[int]) -> list[IndexedDocument]:
    documents = []
    for decision in Decision.objects.filter(pk__in=ids).select_related("group"):
        documents.append(
            IndexedDocument(
                object_id=decision.pk,
                ref=decision.reference,
                type=DECISION,
                # The register shows a decision by its text: its first words are its title, all of it the summary.
                title=plain_text(decision.text, TITLE_LENGTH),
                summary=plain_text(decision.text),
                body=[decision.reference, decision.group.acronym if decision.group_id else ""],
                url=site_path(decision.get_absolute_url()),
                date=decision.decided_on,
                year=decision.decided_on.year,
                languages=sorted(decision.text.text),
            )
        )
    return documents


def decisions_searchable(user: Any) -> QuerySet[Decision]:
    """The decisions ``user`` may see: the decisions register's filter."""
    return decisions_for_user(user=user)


def minutes_documents(ids: list[int]) -> list[IndexedDocument]:
    documents = []
    for minutes in Minutes.objects.filter(pk__in=ids).select_related("meeting", "meeting__group"):
        meeting = minutes.meeting
        day = meeting.start.astimezone(ZoneInfo(meeting.time_zone)).date()
        text = plain_text(minutes.text)
        documents.append(
            IndexedDocument(
                object_id=minutes.pk,
                ref=minutes.reference,
                type=MINUTES,
                title=meeting.title,
                summary=text,
                body=[minutes.reference],
                url=site_path(reverse("liaison:minutes", args=[meeting.pk])),
                date=day,
                year=day.year,
                languages=text_languages(text, meeting.title),
            )
        )
    return documents


def minutes_searchable(user: Any) -> QuerySet[Minutes]:
    """The minutes ``user`` may read: those the access policy shows them, of a meeting they may see (the minutes
    page fetches the meeting, then its minutes, each through the policy)."""
    meetings = meetings_for_user(user).values("pk")
    return visible(Minutes.objects.filter(meeting__in=meetings), user)


DECISIONS = model_kind(DECISION, Decision, documents=decision_documents, visible=decisions_searchable)

MINUTES_KIND = model_kind(MINUTES, Minutes, documents=minutes_documents, visible=minutes_searchable)


def _meeting_minutes(meeting: Meeting) -> list[int]:
    return list(Minutes.objects.filter(meeting=meeting).values_list("pk", flat=True))


def register_searchable() -> None:
    from spacebridge.search.signals import follow

    register(DECISIONS)
    register(MINUTES_KIND)
    follow(DECISION, Decision)
    follow(MINUTES, Minutes)
    follow(MINUTES, Meeting, _meeting_minutes)  # the minutes' title is their meeting's
