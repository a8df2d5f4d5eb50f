"""The one analysis function of the search, shared by both back ends and by the query parser.

Text is cut into runs by script: Chinese (Han) runs are folded from Traditional to Simplified and segmented with
jieba (search mode when indexing, so both 骨密度 and 密度 are terms; precise mode for queries), Cyrillic words are
lower-cased and stemmed with the Russian Snowball stemmer, Latin words with the English one, digits are kept as
they are. The index holds these analysed terms separated by spaces; SQLite FTS5 (unicode61) and PostgreSQL
(``to_tsvector('simple', …)``) then only split on the spaces, so both back ends see the very same terms.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

# Runs of one script: Han (with the compatibility block), Cyrillic words, Latin/digit words.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_CHARACTER = re.compile(f"[{_HAN}]")  # a Chinese character: where a text or a term has one, Chinese rules apply
_TOKEN = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<cyr>[\u0400-\u04ff]+)|(?P<lat>[0-9A-Za-z\u00c0-\u024f]+)")

_lock = threading.Lock()
_state: dict[str, object] = {}


@dataclass(frozen=True)
class Token:
    """One analysed term with where its word sits in the original text (for highlighting)."""

    term: str
    start: int
    end: int


def _jieba():  # type: ignore[no-untyped-def]
    """jieba's tokenizer, its dictionary cache kept in the data folder (a predictable, writable place)."""
    tokenizer = _state.get("jieba")
    if tokenizer is None:
        with _lock:
            tokenizer = _state.get("jieba")
            if tokenizer is None:
                import logging

                import jieba
                from django.conf import settings

                jieba.setLogLevel(logging.WARNING)
                jieba.dt.tmp_dir = str(settings.DATA_DIR)
                jieba.dt.initialize()
                tokenizer = _state["jieba"] = jieba.dt
    return tokenizer


def _opencc():  # type: ignore[no-untyped-def]
    converter = _state.get("opencc")
    if converter is None:
        import opencc

        converter = _state["opencc"] = opencc.OpenCC("t2s")
    return converter


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


@lru_cache(maxsize=200_000)
def _stem(word: str, language: str) -> str:
    return _stemmer(language).stemWord(word)


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese; other scripts pass through unchanged."""
    return _opencc().convert(text) if HAN_CHARACTER.search(text) else text


def _han_terms(run: str, start: int, *, for_query: bool) -> Iterator[Token]:
    simplified = _opencc().convert(run)
    if len(simplified) != len(run):  # folding never changes the length in practice; keep offsets honest if it does
        simplified = run
    tokenizer = _jieba()
    if for_query:
        for word, begin, end in tokenizer.tokenize(simplified, mode="default", HMM=True):
            yield Token(word, start + begin, start + end)
    else:
        for word, begin, end in tokenizer.tokenize(simplified, mode="search", HMM=True):
            yield Token(word, start + begin, start + end)


def analyse_tokens(
    text: str, *, for_query: bool = False, han: bool = True, heads: frozenset[str] | None = None
) -> list[Token]:
    """The analysed terms of ``text`` with their offsets: the one analysis function (see the module's note).
    ``han=False`` leaves Chinese runs out (a caller that finds Chinese words by itself); ``heads`` keeps only the
    other words that begin (lower-cased) with one of these two letters — a stem begins as its word does."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text or ""):
        if match.lastgroup == "han":
            if han:
                tokens.extend(_han_terms(match.group(), match.start(), for_query=for_query))
            continue
        word = match.group().lower()
        if match.lastgroup == "cyr":
            word = word.replace("ё", "е")
            if heads is None or word[:2] in heads:
                tokens.append(Token(_stem(word, "russian"), match.start(), match.end()))
        elif heads is None or word[:2] in heads:
            term = word if word.isdigit() else _stem(word, "english")
            tokens.append(Token(term, match.start(), match.end()))
    return tokens


def analyse(text: str, *, for_query: bool = False) -> list[str]:
    """The analysed terms of ``text``: what the index stores (``for_query=False``) or what a query looks for."""
    return [token.term for token in analyse_tokens(text, for_query=for_query)]


_WORD = re.compile(r"[\u0400-\u04ff]+|[0-9A-Za-z\u00c0-\u024f]+")
_WORD_GAP = re.compile(r"[\s\-‐–'’]*")  # what may stand between two words of one phrase


def word_runs(text: str) -> Iterator[list[tuple[str, str]]]:
    """The Russian and English words of ``text`` as runs that no punctuation or Chinese interrupts, each word as its
    analysed term and as written: where a phrase may be said."""
    run: list[tuple[str, str]] = []
    end = 0
    for match in _WORD.finditer(text or ""):
        if run and not _WORD_GAP.fullmatch(text, end, match.start()):
            yield run
            run = []
        word = match.group()
        if word[0] >= "\u0400" and word[0] <= "\u04ff":
            term = _stem(word.lower().replace("ё", "е"), "russian")
        else:
            term = word.lower() if word.isdigit() else _stem(word.lower(), "english")
        run.append((term, word))
        end = match.end()
    if run:
        yield run


_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
        strict=True,
    )
)


def latin_spelling(word: str) -> str:
    """A Russian word in Latin letters (арабидопсис → arabidopsis, сальмонелла → salmonella): how names of
    species, missions and places borrowed from Latin and English are spelt in the other languages."""
    return "".join(_LATIN.get(letter, letter).strip("-") for letter in word.lower())


def analysed_text(text: str) -> str:
    """``text`` as the index stores it: its analysed terms separated by spaces."""
    return " ".join(analyse(text))


def prefix_term(word: str) -> str:
    """A prefix as typed (``microgr*``): lower-cased and folded, not stemmed — stems keep a word's beginning."""
    return to_simplified(word.lower().replace("ё", "е"))


def _script_counts(text: str) -> dict[str, int]:
    """Letters of ``text`` per script, a Han character counting as two (a word is two characters, not five)."""
    counts = {"zh": 0, "ru": 0, "en": 0}
    for match in _TOKEN.finditer(text or ""):
        if match.lastgroup == "han":
            counts["zh"] += len(match.group()) * 2
        elif match.lastgroup == "cyr":
            counts["ru"] += len(match.group())
        elif not match.group().isdigit():
            counts["en"] += len(match.group())
    return counts


def script_of(text: str) -> str:
    """The main script of ``text``: ``zh``, ``ru``, ``en`` or ``""`` (the language a text most likely is)."""
    counts = _script_counts(text)
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else ""


def script_shares(text: str) -> dict[str, float]:
    """How much of ``text`` is in each script (``zh``, ``ru``, ``en``), as fractions summing to 1; empty without
    letters. A query may mix languages (骨质流失 bone loss)."""
    counts = _script_counts(text)
    total = sum(counts.values())
    return {script: count / total for script, count in counts.items() if count} if total else {}
