#!/usr/bin/env python3
"""Validate the Spacebridge trilingual space-medicine thesaurus (thesaurus.json) and print statistics.

Standard library only.  Usage:
    python spacebridge/records/data/check_thesaurus.py [path/to/thesaurus.json]

Exit status 0 when every check passes, 1 otherwise.  Checks:
  * document shape: "source", "licence", "concepts"; at least MIN_CONCEPTS concepts;
  * ids unique and well formed ("nasa-<number>" or "sb-<4 digits>"); the "nasa" field is
    "nasa-thesaurus#<same number>" for nasa- ids and null for sb- ids;
  * pref labels present and non-empty in en, zh and ru; zh labels are Simplified Chinese (contain
    CJK, no Cyrillic, none of a list of Traditional-only characters); ru labels contain Cyrillic and no CJK;
  * no duplicate pref label within a language (case- and whitespace-insensitive);
  * alt labels: only en/zh/ru, lists of non-empty strings, no repeats, never equal to the concept's own pref
    nor to another concept's pref in the same language;
  * broader and related ids resolve, no self links, related never duplicates a broader link,
    related links are symmetric;
  * the broader graph has no cycles; the number of top concepts (no broader) is within TOP_RANGE;
  * notation, when present, is unique;
  * at least MIN_ZH_RU_ALT concepts have an alt label in zh or ru.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

LANGS = ("en", "zh", "ru")
MIN_CONCEPTS = 300
TOP_RANGE = (12, 20)
MIN_ZH_RU_ALT = 150
ID_RE = re.compile(r"^(?:nasa-(\d+)|sb-(\d{4}))$")
NOTATION_RE = re.compile(r"^[A-Z]+(?:\.\d+)+$")
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CYR_RE = re.compile(r"[\u0400-\u04ff]")
# Characters that exist only in Traditional Chinese (their Simplified forms differ).
TRADITIONAL = set(
    "與為這個們來學體醫發經氣環護療腦聽職營養衛產應變測試驗據術輻線細動運練選織質壓臟飛員隊遠網監儀態歷傳廢離艙備劑藥診斷關係適壞損傷隨機轉錄組電聲視覺節調癥銀訓導"
    "蟲歲實險齡錯頭顯統紀類參極圖書樣處區權題標準價報農時間問號幾還進過邊軍種數壓燈檢礙衝熱"
)


def norm(label: str) -> str:
    return " ".join(unicodedata.normalize("NFC", label).split()).casefold()


def check(doc: dict) -> tuple[list[str], dict]:
    errors: list[str] = []
    err = errors.append

    for key in ("source", "licence", "concepts"):
        if key not in doc:
            err(f"document: missing key {key!r}")
    concepts = doc.get("concepts") or []
    if not isinstance(concepts, list):
        return [*errors, "document: 'concepts' is not a list"], {}
    if len(concepts) < MIN_CONCEPTS:
        err(f"document: {len(concepts)} concepts, at least {MIN_CONCEPTS} required")

    by_id: dict[str, dict] = {}
    for i, c in enumerate(concepts):
        cid = c.get("id")
        m = ID_RE.match(cid or "")
        if not m:
            err(f"concept #{i}: bad id {cid!r}")
            continue
        if cid in by_id:
            err(f"{cid}: duplicate id")
        by_id[cid] = c
        nasa = c.get("nasa", "<missing>")
        if m.group(1):
            if nasa != f"nasa-thesaurus#{m.group(1)}":
                err(f"{cid}: 'nasa' should be 'nasa-thesaurus#{m.group(1)}', not {nasa!r}")
        elif nasa is not None:
            err(f"{cid}: 'nasa' should be null for an added concept, not {nasa!r}")

    # labels
    seen_pref: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for cid, c in by_id.items():
        pref = c.get("pref")
        if not isinstance(pref, dict):
            err(f"{cid}: 'pref' missing")
            continue
        for lang in LANGS:
            label = pref.get(lang)
            if not isinstance(label, str) or not label.strip():
                err(f"{cid}: no pref label in {lang}")
                continue
            if label != label.strip() or "  " in label:
                err(f"{cid}: stray whitespace in pref[{lang}] {label!r}")
            key = norm(label)
            if key in seen_pref[lang]:
                err(f"{cid}: pref[{lang}] {label!r} duplicates {seen_pref[lang][key]}")
            seen_pref[lang][key] = cid
        extra = set(pref) - set(LANGS)
        if extra:
            err(f"{cid}: pref has unexpected languages {sorted(extra)}")
        alt = c.get("alt", {})
        if not isinstance(alt, dict):
            err(f"{cid}: 'alt' is not an object")
            alt = {}
        extra = set(alt) - set(LANGS)
        if extra:
            err(f"{cid}: alt has unexpected languages {sorted(extra)}")
        for lang, labels in alt.items():
            if not isinstance(labels, list) or not all(isinstance(a, str) and a.strip() for a in labels):
                err(f"{cid}: alt[{lang}] must be a list of non-empty strings")
                continue
            keys = [norm(a) for a in labels]
            if len(set(keys)) != len(keys):
                err(f"{cid}: repeated alt label in {lang}")
            if isinstance(pref.get(lang), str) and norm(pref[lang]) in keys:
                err(f"{cid}: alt[{lang}] repeats the pref label")
        # script checks (pref and alt)
        for lang in ("zh", "ru", "en"):
            labels = [pref.get(lang) or "", *(alt.get(lang) or [])]
            for pos, label in enumerate(labels):
                if lang == "zh":
                    if pos == 0 and not CJK_RE.search(label):
                        err(f"{cid}: pref[zh] {label!r} has no Chinese characters")
                    if CYR_RE.search(label):
                        err(f"{cid}: zh label {label!r} contains Cyrillic")
                    trad = sorted(set(label) & TRADITIONAL)
                    if trad:
                        err(f"{cid}: zh label {label!r} has Traditional characters {''.join(trad)}")
                elif lang == "ru":
                    if pos == 0 and not CYR_RE.search(label):
                        err(f"{cid}: pref[ru] {label!r} has no Cyrillic letters")
                    if CJK_RE.search(label):
                        err(f"{cid}: ru label {label!r} contains Chinese characters")
                elif CJK_RE.search(label) or CYR_RE.search(label):
                    err(f"{cid}: en label {label!r} contains Chinese or Cyrillic")

    # an alt label must not be another concept's pref label in the same language (search would be ambiguous)
    for cid, c in by_id.items():
        for lang, labels in (c.get("alt") or {}).items():
            if lang not in seen_pref or not isinstance(labels, list):
                continue
            for a in labels:
                other = seen_pref[lang].get(norm(a)) if isinstance(a, str) else None
                if other and other != cid:
                    err(f"{cid}: alt[{lang}] {a!r} is the pref label of {other}")

    # links
    related_pairs = set()
    for cid, c in by_id.items():
        broader = c.get("broader", [])
        related = c.get("related", [])
        if not isinstance(broader, list) or not isinstance(related, list):
            err(f"{cid}: 'broader' and 'related' must be lists")
            continue
        if len(set(broader)) != len(broader):
            err(f"{cid}: repeated broader id")
        if len(set(related)) != len(related):
            err(f"{cid}: repeated related id")
        for b in broader:
            if b == cid:
                err(f"{cid}: broader to itself")
            elif b not in by_id:
                err(f"{cid}: broader {b!r} does not exist")
        for r in related:
            if r == cid:
                err(f"{cid}: related to itself")
            elif r not in by_id:
                err(f"{cid}: related {r!r} does not exist")
            else:
                if r in broader:
                    err(f"{cid}: {r} is both broader and related")
                if cid not in by_id[r].get("related", []):
                    err(f"{cid}: related {r} is not reciprocated")
                related_pairs.add(tuple(sorted((cid, r))))

    # cycles (iterative DFS over broader links)
    state: dict[str, int] = {}
    for start in by_id:
        if state.get(start):
            continue
        stack = [(start, iter(by_id[start].get("broader", [])))]
        state[start] = 1
        path = [start]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            if nxt not in by_id:
                continue
            if state.get(nxt) == 1:
                cyc = [*path[path.index(nxt) :], nxt]
                err("cycle in broader links: " + " > ".join(cyc))
                continue
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(by_id[nxt].get("broader", []))))

    tops = [cid for cid, c in by_id.items() if not c.get("broader")]
    if not TOP_RANGE[0] <= len(tops) <= TOP_RANGE[1]:
        err(f"{len(tops)} top concepts, expected {TOP_RANGE[0]}..{TOP_RANGE[1]}")

    notations = Counter(c["notation"] for c in by_id.values() if c.get("notation"))
    for n, k in notations.items():
        if k > 1:
            err(f"notation {n!r} used {k} times")
        if not NOTATION_RE.match(n):
            err(f"notation {n!r} is malformed")

    zh_ru_alt = sum(1 for c in by_id.values() if (c.get("alt") or {}).get("zh") or (c.get("alt") or {}).get("ru"))
    if zh_ru_alt < MIN_ZH_RU_ALT:
        err(f"only {zh_ru_alt} concepts have a zh or ru alt label, at least {MIN_ZH_RU_ALT} required")

    # statistics
    depth: dict[str, int] = {}

    def get_depth(cid: str, guard: int = 0) -> int:
        if cid in depth:
            return depth[cid]
        bs = [b for b in by_id[cid].get("broader", []) if b in by_id]
        d = 1 if not bs or guard > 50 else 1 + max(get_depth(b, guard + 1) for b in bs)
        depth[cid] = d
        return d

    if not any("cycle" in e for e in errors):
        for cid in by_id:
            get_depth(cid)
    narrower = defaultdict(int)
    for c in by_id.values():
        for b in c.get("broader", []):
            narrower[b] += 1
    stats = {
        "concepts": len(by_id),
        "from NASA Thesaurus (nasa-)": sum(1 for k in by_id if k.startswith("nasa-")),
        "added by Spacebridge (sb-)": sum(1 for k in by_id if k.startswith("sb-")),
        "top concepts": len(tops),
        "broader links": sum(len(c.get("broader", [])) for c in by_id.values()),
        "concepts with 2+ broader (polyhierarchy)": sum(1 for c in by_id.values() if len(c.get("broader", [])) > 1),
        "related pairs": len(related_pairs),
        "max depth (levels, longest path)": max(depth.values()) if depth else 0,
        "mean depth (levels, longest path)": round(sum(depth.values()) / len(depth), 2) if depth else 0,
        "leaf concepts": sum(1 for k in by_id if not narrower[k]),
    }
    for lang in LANGS:
        n_alt = sum(len((c.get("alt") or {}).get(lang) or []) for c in by_id.values())
        n_con = sum(1 for c in by_id.values() if (c.get("alt") or {}).get(lang))
        stats[f"alt labels {lang}"] = f"{n_alt} on {n_con} concepts"
    stats["concepts with a zh or ru alt label"] = zh_ru_alt
    stats["labels in total (pref + alt, 3 languages)"] = 3 * len(by_id) + sum(
        len(v) for c in by_id.values() for v in (c.get("alt") or {}).values()
    )
    stats["_tops"] = sorted(
        ((by_id[t].get("notation") or "", by_id[t]["pref"]["en"], t, narrower[t]) for t in tops),
        key=lambda t: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", t[0])],
    )
    return errors, stats


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("thesaurus.json")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"FAIL: cannot read {path}: {exc}")
        return 1
    errors, stats = check(doc)
    print(f"thesaurus: {path}")
    for key, value in stats.items():
        if not key.startswith("_"):
            print(f"  {key:45} {value}")
    if stats.get("_tops"):
        print("  top concepts (notation, en, id, narrower):")
        for notation, label, cid, n in stats["_tops"]:
            print(f"    {notation:6} {label:48} {cid:12} {n}")
    if errors:
        print(f"FAIL: {len(errors)} problem(s)")
        for e in errors[:200]:
            print("  - " + e)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
