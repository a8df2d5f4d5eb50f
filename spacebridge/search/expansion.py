"""Thesaurus expansion: query words that are a concept's label in one language also search the concept's labels in
the other languages (the registry's trilingual thesaurus), so 骨质流失 finds "bone loss" and "потеря костной массы".
A concept with few narrower concepts also searches theirs, in every language: "cardiovascular" finds the heart."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from django.db import connection

from spacebridge.records.models import Concept
from spacebridge.search.analysis import (
    HAN_CHARACTER,
    analyse,
    analyse_tokens,
    latin_spelling,
    prefix_term,
    script_of,
    to_simplified,
    word_runs,
)
from spacebridge.search.dictionary import english
from spacebridge.search.query import FUNCTION_WORDS, ParsedQuery, Term

LANGUAGES = ("zh", "en", "ru")
MAX_EXPANSIONS = 6  # runs of a query expanded (by the thesaurus or the dictionary), at most
# A concept with this many narrower concepts at most also searches theirs (cardiovascular system: heart, blood
# vessels); one with more is a heading (bacteria: every species flown), whose narrower concepts would crowd it out.
NARROWER_MAX = 3
LATIN_SPELLING_MIN = 5  # letters of a Russian word also searched in Latin letters: shorter ones (он → on) mislead
_CYRILLIC_WORD = re.compile(r"^[\u0400-\u04ff]+$")
_QUALIFIER = re.compile(r"\s*\([^)]*\)")
LOOSE_STEM = 6  # letters of a Russian or English stem that a loose match compares: кишечн(ый) ~ кишечн(ик)


def bare(label: str) -> str:
    """A label as a text says it: without its thesaurus qualifier ("plants (botany)" is "plants")."""
    return _QUALIFIER.sub("", label).strip() or label


def loose_key(terms: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The terms of a label or a query run, loosely: without function words, in no order, Russian and English stems
    cut to ``LOOSE_STEM`` letters. "кишечный микробиом" meets "микробиом кишечника", 飞行后康复 meets 飞行康复.
    Empty below two words: one word names a concept only exactly."""
    kept = {term if HAN_CHARACTER.search(term) else term[:LOOSE_STEM] for term in terms if term not in FUNCTION_WORDS}
    return tuple(sorted(kept)) if len(kept) > 1 else ()


def _acronym(text: str) -> bool:
    """RBE, LET, ОБЭ: found in a text only as written (capitals), never as the word "let"."""
    return " " not in text and len(text) <= 6 and text.isupper()


@dataclass(frozen=True)
class Label:
    code: str
    language: str
    text: str


def _thesaurus_stamp() -> tuple[int, ...]:
    """What changes when concepts or their hierarchy change (a thesaurus load adds and deletes rows in bulk), read in
    one query: the concepts' count and last id, the broader links' count and last id."""
    quote = connection.ops.quote_name
    concepts, links = quote(Concept._meta.db_table), quote(Concept.broader.through._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {concepts}), (SELECT MAX(id) FROM {concepts}),"
            f" (SELECT COUNT(*) FROM {links}), (SELECT MAX(id) FROM {links})"
        )
        return tuple(int(value or 0) for value in cursor.fetchone())


class LabelIndex:
    """Every concept label, analysed like a query, by its terms; rebuilt when the thesaurus changes. The labels as
    texts say them (``bare``) are also held for finding them in a document: Chinese ones by their first character
    (found in the text itself: word segmentation in context may cut them otherwise), the others by their first
    analysed term."""

    def __init__(self) -> None:
        self.stamp: tuple[int, ...] | None = None
        self.by_terms: dict[tuple[str, ...], list[Label]] = {}
        self.by_loose_key: dict[tuple[str, ...], list[Label]] = {}
        self.labels: dict[str, list[Label]] = {}
        self.longest = 0
        self.by_first_term: dict[str, list[tuple[tuple[str, ...], Label]]] = {}
        self.by_first_character: dict[str, list[tuple[str, Label]]] = {}
        self.narrower: dict[str, list[str]] = {}
        self.lock = threading.Lock()

    def load(self) -> None:
        stamp = _thesaurus_stamp()
        if stamp == self.stamp:
            return
        with self.lock:
            by_terms: dict[tuple[str, ...], list[Label]] = {}
            by_loose_key: dict[tuple[str, ...], list[Label]] = {}
            labels: dict[str, list[Label]] = {}
            by_first_term: dict[str, list[tuple[tuple[str, ...], Label]]] = {}
            by_first_character: dict[str, list[tuple[str, Label]]] = {}
            for concept in Concept.objects.only("code", "pref", "alt"):
                for language in LANGUAGES:
                    for text in concept.labels(language):
                        label = Label(concept.code, language, text)
                        labels.setdefault(concept.code, []).append(label)
                        for said in dict.fromkeys([text, bare(text)]):
                            terms = tuple(analyse(said, for_query=True))
                            if terms and label not in by_terms.get(terms, []):
                                by_terms.setdefault(terms, []).append(label)
                            if (key := loose_key(terms)) and label not in by_loose_key.get(key, []):
                                by_loose_key.setdefault(key, []).append(label)
                        said = bare(text)
                        if HAN_CHARACTER.search(said):
                            said = to_simplified("".join(said.split()))
                            if len(said) > 1:  # one character (脑) is part of too many other words
                                by_first_character.setdefault(said[0], []).append((said, label))
                        elif terms := tuple(analyse(said)):
                            by_first_term.setdefault(terms[0], []).append((terms, label))
            # A loose key that several concepts share names none of them.
            by_loose_key = {key: found for key, found in by_loose_key.items() if len({f.code for f in found}) == 1}
            self.by_terms, self.by_loose_key, self.labels, self.stamp = by_terms, by_loose_key, labels, stamp
            self.by_first_term, self.by_first_character = by_first_term, by_first_character
            self.longest = max((len(k) for k in by_terms), default=0)
            narrower: dict[str, list[str]] = {}
            for broad, narrow in Concept.broader.through.objects.values_list("to_concept__code", "from_concept__code"):
                narrower.setdefault(broad, []).append(narrow)
            self.narrower = {code: sorted(codes) for code, codes in narrower.items()}

    def clear(self) -> None:
        self.stamp = None


LABELS = LabelIndex()


def concepts_said(text: str) -> dict[str, set[str]]:
    """The concepts whose label ``text`` says (any language, any label), each with the labels it says. ``LABELS``
    must be loaded (the caller loads it once for a batch of documents)."""
    found: dict[str, set[str]] = {}
    if HAN_CHARACTER.search(text):
        simplified = to_simplified(text)
        for at, character in enumerate(simplified):
            for said, label in LABELS.by_first_character.get(character, ()):
                if simplified.startswith(said, at):
                    found.setdefault(label.code, set()).add(label.text)
    for run in word_runs(text):
        terms = [term for term, _word in run]
        for at, term in enumerate(terms):
            for label_terms, label in LABELS.by_first_term.get(term, ()):
                end = at + len(label_terms)
                if tuple(terms[at:end]) != label_terms:
                    continue
                if _acronym(bare(label.text)) and run[at][1] != bare(label.text):
                    continue
                found.setdefault(label.code, set()).add(label.text)
    return found


def concept_labels(found: dict[str, set[str]]) -> list[str]:
    """The labels, in every language, of the concepts ``found`` in a document, but those it says already: what
    the document is indexed with besides its words, so that 骨质流失 finds the English paper on bone loss."""
    return [
        bare(label.text)
        for code, said in found.items()
        for label in LABELS.labels.get(code, [])
        if label.text not in said
    ]


def _simple(clause: list[Term]) -> bool:
    return len(clause) == 1 and not clause[0].phrase and not clause[0].prefix


def _match_at(clauses: list[list[Term]], start: int) -> tuple[int, list[Label]] | None:
    """The longest run of simple clauses from ``start`` whose terms are some concept's label: exactly, or loosely
    (``loose_key``) when that names one concept only."""
    terms: list[str] = []
    best = None
    for end in range(start, len(clauses)):
        if not _simple(clauses[end]):
            break
        terms += clauses[end][0].terms
        if len(terms) > LABELS.longest:
            break
        found = LABELS.by_terms.get(tuple(terms))
        if not found and terms[0] not in FUNCTION_WORDS and terms[-1] not in FUNCTION_WORDS:
            found = LABELS.by_loose_key.get(loose_key(terms))
        if found:
            best = (end + 1, found)
    return best


def _split(clauses: list[list[Term]]) -> list[list[Term]]:
    """A Chinese run like 航天员骨密度 is one word for the parser but several terms, all required: as one clause
    per term it means the same, and a concept label can then match part of it (骨密度)."""
    split: list[list[Term]] = []
    for clause in clauses:
        if _simple(clause) and len(clause[0].terms) > 1:
            # Each term keeps its word as written (сердечно-сосудистые: "сердечно", not the stem "сердечн").
            written = {
                token.term: clause[0].text[token.start : token.end]
                for token in analyse_tokens(clause[0].text, for_query=True)
            }
            split += [[Term(written.get(term, term), [term])] for term in clause[0].terms]
        else:
            split.append(clause)
    return split


def _typed(clause: list[Term]) -> str:
    """The words of a clause as typed (its alternatives, a prefix without its star)."""
    return " ".join(term.text.rstrip("*") if term.prefix else term.text for term in clause)


def _glosses(clause: list[Term]) -> list[str]:
    """The English glosses of a clause that is one Chinese word (or run) the thesaurus does not name."""
    if not _simple(clause) or script_of(clause[0].text) != "zh" or not HAN_CHARACTER.search(clause[0].text):
        return []
    word = to_simplified(clause[0].text)
    return [gloss for gloss in english(word) if analyse(gloss, for_query=True)]


def _with_latin_spelling(clause: list[Term]) -> list[Term]:
    """A Russian word that names no concept also searched as spelt in Latin letters: the name of a species or a
    mission (арабидопсис, сальмонелла, Бион) finds the English papers that name it."""
    if not _simple(clause) or not _CYRILLIC_WORD.match(clause[0].text) or len(clause[0].text) < LATIN_SPELLING_MIN:
        return clause
    word = clause[0].text
    spelt = latin_spelling(word)
    alternatives = [*clause, Term(spelt, analyse(spelt, for_query=True))]
    # Inflected (сальмонеллы): the stem's spelling as the beginning of a word (salmonell*).
    stem = latin_spelling(clause[0].terms[0])
    if len(stem) >= LATIN_SPELLING_MIN and stem != spelt:
        alternatives.append(Term(stem + "*", [prefix_term(stem)], prefix=True))
    return alternatives


def expand(parsed: ParsedQuery) -> ParsedQuery:
    """Add, to each run of query words that names a concept, the concept's labels in the other languages, and the
    labels of its narrower concepts (``NARROWER_MAX`` at most)."""
    if not parsed.clauses:
        return parsed
    LABELS.load()
    parsed.clauses = _split(parsed.clauses)
    clauses: list[list[Term]] = []
    segments: list[tuple[str, dict[str, str]]] = []
    index = expanded = 0
    while index < len(parsed.clauses):
        match = _match_at(parsed.clauses, index) if expanded < MAX_EXPANSIONS else None
        if match is None:
            clause = parsed.clauses[index]
            glosses = _glosses(clause)
            if glosses:  # a Chinese word the thesaurus does not name: its English glosses (CC-CEDICT) too
                clauses.append([*clause, *(Term(g, analyse(g, for_query=True), phrase=" " in g) for g in glosses)])
                segments.append((_typed(clause), {"en": glosses[0]}))
                parsed.expansions.append(("", {"en": ", ".join(glosses)}))
                expanded += 1
            else:
                clauses.append(_with_latin_spelling(clause))
                segments.append((_typed(clause), {}))
            index += 1
            continue
        end, found = match
        words = [term for clause in parsed.clauses[index:end] for term in clause]
        typed = ("" if script_of(words[0].text) == "zh" else " ").join(term.text for term in words)
        own = script_of(typed)
        # The typed words stay one alternative (all of them); each other label is a phrase.
        typed_terms = [t for term in words for t in term.terms]
        original = Term(typed, [t for t in typed_terms if t not in FUNCTION_WORDS] or typed_terms)
        alternatives = [original]
        named: dict[str, str] = {}  # the run in each language: the first label found in it
        seen = {tuple(original.terms)}
        for code in dict.fromkeys(label.code for label in found):
            narrower = LABELS.narrower.get(code, [])
            for concept in [code, *(narrower if len(narrower) <= NARROWER_MAX else [])]:
                # The labels the page shows: the concept's in the other languages, a narrower concept's in all.
                shown: dict[str, str] = {}
                for label in LABELS.labels.get(concept, []):
                    if concept == code:
                        named.setdefault(label.language, bare(label.text))
                    terms = analyse(bare(label.text), for_query=True)
                    if not terms or tuple(terms) in seen:
                        continue
                    seen.add(tuple(terms))
                    # Chinese labels as all-words: search-mode segmentation of the documents interleaves sub-words.
                    phrase = len(terms) > 1 and label.language != "zh"
                    alternatives.append(Term(bare(label.text), terms, phrase=phrase))
                    if label.language != own or concept != code:
                        shown.setdefault(label.language, label.text)
                # Said once, though the query names it twice (retina and eye: the retina is part of the eye).
                if all(concept != listed for listed, _shown in parsed.expansions):
                    parsed.expansions.append((concept, shown))
        expanded += 1
        clauses.append(alternatives)
        segments.append((typed, named))
        index = end
    # A function word alone ("в", "of") is said to the model but not required of a document.
    parsed.clauses = [clause for clause in clauses if not _function_word(clause)] or clauses
    parsed.segments = segments
    return parsed


def _function_word(clause: list[Term]) -> bool:
    return _simple(clause) and len(clause[0].terms) == 1 and clause[0].terms[0] in FUNCTION_WORDS
