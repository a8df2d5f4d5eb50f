"""Crosswalks shared by the formats: who counts as a creator, which script a text is in, what a licence is called."""

from __future__ import annotations

import re
import unicodedata

# A record type's creators: authors always; inventors of a patent; developers of software and technologies.
_CREATOR_ROLE = {"patent": "inventor", "software": "developer", "technology": "developer"}


def creator_role(record_type: str) -> str:
    """The contributor role that a format's plain "author" list stands for, for a record of this type."""
    return _CREATOR_ROLE.get(record_type, "author")


def is_creator(role: str, record_type: str) -> bool:
    return role == "author" or role == creator_role(record_type)


_SCRIPTS = (("CJK", "zh"), ("CYRILLIC", "ru"), ("ARABIC", "ar"))


def language_of(text: str, default: str = "en") -> str:
    """The language a short text is most likely in, told by its script: Han is Chinese, Cyrillic Russian, Arabic
    Arabic; Latin script gives ``default`` (the record's language when it is written in Latin script, else English)."""
    counts = {"zh": 0, "ru": 0, "ar": 0, "latin": 0}
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for prefix, language in _SCRIPTS:
            if name.startswith(prefix):
                counts[language] += 1
                break
        else:
            counts["latin"] += 1
    best = max(counts, key=lambda k: counts[k])
    if counts[best] == 0 or best == "latin":
        return default if default in {"en", "fr", "es"} else "en"
    return best


_LANGUAGE_TAG = re.compile(r"^\[([a-z]{2,3})\]\s*")


def tagged(language: str, text: str) -> str:
    """``[zh] 文本``: how formats without language attributes carry a translation."""
    return f"[{language}] {text}"


def untagged(text: str, default: str) -> tuple[str, str]:
    """(language, text) of a ``[xx] text`` value; untagged text is told by its script."""
    match = _LANGUAGE_TAG.match(text)
    if match:
        return match.group(1), text[match.end() :].strip()
    return language_of(text, default), text.strip()


# SPDX identifiers that research records commonly carry, with their names (DataCite rights, Dublin Core rights).
LICENCES = {
    "CC0-1.0": "Creative Commons Zero v1.0 Universal",
    "CC-BY-4.0": "Creative Commons Attribution 4.0 International",
    "CC-BY-SA-4.0": "Creative Commons Attribution Share Alike 4.0 International",
    "CC-BY-NC-4.0": "Creative Commons Attribution Non Commercial 4.0 International",
    "CC-BY-NC-SA-4.0": "Creative Commons Attribution Non Commercial Share Alike 4.0 International",
    "CC-BY-ND-4.0": "Creative Commons Attribution No Derivatives 4.0 International",
    "CC-BY-NC-ND-4.0": "Creative Commons Attribution Non Commercial No Derivatives 4.0 International",
    "CC-BY-3.0": "Creative Commons Attribution 3.0 Unported",
    "MIT": "MIT License",
    "Apache-2.0": "Apache License 2.0",
    "BSD-3-Clause": 'BSD 3-Clause "New" or "Revised" License',
    "GPL-3.0-or-later": "GNU General Public License v3.0 or later",
    "AGPL-3.0-or-later": "GNU Affero General Public License v3.0 or later",
    "LGPL-3.0-or-later": "GNU Lesser General Public License v3.0 or later",
    "MPL-2.0": "Mozilla Public License 2.0",
}


def licence_name(spdx: str) -> str:
    return LICENCES.get(spdx, spdx)


def licence_url(spdx: str) -> str:
    return f"https://spdx.org/licenses/{spdx}.html"


def licence_from_url(url: str) -> str:
    """The SPDX identifier in an spdx.org or creativecommons.org licence address, else ``""``."""
    match = re.match(r"^https?://spdx\.org/licenses/([A-Za-z0-9.+-]+?)(\.html|\.json)?$", url.strip())
    if match:
        return match.group(1)
    match = re.match(r"^https?://creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)", url.strip())
    if match:
        kind, version = match.group(2), match.group(3)
        return "CC0-1.0" if kind == "zero" else f"CC-{kind.upper()}-{version}"
    return ""


def split_name(name: str) -> tuple[str, str]:
    """(family, given) of a ``Family, Given`` name; ``(name, "")`` for a name written any other way."""
    if name.count(",") == 1:
        family, given = (part.strip() for part in name.split(","))
        if family and given:
            return family, given
    return name, ""


def join_keywords(words: list[str]) -> str:
    """Keywords in one text field: comma-separated as usual, semicolons when a keyword holds a comma."""
    return ("; " if any("," in w for w in words) else ", ").join(words)


def split_keywords(text: str) -> list[str]:
    separator = ";" if ";" in text else ","
    return [w.strip() for w in text.split(separator) if w.strip()]
