"""Hits as a page shows them: the title and a snippet in the language where the words were found (else the
reader's), the words found marked. Snippets are cut from the indexed text only — what every reader of the hit may
read — and escaped before the marks are added."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from spacebridge.core.multilingual import MultilingualText, content_language
from spacebridge.search.analysis import analyse_tokens
from spacebridge.search.labels import _type_label
from spacebridge.search.models import SearchDocument
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
    for token in analyse_tokens(text):
        if token.term in terms or any(token.term.startswith(p) for p in prefixes):
            spans.append((token.start, token.end))
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
    found = {
        lang: len(_matches(title.text.get(lang, ""), terms, prefixes, seen))
        + len(_matches(summary.text.get(lang, ""), terms, prefixes, seen))
        for lang in languages
    }
    return max(found, key=lambda lang: (found[lang], lang == title.original))


def hits_for(ids: list[int], parsed: ParsedQuery) -> list:  # type: ignore[type-arg]
    from spacebridge.search.selectors import Hit

    rows = {
        row.pk: row
        for row in SearchDocument.objects.filter(pk__in=ids)
        .defer("terms_title", "terms_body", "embedding")  # the index's own columns: large, not shown
        .select_related("owner_party")
        .prefetch_related("facet_values")
    }
    terms, prefixes = parsed.terms(), parsed.prefixes()
    seen: dict[str, list] = {}
    hits = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            continue
        title, summary = MultilingualText.from_json(row.title), MultilingualText.from_json(row.summary)
        language = _best_language(title, summary, terms, prefixes, seen)
        title_language, title_text = title.resolve(language)
        summary_text = summary.resolve(language)[1]
        hits.append(
            Hit(
                id=row.pk,
                kind=row.kind,
                ref=row.ref,
                type=row.type,
                type_label=_type_label(row.type),
                title=title_text,
                title_html=str(highlight(title_text, _matches(title_text, terms, prefixes, seen))),
                title_language=title_language,
                url=row.url,
                date=row.date,
                year=row.year,
                owner_party=row.owner_party.short_name if row.owner_party else "",
                snippet=str(snippet(summary_text, _matches(summary_text, terms, prefixes, seen))),
                languages=sorted(v.value for v in row.facet_values.all() if v.facet == "lang"),
            )
        )
    return hits
