"""Readable names of audit verbs. Each app declares its own verbs when it starts; an unknown verb shows as is."""

from __future__ import annotations

from django.utils.functional import Promise

_LABELS: dict[str, Promise | str] = {}


def register_verbs(labels: dict[str, Promise | str]) -> None:
    _LABELS.update(labels)


def verb_label(verb: str) -> str:
    return str(_LABELS.get(verb, verb))
