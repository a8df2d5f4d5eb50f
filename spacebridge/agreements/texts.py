"""Agreement texts as structure: articles and paragraphs recognised in Markdown or plain text in English, Chinese
and Russian ("Article 1", "第一条", "Статья 1"), the canonical form that is hashed and signed, and diffs."""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

_MD_PREFIX = r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*"
_ARTICLE = [
    re.compile(_MD_PREFIX + r"(?P<word>Article|ARTICLE)\s+(?P<num>\d{1,3}|[IVXLC]{1,8})\b\.?(?:\*\*)?\s*(?P<rest>.*)$"),
    re.compile(
        _MD_PREFIX + r"(?P<word>第)\s*(?P<num>[零〇一二两三四五六七八九十百千\d]{1,6})\s*条(?:\*\*)?\s*(?P<rest>.*)$"
    ),
    re.compile(_MD_PREFIX + r"(?P<word>Статья|СТАТЬЯ)\s+(?P<num>\d{1,3})\b\.?(?:\*\*)?\s*(?P<rest>.*)$"),
]
_ANNEX = re.compile(
    _MD_PREFIX + r"(?P<word>Annex|ANNEX|附件|Приложение|ПРИЛОЖЕНИЕ)(?![A-Za-zА-Яа-я])\s*"
    r"(?P<num>\d{1,2}(?!\d)|[IVX]{1,4}(?![A-Za-z])|[一二三四五六七八九十]{1,3})?(?:\*\*)?\s*[.:：]?\s*(?P<rest>.*)$"
)
_HEADING_LINE = re.compile(r"^\s*#{1,6}\s*(?P<text>.+?)\s*#*\s*$")
_NUMBERED = re.compile(
    r"^\s*(?:\d{1,3}[.)]|\(\d{1,3}\)|[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)\s+"
)
MAX_TEXT_CHARS = 500_000


def chinese_number(text: str) -> int:
    """第一条 … 第九十九条 … 第一百二十条: Chinese numerals (and Arabic digits) to an integer."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[char]
            current = 0
        else:
            raise ValueError(text)
    return total + current


def roman_number(text: str) -> int:
    values = [_ROMAN[c] for c in text.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _number(raw: str) -> int:
    if raw.isdigit():
        return int(raw)
    if re.fullmatch(r"[IVXLC]+", raw):
        return roman_number(raw)
    return chinese_number(raw)


@dataclass
class ParsedArticle:
    key: str
    number: int | None
    label: str
    heading: str = ""
    paragraphs: list[str] = field(default_factory=list)


def normalise(body: str) -> str:
    """The canonical form of a text: NFC, Unix line ends, no trailing spaces, one final newline. Hashes and
    signatures are over these bytes, so a file saved on another system signs the same."""
    body = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in body.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def sha256_text(body: str) -> str:
    return hashlib.sha256(normalise(body).encode("utf-8")).hexdigest()


def _heading_match(line: str) -> tuple[str, int | None, str, str] | None:
    """(key, number, label, rest of the line) when the line opens an article or an annex."""
    for pattern in _ARTICLE:
        match = pattern.match(line)
        if match:
            try:
                number = _number(match["num"])
            except (ValueError, KeyError):
                return None
            if not 0 < number < 1000:
                return None
            word = match["word"]
            label = f"第{match['num']}条" if word == "第" else f"{word} {match['num']}"
            return str(number), number, label, match["rest"].strip(" *#—–-:.")
    match = _ANNEX.match(line)
    if match and (not match["rest"] or len(match["rest"]) < 200) and not line.rstrip().endswith((",", ";")):
        raw = match["num"] or "1"
        try:
            number = _number(raw)
        except ValueError:
            return None
        label = (match["word"] + (f" {match['num']}" if match["num"] else "")).strip()
        return f"annex-{number}", None, label, match["rest"].strip(" *#—–-:.")
    return None


def _paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs: blocks separated by blank lines; within a block a new numbered point starts a paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            paragraphs.append(" ".join(part.strip() for part in current if part.strip()))
            current.clear()

    for line in lines:
        if not line.strip():
            close()
            continue
        if _NUMBERED.match(line) and current:
            close()
        current.append(line)
    close()
    return [p for p in paragraphs if p]


def _is_title_line(line: str) -> bool:
    """A short heading line right after an article label ("####Object and Scope", "宗旨", "Цели")."""
    stripped = line.strip()
    if _HEADING_LINE.match(line):
        return True
    if stripped.startswith("**") and stripped.endswith("**"):
        return True
    return (
        0 < len(stripped) <= 80
        and not stripped.endswith((".", "。", ";", "；", ",", "，", ":", "："))
        and not (_NUMBERED.match(line))
    )


def parse_articles(body: str, *, preamble_label: str = "Preamble") -> list[ParsedArticle]:
    """Split a text into its preamble, articles and annexes, each with its paragraphs."""
    body = normalise(body)
    sections: list[tuple[tuple[str, int | None, str, str] | None, list[str]]] = [(None, [])]
    seen: set[str] = set()
    for line in body.split("\n"):
        found = _heading_match(line)
        if found and found[0] not in seen:
            seen.add(found[0])
            sections.append((found, []))
        else:
            sections[-1][1].append(line)
    articles: list[ParsedArticle] = []
    for head, lines in sections:
        if head is None:
            cleaned = [(_HEADING_LINE.match(x)["text"] if _HEADING_LINE.match(x) else x) for x in lines]
            paragraphs = _paragraphs(cleaned)
            if paragraphs:
                articles.append(ParsedArticle("preamble", None, preamble_label, "", paragraphs))
            continue
        key, number, label, heading = head
        rest = list(lines)
        while rest and not rest[0].strip():
            rest.pop(0)
        if not heading and rest and _is_title_line(rest[0]) and len(rest) > 1:
            line = rest.pop(0)
            match = _HEADING_LINE.match(line)
            heading = (match["text"] if match else line).strip(" *")
        articles.append(ParsedArticle(key, number, label, heading[:500], _paragraphs(rest)))
    return articles


def diff_lines(before: str, after: str, *, before_label: str, after_label: str) -> list[tuple[str, str]]:
    """A unified diff as (kind, line) pairs: kind is "add", "remove", "hunk" or "same"."""
    lines = difflib.unified_diff(
        normalise(before).split("\n"), normalise(after).split("\n"), before_label, after_label, lineterm="", n=2
    )
    out: list[tuple[str, str]] = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "remove", "@": "hunk"}.get(line[:1], "same")
        out.append((kind, line))
    return out
