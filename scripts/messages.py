"""Bring a part's interface catalogues up to date: ``python scripts/messages.py PART`` (or no PART for the project).

Runs ``makemessages`` for ``spacebridge/<PART>`` into ``spacebridge/<PART>/locale`` (the project's own strings go to
``spacebridge/locale``), takes over the wording the project catalogue already has, writes the right header for Simplified Chinese and Russian, and lists the entries that still
need a translation. Translate them (and clear any ``#, fuzzy`` flag), then run it again with ``--compile``.
tests/test_translations.py checks that every string the code offers is translated.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "spacebridge"
HEADERS = {
    "zh_Hans": ("Chinese (Simplified)", "nplurals=1; plural=0;"),
    "ru": (
        "Russian",
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    ),
}
OPTIONS = ["--no-location", "--no-obsolete", "--ignore", "tests", "--ignore", "*/tests/*", "--ignore", "migrations"]
OPTIONS += ["--ignore", "*/migrations/*", "--ignore", ".venv", "--ignore", "static"]


def django(*args: str, cwd: Path) -> None:
    env = dict(os.environ, SPACEBRIDGE_DATA_DIR=os.environ.get("SPACEBRIDGE_DATA_DIR", "/tmp/sb-l10n"))
    command = [sys.executable, "-P", "-m", "django", *args, "--settings", "spacebridge.settings"]
    subprocess.run(command, cwd=cwd, env=env, check=True)


def fix_header(path: Path, locale: str) -> None:
    team, plural = HEADERS[locale]
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n\n")  # the header entry ends at the first blank line
    if not sep:
        return
    head = head.replace("#, fuzzy\n", "")
    head = re.sub(r'"Language: [^"]*\\n"', f'"Language: {locale}\\\\n"', head)
    head = re.sub(r'"Language-Team: [^"]*\\n"', f'"Language-Team: {team} <spacebridge-l10n>\\\\n"', head)
    head = re.sub(r'"Content-Type: text/plain; charset=[^"]*\\n"', '"Content-Type: text/plain; charset=UTF-8\\\\n"', head)
    head = re.sub(r'\n"Plural-Forms:.*', "", head, flags=re.S)  # the last header field, perhaps on several lines
    head += f'\n"Plural-Forms: {plural}\\n"'
    path.write_text(head + sep + rest, encoding="utf-8")


def untranslated(path: Path) -> int:
    result = subprocess.run(
        ["msgattrib", "--untranslated", "--only-fuzzy", str(path)], capture_output=True, text=True, check=False
    )
    fuzzy = result.stdout.count('\nmsgid "') - 1 if result.stdout else 0  # less the header
    result = subprocess.run(["msgattrib", "--untranslated", str(path)], capture_output=True, text=True, check=False)
    empty = result.stdout.count('\nmsgid "') - 1 if result.stdout else 0
    return fuzzy + empty


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", nargs="?", help="a part of spacebridge (records, search, …); none for the project")
    parser.add_argument("--compile", action="store_true", help="compile the catalogues after checking them")
    args = parser.parse_args()
    folder = PACKAGE / args.part if args.part else PACKAGE
    if not folder.is_dir():
        parser.error(f"there is no folder {folder}")
    (folder / "locale").mkdir(exist_ok=True)
    django("makemessages", "-l", "zh_Hans", "-l", "ru", *OPTIONS, cwd=folder)
    for locale in HEADERS:
        po = folder / "locale" / locale / "LC_MESSAGES" / "django.po"
        if po.is_file():
            fix_header(po, locale)
            project = PACKAGE / "locale" / locale / "LC_MESSAGES" / "django.po"
            if args.part and project.is_file():  # strings the project catalogue already translates keep that wording
                subprocess.run(
                    [
                        "msgmerge",
                        "-q",
                        "--no-fuzzy-matching",
                        "--no-location",
                        "--no-wrap",
                        "--compendium",
                        str(project),
                        "-o",
                        str(po),
                        str(po),
                        str(po),
                    ],
                    check=True,
                )
            print(f"{po.relative_to(ROOT)}: {untranslated(po)} entries to translate")
    if args.compile:
        for po in sorted((folder / "locale").glob("*/LC_MESSAGES/django.po")):
            subprocess.run(["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
            print(f"compiled {po.with_suffix('.mo').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
