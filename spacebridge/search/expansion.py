"""Thesaurus expansion: query words that are a concept's label in one language also search the concept's labels in
the other languages (the registry's trilingual thesaurus), so 骨质流失 finds "bone loss" and "потеря костной массы"."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from spacebridge.records.models import Concept
from spacebridge.search.analysis import analyse, script_of
from spacebridge.search.query import ParsedQuery, Term

LANGUAGES = ("zh", "en", "ru")
MAX_EXPANSIONS = 6


@dataclass(frozen=True)
class Label:
    code: str
    language: str
    text: str


class LabelIndex:
    """Every concept label, analysed like a query, by its terms; rebuilt when the thesaurus changes."""

    def __init__(self) -> None:
        self.stamp: tuple[int, int] | None = None
        self.by_terms: dict[tuple[str, ...], list[Label]] = {}
        self.labels: dict[str, list[Label]] = {}
        self.longest = 0
        self.lock = threading.Lock()

    def load(self) -> None:
        stamp = (Concept.objects.count(), Concept.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
        if stamp == self.stamp:
            return
        with self.lock:
            by_terms: dict[tuple[str, ...], list[Label]] = {}
            labels: dict[str, list[Label]] = {}
            for concept in Concept.objects.only("code", "pref", "alt"):
                for language in LANGUAGES:
                    for text in concept.labels(language):
                        label = Label(concept.code, language, text)
                        labels.setdefault(concept.code, []).append(label)
                        terms = tuple(analyse(text, for_query=True))
                        if terms:
                            by_terms.setdefault(terms, []).append(label)
            self.by_terms, self.labels, self.stamp = by_terms, labels, stamp
            self.longest = max((len(k) for k in by_terms), default=0)

    def clear(self) -> None:
        self.stamp = None


LABELS = LabelIndex()


def _simple(clause: list[Term]) -> bool:
    return len(clause) == 1 and not clause[0].phrase and not clause[0].prefix


def _match_at(clauses: list[list[Term]], start: int) -> tuple[int, list[Label]] | None:
    """The longest run of simple clauses from ``start`` whose terms are exactly some concept's label."""
    terms: list[str] = []
    best = None
    for end in range(start, len(clauses)):
        if not _simple(clauses[end]):
            break
        terms += clauses[end][0].terms
        if len(terms) > LABELS.longest:
            break
        found = LABELS.by_terms.get(tuple(terms))
        if found:
            best = (end + 1, found)
    return best


def _split(clauses: list[list[Term]]) -> list[list[Term]]:
    """A Chinese run like 航天员骨密度 is one word for the parser but several terms, all required: as one clause
    per term it means the same, and a concept label can then match part of it (骨密度)."""
    split: list[list[Term]] = []
    for clause in clauses:
        if _simple(clause) and len(clause[0].terms) > 1:
            split += [[Term(term, [term])] for term in clause[0].terms]
        else:
            split.append(clause)
    return split


def _typed(clause: list[Term]) -> str:
    """The words of a clause as typed (its alternatives, a prefix without its star)."""
    return " ".join(term.text.rstrip("*") if term.prefix else term.text for term in clause)


def expand(parsed: ParsedQuery) -> ParsedQuery:
    """Add, to each run of query words that names a concept, the concept's labels in the other languages."""
    if not parsed.clauses:
        return parsed
    LABELS.load()
    parsed.clauses = _split(parsed.clauses)
    clauses: list[list[Term]] = []
    segments: list[tuple[str, dict[str, str]]] = []
    index = 0
    while index < len(parsed.clauses):
        match = _match_at(parsed.clauses, index) if len(parsed.expansions) < MAX_EXPANSIONS else None
        if match is None:
            clauses.append(parsed.clauses[index])
            segments.append((_typed(parsed.clauses[index]), {}))
            index += 1
            continue
        end, found = match
        words = [term for clause in parsed.clauses[index:end] for term in clause]
        typed = ("" if script_of(words[0].text) == "zh" else " ").join(term.text for term in words)
        own = script_of(typed)
        # The typed words stay one alternative (all of them); each other label is a phrase.
        original = Term(typed, [t for term in words for t in term.terms])
        alternatives = [original]
        shown: dict[str, str] = {}
        named: dict[str, str] = {}  # the run in each language: the first label found in it
        seen = {tuple(original.terms)}
        for code in dict.fromkeys(label.code for label in found):
            for label in LABELS.labels.get(code, []):
                named.setdefault(label.language, label.text)
                terms = analyse(label.text, for_query=True)
                if not terms or tuple(terms) in seen:
                    continue
                seen.add(tuple(terms))
                # Chinese labels as all-words: search-mode segmentation of the documents interleaves sub-words.
                phrase = len(terms) > 1 and label.language != "zh"
                alternatives.append(Term(label.text, terms, phrase=phrase))
                if label.language != own:
                    shown.setdefault(label.language, label.text)
            parsed.expansions.append((code, shown))
            shown = {}
        clauses.append(alternatives)
        segments.append((typed, named))
        index = end
    parsed.clauses = clauses
    parsed.segments = segments
    return parsed
