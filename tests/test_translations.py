"""The interface translations (Simplified Chinese and Russian) are complete, well-formed and compiled.

The catalogues live in ``spacebridge/locale/<lang>/LC_MESSAGES/django.po`` (``settings.LOCALE_PATHS``) and, for the
parts that keep their own, in ``spacebridge/<part>/locale/`` (makemessages sends each file's strings to the nearest
``locale`` folder); the compiled ``django.mo`` files beside them are committed. Together they must hold every string the
code offers. To bring them up to date after changing interface strings::

    cd spacebridge
    SPACEBRIDGE_DATA_DIR=/tmp/sb-l10n ../.venv/bin/django-admin makemessages -l zh_Hans -l ru \\
        --no-location --no-obsolete --ignore tests --ignore '*/tests/*' --ignore migrations \\
        --ignore '*/migrations/*' --ignore .venv --ignore static --settings spacebridge.settings
    # translate every new or fuzzy entry, remove the "#, fuzzy" flags, then
    SPACEBRIDGE_DATA_DIR=/tmp/sb-l10n ../.venv/bin/django-admin compilemessages --settings spacebridge.settings

Everything but the page-rendering tests works without a database.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO_ROOT / "spacebridge"
LOCALE_DIR = PACKAGE_DIR / "locale"

# Locale folder name -> (Django language code, number of plural forms).
LOCALES = {"zh_Hans": ("zh-hans", 1), "ru": ("ru", 3)}
RU_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)

# The same options as the documented command above: what the code offers for translation.
MAKEMESSAGES_OPTIONS = [
    "--no-location",
    "--no-obsolete",
    "--ignore",
    "tests",
    "--ignore",
    "*/tests/*",
    "--ignore",
    "migrations",
    "--ignore",
    "*/migrations/*",
    "--ignore",
    ".venv",
    "--ignore",
    "static",
]


@pytest.fixture(autouse=True)
def _english_and_clean_cache(request: pytest.FixtureRequest, settings):  # type: ignore[no-untyped-def]
    """Stands in for the project-wide fixture of this name, which empties the (database) cache before every test:
    here only the page tests use the database, so only they empty the cache. Each test starts in English."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    if request.node.get_closest_marker("django_db"):
        from django.core.cache import cache

        cache.clear()
    with translation.override("en"):
        yield


# --- a small .po reader ---------------------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr or ""]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]

    def __str__(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"line {self.line}: {context}{self.msgid!r}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")\s*$')


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted string: {text}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header (as a dict) and the entries of a .po file; obsolete (``#~``) entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    pending_flags: set[str] = set()

    def finish() -> None:
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and target is not None:
                finish()  # comments start the next entry
            if line.startswith("#,"):
                pending_flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            # Entries not separated by a blank line: a msgctxt, or a msgid not after a msgctxt, starts a new one.
            if (
                current is not None
                and target is not None
                and (keyword == "msgctxt" or (keyword == "msgid" and target[0] != "msgctxt"))
            ):
                finish()
            if current is None:
                current = Entry(line=number, flags=pending_flags)
                pending_flags = set()
            if keyword == "msgstr" and index is not None:
                current.msgstr_plural[int(index)] = value
                target = ("msgstr_plural", int(index))
            else:
                setattr(current, keyword, value)
                target = (keyword, None)
            continue
        if line.startswith('"') and current is not None and target is not None:
            name, index = target
            if index is None:
                setattr(current, name, getattr(current, name) + _unquote(line))
            else:
                current.msgstr_plural[index] += _unquote(line)
            continue
        raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    finish()

    header: dict[str, str] = {}
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None:
        head = entries.pop(0)
        for item in (head.msgstr or "").split("\n"):
            if ":" in item:
                name, value = item.split(":", 1)
                header[name.strip()] = value.strip()
        if "fuzzy" in head.flags:
            header["#fuzzy"] = "yes"
    return header, entries


def po_path(locale: str, catalogue_dir: Path = LOCALE_DIR) -> Path:
    return catalogue_dir / locale / "LC_MESSAGES" / "django.po"


def catalogue_dirs() -> list[Path]:
    """The project catalogue, then each part's own (``spacebridge/<part>/locale``) where the part has one."""
    parts = sorted(path for path in PACKAGE_DIR.glob("*/locale") if any(path.glob("*/LC_MESSAGES/django.po")))
    return [LOCALE_DIR, *parts]


# Every catalogue file as (locale, path): the project's, then each part's.
CATALOGUES = [(locale, po_path(locale, folder)) for folder in catalogue_dirs() for locale in sorted(LOCALES)]
CATALOGUE_IDS = [str(path.relative_to(PACKAGE_DIR)) for _locale, path in CATALOGUES]


_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?P<type>[diouxXeEfFgGcrsa%])"
)


def placeholders(text: str) -> tuple[Counter[str], list[str]]:
    """Named placeholders (with their conversion) as a multiset, positional ones in order; ``%%`` is not one."""
    named: Counter[str] = Counter()
    positional: list[str] = []
    for match in _PLACEHOLDER.finditer(text):
        if match.group("type") == "%":
            continue
        if match.group("name") is not None:
            named[f"%({match.group('name')}){match.group('type')}"] += 1
        else:
            positional.append(f"%{match.group('type')}")
    return named, positional


# --- (a) no fuzzy or empty entries, the right header ---------------------------------------------------------------


@pytest.mark.parametrize(("locale", "path"), CATALOGUES, ids=CATALOGUE_IDS)
def test_catalogue_exists_and_header_is_right(locale: str, path: Path) -> None:
    assert path.is_file(), f"{path} is missing"
    header, entries = parse_po(path)
    assert entries, f"{path} has no messages"
    assert "#fuzzy" not in header, f"{path}: the header is still marked fuzzy"
    assert header.get("Language") == locale, f"{path}: header Language is {header.get('Language')!r}"
    assert "charset=UTF-8" in header.get("Content-Type", ""), f"{path}: the catalogue must be UTF-8"
    nplurals = LOCALES[locale][1]
    plural_forms = header.get("Plural-Forms", "")
    assert re.match(rf"nplurals={nplurals};", plural_forms), f"{path}: Plural-Forms is {plural_forms!r}"
    if locale == "ru":
        assert plural_forms.replace(" ", "") == RU_PLURAL_FORMS.replace(" ", ""), (
            f"{path}: Plural-Forms {plural_forms!r}"
        )


@pytest.mark.parametrize(("locale", "path"), CATALOGUES, ids=CATALOGUE_IDS)
def test_no_fuzzy_or_untranslated_entries(locale: str, path: Path) -> None:
    _header, entries = parse_po(path)
    nplurals = LOCALES[locale][1]
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry}")
        if entry.msgid_plural is not None:
            if sorted(entry.msgstr_plural) != list(range(nplurals)):
                problems.append(f"needs msgstr[0..{nplurals - 1}], has {sorted(entry.msgstr_plural)}: {entry}")
            empty = [i for i, text in sorted(entry.msgstr_plural.items()) if not text.strip()]
            if empty:
                problems.append(f"empty msgstr{empty}: {entry}")
        elif not (entry.msgstr or "").strip():
            problems.append(f"empty msgstr: {entry}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.parametrize(("locale", "path"), CATALOGUES, ids=CATALOGUE_IDS)
def test_no_duplicate_entries(locale: str, path: Path) -> None:
    _header, entries = parse_po(path)
    duplicates = [key for key, count in Counter(entry.key for entry in entries).items() if count > 1]
    assert not duplicates, f"{path}: duplicate entries {duplicates}"


# --- (b) placeholders ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "path"), CATALOGUES, ids=CATALOGUE_IDS)
def test_placeholders_are_kept(locale: str, path: Path) -> None:
    _header, entries = parse_po(path)
    problems = []
    for entry in entries:
        # Every plural form must carry the plural's placeholders: in Russian form 0 also serves 21, 31, ...
        source = entry.msgid_plural if entry.msgid_plural is not None else entry.msgid
        if entry.msgid_plural is not None and placeholders(entry.msgid) != placeholders(entry.msgid_plural):
            expected_named = placeholders(entry.msgid_plural)[0] | placeholders(entry.msgid)[0]
        else:
            expected_named = placeholders(source)[0]
        expected_positional = placeholders(source)[1]
        for index, text in enumerate(entry.translations):
            named, positional = placeholders(text)
            if named != expected_named or positional != expected_positional:
                problems.append(
                    f"{entry} form {index}: {sorted(named.elements()) + positional} "
                    f"instead of {sorted(expected_named.elements()) + expected_positional}"
                )
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_placeholder_reader() -> None:
    assert placeholders("%(count)d of %(name)s, 100%% done, %s %d") == (
        Counter({"%(count)d": 1, "%(name)s": 1}),
        ["%s", "%d"],
    )


# --- (c) every string in the code is in the catalogue --------------------------------------------------------------


@pytest.fixture(scope="module")
def code_messages(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str | None, str]]:
    """Runs ``makemessages`` on a copy of the package and returns the msgids the code offers for translation."""
    missing_tools = [tool for tool in ("xgettext", "msguniq", "msgmerge", "msgattrib") if shutil.which(tool) is None]
    if missing_tools:
        pytest.skip(f"GNU gettext is not installed ({', '.join(missing_tools)} not found): cannot extract messages")
    work = tmp_path_factory.mktemp("l10n")
    copy = work / "spacebridge"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc", "*.mo"))
    (copy / "locale").mkdir()
    settings_dir = work / "settings"
    settings_dir.mkdir()
    # The project's settings, but writing into the copy: never into the real catalogues.
    (settings_dir / "l10n_check_settings.py").write_text(
        f"from spacebridge.settings import *  # noqa: F403\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n",
        encoding="utf-8",
    )
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "l10n_check_settings",
            "PYTHONPATH": os.pathsep.join([str(settings_dir), str(REPO_ROOT), env.get("PYTHONPATH", "")]).rstrip(
                os.pathsep
            ),
            "SPACEBRIDGE_DATA_DIR": str(work / "data"),
        }
    )
    command = [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "-l", "ru", *MAKEMESSAGES_OPTIONS]
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    found: set[tuple[str | None, str]] = set()
    for locale in LOCALES:
        generated = copy / "locale" / locale / "LC_MESSAGES" / "django.po"
        assert generated.is_file(), f"makemessages wrote no {generated}:\n{result.stdout}\n{result.stderr}"
        found |= {entry.key for entry in parse_po(generated)[1]}
    assert found, "makemessages found no messages at all: is the copy scanned?"
    return found


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_catalogue_is_complete(locale: str, code_messages: set[tuple[str | None, str]]) -> None:
    paths = [po_path(locale, folder) for folder in catalogue_dirs() if po_path(locale, folder).is_file()]
    committed = {entry.key for path in paths for entry in parse_po(path)[1]}
    missing = sorted(code_messages - committed, key=lambda key: (key[0] or "", key[1]))
    assert not missing, (
        f"The {locale} catalogues lack {len(missing)} message(s) found in the code; run makemessages, translate them "
        "and compilemessages:\n" + "\n".join(f"  {ctx + ': ' if ctx else ''}{msgid!r}" for ctx, msgid in missing)
    )


# --- (d) the compiled catalogue is in step with the source ---------------------------------------------------------


@pytest.mark.parametrize(("locale", "path"), CATALOGUES, ids=CATALOGUE_IDS)
def test_mo_matches_po(locale: str, path: Path) -> None:
    po = path
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{mo} is missing: run compilemessages"
    header, entries = parse_po(po)
    with mo.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    compiled_plural_forms = translations.info().get("plural-forms", "")
    assert compiled_plural_forms.replace(" ", "") == header["Plural-Forms"].replace(" ", ""), (
        f"{mo}: Plural-Forms {compiled_plural_forms!r} differs from the .po: run compilemessages"
    )
    plural = gettext.c2py(header["Plural-Forms"].split("plural=", 1)[1].rstrip(";"))
    stale = []
    for entry in entries:
        if entry.msgid_plural is None:
            if entry.msgctxt is None:
                got = translations.gettext(entry.msgid)
            else:
                got = translations.pgettext(entry.msgctxt, entry.msgid)
            if got != entry.msgstr:
                stale.append(f"{entry}: .mo has {got!r}, .po has {entry.msgstr!r}")
            continue
        for n in (0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 111):
            if entry.msgctxt is None:
                got = translations.ngettext(entry.msgid, entry.msgid_plural, n)
            else:
                got = translations.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
            expected = entry.msgstr_plural.get(plural(n))
            if got != expected:
                stale.append(f"{entry} (n={n}): .mo has {got!r}, .po has {expected!r}")
                break
    assert not stale, f"{mo} is out of step with {po}: run compilemessages\n" + "\n".join(stale)


# --- (e) real pages come out translated ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "html_lang", "expected"),
    [
        ("zh-hans", "zh-Hans", ["登录", "用户名", "密码"]),
        ("zh-CN,zh;q=0.9,en;q=0.5", "zh-Hans", ["登录", "忘记密码？"]),
        ("ru", "ru", ["Войти", "Имя пользователя", "Пароль"]),
        ("ru-RU,ru;q=0.9", "ru", ["Войти", "Забыли пароль?"]),
        ("en", "en", ["Sign in", "User name"]),
    ],
)
def test_login_page_is_translated(client, accept_language: str, html_lang: str, expected: list[str]) -> None:
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{html_lang}">' in html
    for text in expected:
        assert text in html, f"{text!r} not on the login page for Accept-Language {accept_language!r}"
    if html_lang != "en":
        assert ">Sign in<" not in html, "the English 'Sign in' is still on the page"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("zh-hans", ["<h1>参与方</h1>", "登录", "0 个参与方", "筛选"]),
        ("ru", ["<h1>Стороны</h1>", "Войти", "0 сторон", "Фильтровать"]),
    ],
)
def test_party_list_is_translated(client, accept_language: str, expected: list[str]) -> None:
    response = client.get("/parties/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html, f"{text!r} not on /parties/ for Accept-Language {accept_language!r}"


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("ru", 1, "1 сторона"),
        ("ru", 3, "3 стороны"),
        ("ru", 5, "5 сторон"),
        ("ru", 11, "11 сторон"),
        ("ru", 21, "21 сторона"),
        ("ru", 24, "24 стороны"),
        ("zh-hans", 1, "1 个参与方"),
        ("zh-hans", 7, "7 个参与方"),
    ],
)
def test_plural_forms_through_django(language: str, count: int, expected: str) -> None:
    from django.utils import translation

    with translation.override(language):
        text = translation.ngettext("%(counter)s party", "%(counter)s parties", count) % {"counter": count}
    assert text == expected
