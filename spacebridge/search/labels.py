"""Readable labels of facet values, in the active language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django_countries import countries

from spacebridge.access.models import Level
from spacebridge.core.multilingual import CONTENT_LANGUAGES, MultilingualText
from spacebridge.search.registry import kinds


def _type_label(code: str) -> str:
    for kind in kinds().values():
        label = kind.type_label(code)
        if label and label != code:
            return label
    return code


def facet_labels(values: dict[str, list[Any]]) -> dict[str, dict[str, str]]:
    """``{facet: {value: label}}`` for the values shown."""
    from spacebridge.parties.models import Party
    from spacebridge.records.models import Concept

    labels: dict[str, dict[str, str]] = {name: {} for name in values}
    labels["type"] = {str(code): _type_label(str(code)) for code in values.get("type", [])}
    for party in Party.objects.filter(code__in=values.get("party", [])).only("code", "short_name"):
        labels["party"][party.code] = party.short_name
    labels["delegation"] = {str(code): str(countries.name(code) or code) for code in values.get("delegation", [])}
    language = get_language()
    for concept in Concept.objects.filter(code__in=values.get("subject", [])).only("code", "pref"):
        labels["subject"][concept.code] = MultilingualText.from_json(concept.pref).get(language) or concept.code
    labels["lang"] = {str(code): CONTENT_LANGUAGES.get(str(code), str(code)) for code in values.get("lang", [])}
    labels["level"] = {str(code): str(Level(code).label) for code in values.get("level", []) if code in Level.values}
    labels["year"] = {str(year): str(year) for year in values.get("year", [])}
    return labels
