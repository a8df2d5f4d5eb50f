"""The objects of a JSON document that holds records (an array, ``{"data": [...]}`` or one object), each with the
line it starts on, so that an import can name the line of every record it refuses."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"\s*")


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _array(text: str, position: int) -> Iterator[tuple[int, Any]]:
    """Items of the array whose ``[`` is just before ``position``."""
    position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
    if text.startswith("]", position):
        return
    while True:
        value, end = _DECODER.raw_decode(text, position)
        yield _line(text, position), value
        position = _SPACE.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith("]", position):
            return
        if not text.startswith(",", position):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
        position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]


def json_items(text: str, *, wrapper: str = "data") -> Iterator[tuple[int, Any, str]]:
    """(line, item, error): the items in order; a document that is not valid JSON ends with one error."""
    start = _SPACE.match(text).end()  # type: ignore[union-attr]
    try:
        if text.startswith("[", start):
            for line, item in _array(text, start + 1):
                yield line, item, ""
            return
        document = json.loads(text)
        if isinstance(document, dict) and isinstance(document.get(wrapper), list):
            match = re.search(rf'"{wrapper}"\s*:\s*\[', text)
            for line, item in _array(text, match.end()):  # type: ignore[union-attr]
                yield line, item, ""
            return
        yield _line(text, start), document, ""
    except json.JSONDecodeError as error:
        yield (
            error.lineno,
            None,
            _("not valid JSON (%(problem)s, column %(column)d)") % {"problem": error.msg, "column": error.colno},
        )
