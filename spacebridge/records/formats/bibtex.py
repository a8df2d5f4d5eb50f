"""BibTeX (biblatex fields): the citation format of LaTeX writers.

The title, abstract and keywords are written in the record's original language, each translation in a field named
after its language (``title_zh``, ``abstract_ru``, ``keywords_en``), and the language itself in ``langid``. Text is
escaped so that every brace, backslash and special character survives a LaTeX run and a round trip; the reader also
decodes LaTeX written by other tools (``M{\\"u}ller``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import bibtexparser
from django.utils.translation import gettext as _
from pylatexenc.latex2text import LatexNodes2Text

from spacebridge.records.formats import ExportFormat, ImportFormat, SourceEntry, register_export, register_import
from spacebridge.records.formats.crosswalk import creator_role, is_creator, join_keywords, split_keywords
from spacebridge.records.formats.exported import REFERENCE_PATTERN, ExportedRecord, exported_records
from spacebridge.records.models import Record

ENTRY_TYPES = {
    "publication": "article",
    "dataset": "dataset",
    "technology": "misc",
    "patent": "patent",
    "software": "software",
    "clinical_protocol": "misc",
    "report": "techreport",
    "presentation": "misc",
}
RECORD_TYPES = {
    "article": "publication",
    "inproceedings": "publication",
    "conference": "publication",
    "incollection": "publication",
    "inbook": "publication",
    "book": "publication",
    "phdthesis": "publication",
    "mastersthesis": "publication",
    "thesis": "publication",
    "unpublished": "publication",
    "techreport": "report",
    "report": "report",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
}
LANGIDS = {"en": "english", "zh": "chinese", "ru": "russian", "fr": "french", "es": "spanish", "ar": "arabic"}
LANGUAGES = {name: code for code, name in LANGIDS.items()}
# Roles that BibTeX has no field for travel in fields named after the role.
ROLE_FIELDS = ("investigator", "contact", "other")

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_CHARS = re.compile(r"[\\{}&%$#_~^]")


def escape(text: str) -> str:
    """Text as a braced BibTeX value: LaTeX's special characters escaped, braces balanced."""
    return _SPECIAL_CHARS.sub(lambda m: _SPECIAL[m.group(0)], text)


def _verbatim(text: str) -> str:
    """URLs and identifiers are verbatim fields: only braces, which would unbalance the value, are encoded."""
    return text.replace("{", "%7B").replace("}", "%7D")


_OWN_ESCAPES = re.compile(r"\\([&%$#_{}])|\\(textbackslash|textasciitilde|textasciicircum)\{\}|([{}])")
_OWN_WORDS = {"textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^"}
_LATEX = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def unescape(value: str) -> str:
    """Plain text of a BibTeX value: this writer's escapes exactly, other LaTeX through a LaTeX-to-text decoder."""
    if "\\" in _OWN_ESCAPES.sub("", value):
        return _LATEX.latex_to_text(value)
    return _OWN_ESCAPES.sub(lambda m: m.group(1) or _OWN_WORDS.get(m.group(2) or "", ""), value)


def _names(names: list[str]) -> str:
    # A name holding " and " (an organisation) is braced whole, so it is not split into two people.
    return " and ".join("{" + escape(n) + "}" if re.search(r"\sand\s", n, re.I) else escape(n) for n in names)


def _fields(record: ExportedRecord) -> list[tuple[str, str]]:
    language = record.language
    fields = [("title", escape(record.title.text.get(language) or record.title.get(language)))]
    fields += [(f"title_{lang}", escape(text)) for lang, text in record.title.text.items() if lang != language]
    creators = [c.name for c in record.contributors if is_creator(c.role, record.type)]
    editors = [c.name for c in record.contributors if c.role == "editor"]
    if creators:
        fields.append(("author", _names(creators)))
    if editors:
        fields.append(("editor", _names(editors)))
    for role in ROLE_FIELDS:
        named = [c.name for c in record.contributors if c.role == role]
        if named:
            fields.append((role, _names(named)))
    if record.published_on:
        fields += [("year", str(record.published_on.year)), ("date", record.published_on.isoformat())]
    for lang, text in record.abstract.text.items():
        fields.append(("abstract" if lang == language else f"abstract_{lang}", escape(text)))
    for lang, words in record.keywords.items():
        fields.append(("keywords" if lang == language else f"keywords_{lang}", escape(join_keywords(words))))
    if record.subjects:
        fields.append(("subjects", escape(", ".join(c.code for c in record.subjects))))
    fields.append(("langid", LANGIDS.get(language, language)))
    for scheme, name in (("doi", "doi"), ("pmid", "pmid"), ("pmcid", "pmcid"), ("isbn", "isbn"), ("patent", "number")):
        values = record.identifier_values(scheme)
        if values:
            fields.append((name, _verbatim(values[0])))
    urls = record.identifier_values("url")
    fields.append(("url", _verbatim(urls[0] if urls else record.url)))
    if len(urls) > 1:
        fields.append(("urls", _verbatim(" ".join(urls))))
    if record.licence:
        fields.append(("license", escape(record.licence)))
    fields += [("recordtype", record.type), ("publisher", escape(record.owner_party_name))]
    return fields


def entry_text(record: ExportedRecord) -> str:
    fields = _fields(record)
    width = max(len(name) for name, _value in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{ENTRY_TYPES.get(record.type, 'misc')}{{{record.reference},\n{body}\n}}\n"


def render(records: list[Record]) -> str:
    return "\n".join(entry_text(r) for r in exported_records(records))


def _split_names(value: str) -> list[str]:
    names, depth, current = [], 0, []
    tokens = re.split(r"(\{|\}|\s+and\s+)", value, flags=re.I)
    for token in tokens:
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        if depth == 0 and re.fullmatch(r"\s+and\s+", token or "", flags=re.I):
            names.append("".join(current))
            current = []
        else:
            current.append(token or "")
    names.append("".join(current))
    return [_clean(unescape(n)) for n in names if n.strip()]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _paragraphs(text: str) -> str:
    """Hard-wrapped BibTeX text: single line breaks are spaces, blank lines stay paragraph breaks."""
    return "\n\n".join(_clean(p) for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


def entry_of(entry_type: str, key: str, raw: dict[str, str]) -> dict[str, Any]:
    """The JSON Lines entry of one BibTeX entry (field names lower-cased)."""
    langid = raw.get("langid") or raw.get("language") or "english"
    language = LANGUAGES.get(langid.strip().lower(), langid.strip().lower()[:2] or "en")
    record_type = raw.get("recordtype", "").strip() or RECORD_TYPES.get(entry_type, "publication")
    entry: dict[str, Any] = {"type": record_type, "language": language}
    if REFERENCE_PATTERN.match(key):
        entry["reference"] = key
    title: dict[str, str] = {}
    abstract: dict[str, str] = {}
    keywords: dict[str, list[str]] = {}
    for name, value in raw.items():
        field, _sep, lang = name.partition("_")
        lang = lang or language
        if field == "title":
            title[lang] = _clean(unescape(value))
        elif field == "abstract":
            abstract[lang] = _paragraphs(unescape(value))
        elif field == "keywords":
            keywords[lang] = split_keywords(unescape(value))
    entry["title"] = title
    if abstract:
        entry["abstract"] = abstract
    if keywords:
        entry["keywords"] = keywords
    contributors = [{"name": n, "role": creator_role(record_type)} for n in _split_names(raw.get("author", ""))]
    contributors += [{"name": n, "role": "editor"} for n in _split_names(raw.get("editor", ""))]
    for role in ROLE_FIELDS:
        contributors += [{"name": n, "role": role} for n in _split_names(raw.get(role, ""))]
    if contributors:
        entry["contributors"] = contributors
    if raw.get("subjects"):
        entry["subjects"] = [s.strip() for s in unescape(raw["subjects"]).split(",") if s.strip()]
    identifiers = []
    for scheme, name in (("doi", "doi"), ("pmid", "pmid"), ("pmcid", "pmcid"), ("isbn", "isbn")):
        if raw.get(name, "").strip():
            identifiers.append({"scheme": scheme, "value": raw[name].strip()})
    if record_type == "patent" and raw.get("number", "").strip():
        identifiers.append({"scheme": "patent", "value": raw["number"].strip()})
    urls = [raw.get("url", "").strip(), *raw.get("urls", "").split()]
    identifiers += [{"scheme": "url", "value": u} for u in dict.fromkeys(u for u in urls if u)]
    if identifiers:
        entry["identifiers"] = identifiers
    if raw.get("date", "").strip():
        entry["published"] = raw["date"].strip()
    elif raw.get("year", "").strip():
        entry["published"] = raw["year"].strip()
    if licence := (raw.get("license") or raw.get("licence") or "").strip():
        entry["licence"] = unescape(licence)
    return entry


def read(text: str) -> Iterator[SourceEntry]:
    library = bibtexparser.parse_string(text)
    blocks = [(block.start_line + 1, block) for block in [*library.entries, *library.failed_blocks]]
    for line, block in sorted(blocks, key=lambda item: item[0]):
        if isinstance(block, bibtexparser.model.Entry):
            raw = {f.key.lower(): str(f.value) for f in block.fields}
            yield SourceEntry(line, entry_of(block.entry_type.lower(), block.key, raw))
        else:
            yield SourceEntry(
                line, error=_("not a readable BibTeX entry (%(problem)s)") % {"problem": block.error.__class__.__name__}
            )


register_export(
    ExportFormat(name="bibtex", label="BibTeX", media_type="application/x-bibtex", extension="bib", render=render)
)
register_import(ImportFormat(name="bibtex", label="BibTeX", read=read))
