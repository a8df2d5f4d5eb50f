"""Hits as a page shows them: the title and a snippet in the language where the words were found (else the
reader's), the words found marked. Snippets are cut from the indexed text only — what every reader of the hit may
read — and escaped before the marks are added."""

from __future__ import annotations

from html import escape  # the standard library's, as Django's escape calls it, without its lazy-string wrapper

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from spacebridge.core.multilingual import MultilingualText, content_language
from spacebridge.search.analysis import HAN_CHARACTER, analyse_tokens, to_simplified
from spacebridge.search.labels import _type_label
from spacebridge.search.models import SearchDocument, SearchFacetValue
from spacebridge.search.query import ParsedQuery

SNIPPET_LENGTH = 240


def _matches(
    text: str, terms: set[str], prefixes: set[str], seen: dict[str, list] | None = None
) -> list[tuple[int, int]]:
    """The spans of ``text`` where the words looked for are (``seen``: the answers already found for texts of this
    page: analysing a text, Chinese above all, is the costly part of a page of hits)."""
    if seen is not None and text in seen:
        return seen[text]
    spans = []
    heads = frozenset(word[:2] for word in (*terms, *prefixes))
    for token in analyse_tokens(text, han=False, heads=heads):
        if token.term in terms or (prefixes and any(token.term.startswith(p) for p in prefixes)):
            spans.append((token.start, token.end))
    chinese = [word for word in (*terms, *prefixes) if HAN_CHARACTER.search(word)]
    if chinese and HAN_CHARACTER.search(text):
        # Chinese words found where they are written (in the text folded to Simplified): the same words as the
        # index's segmentation finds, for a fraction of its cost.
        folded = to_simplified(text)
        folded = folded if len(folded) == len(text) else text
        for word in chinese:
            start = folded.find(word)
            while start >= 0:
                spans.append((start, start + len(word)))
                start = folded.find(word, start + len(word))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    if seen is not None:
        seen[text] = merged
    return merged


def highlight(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> SafeString:
    """``text[start:end]`` escaped, with ``<mark>`` around each span."""
    end = len(text) if end is None else end
    parts, cursor = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # every piece above is escaped


def snippet(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """A window of the text around the first words found (or its beginning)."""
    if len(text) <= SNIPPET_LENGTH:
        return highlight(text, spans)
    centre = spans[0][0] if spans else 0
    start = max(0, centre - SNIPPET_LENGTH // 3)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space > start - 20 else start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > end - 20 else end
    return highlight(text, spans, start, end)


def _best_language(
    title: MultilingualText, summary: MultilingualText, terms: set[str], prefixes: set[str], seen: dict[str, list]
) -> str:
    own = content_language(get_language())
    languages = set(title.text) | set(summary.text)
    if not languages or own in title.text:
        return own  # the reader's own language when the document has it
    if len(languages) == 1:
        return next(iter(languages))
    found = {
        lang: len(_matches(title.text.get(lang, ""), terms, prefixes, seen))
        + len(_matches(summary.text.get(lang, ""), terms, prefixes, seen))
        for lang in languages
    }
    return max(found, key=lambda lang: (found[lang], lang == title.original))


def hits_for(ids: list[int], parsed: ParsedQuery) -> list:  # type: ignore[type-arg]
    from spacebridge.search.selectors import Hit

    # Plain values, not model rows: a page of hits is read on every search (only the columns shown; the index's own
    # columns are large).
    rows = {
        row[0]: row
        for row in SearchDocument.objects.filter(pk__in=ids).values_list(
            "pk", "kind", "ref", "type", "title", "summary", "url", "date", "year", "owner_party__short_name"
        )
    }
    languages: dict[int, list[str]] = {}
    for document_id, value in SearchFacetValue.objects.filter(
        document_id__in=list(rows), facet=SearchFacetValue.Facet.LANGUAGE
    ).values_list("document_id", "value"):
        languages.setdefault(document_id, []).append(value)
    terms, prefixes = parsed.terms(), parsed.prefixes()
    seen: dict[str, list] = {}
    hits = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            continue
        _pk, kind, ref, type_code, title_json, summary_json, url, day, year, owner = row
        title, summary = MultilingualText.from_json(title_json), MultilingualText.from_json(summary_json)
        language = _best_language(title, summary, terms, prefixes, seen)
        title_language, title_text = title.resolve(language)
        summary_text = summary.resolve(language)[1]
        hits.append(
            Hit(
                id=pk,
                kind=kind,
                ref=ref,
                type=type_code,
                type_label=_type_label(type_code),
                title=title_text,
                title_html=str(highlight(title_text, _matches(title_text, terms, prefixes, seen))),
                title_language=title_language,
                url=url,
                date=day,
                year=year,
                owner_party=owner or "",
                snippet=str(snippet(summary_text, _matches(summary_text, terms, prefixes, seen))),
                languages=sorted(languages.get(pk, [])),
            )
        )
    return hits
