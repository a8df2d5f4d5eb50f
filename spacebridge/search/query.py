"""The query language: words (all must match), "phrases", OR, -exclusion, prefix*, and field filters
``type:`` ``party:`` ``subject:`` ``year:`` ``lang:``. Parsing never fails: what cannot be understood is searched
as plain words, or set aside with a note (an impossible year, say)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacebridge.search.analysis import analyse, script_of

FIELDS = ("type", "party", "subject", "year", "lang")
MAX_QUERY_LENGTH = 500
MAX_CLAUSES = 32

_PIECE = re.compile(
    r"""(?P<neg>-)?(?:(?P<field>[A-Za-z]+):(?:"(?P<fquoted>[^"]*)"?|(?P<fvalue>[^\s"]*))"""
    r"""|"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))"""
)
# Chinese function words a query may hold between its words (微重力下…, …与…): not required of a document.
CHINESE_FUNCTION_WORDS = frozenset("的 下 与 和 及 在 中 后 对 之 于 了 或 其 等".split())
# Words that only join others (analysed): not required of a document when the query has other words.
FUNCTION_WORDS = CHINESE_FUNCTION_WORDS | frozenset(
    "в во на и при у с со к за по для от из о об а of in on at to for and the a an with by from under".split()
)
_HAN_START = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HAN_END = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]$")
_YEAR = re.compile(r"^(\d{4})(?:(?:-|\.\.)(\d{4}))?$")


@dataclass
class Term:
    """One thing to look for: an analysed word (several terms for a Chinese run: all must appear), a phrase (its
    terms next to each other) or a prefix."""

    text: str
    terms: list[str]
    phrase: bool = False
    prefix: bool = False


@dataclass
class ParsedQuery:
    # All clauses must match; a clause matches when any of its alternatives does.
    clauses: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    years: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    free_text: str = ""  # what the words say, for the semantic model
    # Thesaurus expansion: [(concept code, {language: label})] the search also looked for.
    expansions: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    relaxed: bool = False  # no document had every word: documents with some of them were searched
    # The words typed, run by run, with each run's thesaurus labels by language ({} when it names no concept).
    segments: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return bool(self.clauses)

    @property
    def is_empty(self) -> bool:
        return not self.clauses and not self.excluded and not self.filters and not self.years

    def text_in(self, language: str) -> str:
        """The words typed, each run that names a thesaurus concept said in ``language`` (as typed where the
        concept has no label in it, or the run is already in it), without the other language's words that only join
        others: what the semantic model reads."""
        if not self.segments:
            return self.free_text
        text = ""
        translated = any(language in labels and script_of(typed) != language for typed, labels in self.segments)
        for typed, labels in self.segments:
            own = script_of(typed) == language
            if translated and not own and not labels and _joins_only(typed):
                continue  # в, 下 between words said in another language only pull them apart
            piece = typed if own else labels.get(language, typed)
            glue = "" if not text or (_HAN_END.search(text) and _HAN_START.match(piece)) else " "
            text += glue + piece
        return text

    def terms(self) -> set[str]:
        """Every analysed term looked for (for highlighting)."""
        return {t for clause in self.clauses for term in clause for t in term.terms}

    def prefixes(self) -> set[str]:
        return {t for clause in self.clauses for term in clause if term.prefix for t in term.terms}


def _joins_only(text: str) -> bool:
    """The words only join others (в, 下, of)."""
    terms = analyse(text, for_query=True)
    return bool(terms) and all(term in FUNCTION_WORDS for term in terms)


def _term(text: str, *, phrase: bool = False) -> Term | None:
    text = text.strip()
    prefix = not phrase and len(text) > 1 and text.endswith("*")
    terms = analyse(text.rstrip("*") if prefix else text, for_query=True)
    if not phrase and len(terms) > 1:
        terms = [t for t in terms if t not in CHINESE_FUNCTION_WORDS] or terms
    if not terms:
        return None
    if prefix:
        # Analysed like any word (a stem is a prefix of its word); the last term is left open.
        return Term(text, terms, prefix=True)
    return Term(text, terms, phrase=phrase and len(terms) > 1)


def _add_filter(parsed: ParsedQuery, name: str, value: str) -> None:
    value = value.strip().strip('"')
    if not value:
        return
    if name == "year":
        match = _YEAR.match(value)
        if not match:
            parsed.notes.append(f"year:{value}")
            return
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        parsed.years.append((min(first, last), max(first, last)))
        return
    parsed.filters.setdefault(name, []).append(value[:100].lower() if name != "subject" else value[:100])


def parse(query: str) -> ParsedQuery:
    """Parse ``query``; never raises."""
    parsed = ParsedQuery()
    text = (query or "").replace("\x00", " ")[:MAX_QUERY_LENGTH]
    free: list[str] = []
    pending_or = False
    for match in _PIECE.finditer(text):
        negated = bool(match.group("neg"))
        name = (match.group("field") or "").lower()
        if name:
            value = match.group("fquoted") if match.group("fquoted") is not None else match.group("fvalue") or ""
            if name in FIELDS and not negated:
                _add_filter(parsed, name, value)
                continue
            word, phrase = f"{name} {value}", False  # not a field we know: its words are searched
        elif match.group("phrase") is not None:
            word, phrase = match.group("phrase"), True
        else:
            word, phrase = match.group("word") or "", False
            if not negated and word == "OR":
                pending_or = bool(parsed.clauses)
                continue
            if not negated and word in {"AND", "&&"}:
                continue
            if not negated and word == "NOT":
                continue
        term = _term(word, phrase=phrase)
        if term is None:
            continue
        if negated:
            parsed.excluded.append(term)
        elif pending_or and parsed.clauses:
            parsed.clauses[-1].append(term)
            free.append(word)
        elif len(parsed.clauses) < MAX_CLAUSES:
            parsed.clauses.append([term])
            free.append(word)
        pending_or = False
    parsed.free_text = " ".join(free)
    return parsed


# ----------------------------------------------------------------------------------------------------------------
# Compilation for the back ends: SQLite FTS5 MATCH expressions and PostgreSQL tsquery text.
# ----------------------------------------------------------------------------------------------------------------


def _fts_term(term: Term) -> str:
    quoted = ['"' + t.replace('"', '""') + '"' for t in term.terms]
    if term.phrase:
        return '"' + " ".join(t.replace('"', '""') for t in term.terms) + '"'
    if term.prefix:
        quoted[-1] += "*"
    return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"


def _fts_any(terms: list[Term]) -> str:
    parts = [_fts_term(term) for term in terms]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def fts5_match(clauses: list[list[Term]]) -> str:
    """An FTS5 MATCH expression: every clause, each any of its alternatives."""
    return " AND ".join(_fts_any(clause) for clause in clauses)


def _ts_quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_term(term: Term) -> str:
    quoted = [_ts_quote(t) for t in term.terms]
    if term.prefix:
        quoted[-1] += ":*"
    if len(quoted) == 1:
        return quoted[0]
    return "(" + (" <-> " if term.phrase else " & ").join(quoted) + ")"


def _ts_any(terms: list[Term]) -> str:
    parts = [_ts_term(term) for term in terms]
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def tsquery(clauses: list[list[Term]]) -> str:
    """The same as ``fts5_match`` as PostgreSQL ``to_tsquery('simple', …)`` text."""
    return " & ".join(_ts_any(clause) for clause in clauses)
