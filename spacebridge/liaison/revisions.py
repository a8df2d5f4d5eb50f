"""What changed between two revisions of the minutes, line by line and per language (for the minutes page).

Lines are plain text: the template escapes them, so minutes that hold markup show it as text.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from spacebridge.core.multilingual import MultilingualText

CONTEXT_LINES = 2


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed" or "gap" (unchanged lines left out)
    text: str


@dataclass
class LanguageDiff:
    language: str
    lines: list[DiffLine] = field(default_factory=list)
    added: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def _texts(text: MultilingualText | None) -> dict[str, str]:
    return dict(text.text) if text is not None else {}


def language_diff(language: str, before: str, after: str) -> LanguageDiff:
    old, new = before.splitlines(), after.splitlines()
    result = LanguageDiff(language)
    groups = list(difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(CONTEXT_LINES))
    for number, group in enumerate(groups):
        if number or (group and (group[0][1] > 0 or group[0][3] > 0)):
            result.lines.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                result.lines += [DiffLine("same", line) for line in old[i1:i2]]
                continue
            if tag in ("replace", "delete"):
                result.lines += [DiffLine("removed", line) for line in old[i1:i2]]
                result.removed += i2 - i1
            if tag in ("replace", "insert"):
                result.lines += [DiffLine("added", line) for line in new[j1:j2]]
                result.added += j2 - j1
    return result


def revision_diff(before: MultilingualText | None, after: MultilingualText) -> list[LanguageDiff]:
    """One diff per language of either revision (a language added or dropped shows as all added or removed)."""
    old, new = _texts(before), _texts(after)
    languages = [*new, *(code for code in old if code not in new)]
    return [language_diff(code, old.get(code, ""), new.get(code, "")) for code in languages]
