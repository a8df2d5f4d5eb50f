"""Docs that the tests keep honest: every setting, every command and option, and the two-command quick start."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from spacebridge.settings import ENVIRONMENT

# The shared autouse fixture clears the cache, which lives in the database.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_DOC = ROOT / "docs" / "settings.md"
CLI_DOC = ROOT / "docs" / "cli.md"
README = ROOT / "README.md"


def documented_settings() -> list[str]:
    """The variable names in the first column of the tables of docs/settings.md."""
    return re.findall(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", SETTINGS_DOC.read_text(encoding="utf-8"), flags=re.M)


def test_every_environment_variable_is_documented() -> None:
    missing = sorted(set(ENVIRONMENT) - set(documented_settings()))
    assert not missing, f"docs/settings.md does not document {missing}"


def test_settings_doc_documents_only_real_variables() -> None:
    unknown = sorted(set(documented_settings()) - set(ENVIRONMENT))
    assert not unknown, f"docs/settings.md documents {unknown}, which spacebridge.settings.ENVIRONMENT does not list"


def test_settings_doc_lists_each_variable_once() -> None:
    names = documented_settings()
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


def cli_commands() -> list[tuple[str, click.Command]]:
    """Every command and sub-command of `spacebridge`, as ("audit verify", command), walking the click groups."""
    from spacebridge.cli import main

    found: list[tuple[str, click.Command]] = []

    def walk(prefix: str, group: click.Group) -> None:
        for name, command in sorted(group.commands.items()):
            path = f"{prefix} {name}".strip()
            found.append((path, command))
            if isinstance(command, click.Group):
                walk(path, command)

    walk("", main)
    return found


def cli_sections() -> dict[str, str]:
    """docs/cli.md split at its headings that name a command: {"audit verify": the text of that section}."""
    text = CLI_DOC.read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    parts = re.split(r"^#{2,4} `spacebridge ?([a-z0-9 _-]*)`\s*$", text, flags=re.M)
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        sections[name.strip()] = body
    return sections


def test_cli_commands_exist() -> None:
    names = [name for name, _command in cli_commands()]
    assert {
        "serve",
        "demo",
        "migrate",
        "createadmin",
        "check",
        "backup",
        "restore",
        "audit verify",
        "parties list",
        "parties people",
    } <= set(names)


@pytest.mark.parametrize("name", [name for name, _command in cli_commands()])
def test_every_cli_command_is_documented_with_its_options(name: str) -> None:
    sections = cli_sections()
    assert name in sections, f"docs/cli.md has no heading `spacebridge {name}`"
    command = dict(cli_commands())[name]
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            longest = max(parameter.opts, key=len)
            assert longest in sections[name], f"docs/cli.md: `spacebridge {name}` does not mention {longest}"
        elif isinstance(parameter, click.Argument):
            assert parameter.human_readable_name in sections[name], (
                f"docs/cli.md: `spacebridge {name}` does not mention its argument {parameter.human_readable_name}"
            )


def test_cli_doc_documents_only_real_commands() -> None:
    real = {name for name, _command in cli_commands()} | {""}
    unknown = sorted(set(cli_sections()) - real)
    assert not unknown, f"docs/cli.md documents commands that do not exist: {unknown}"


def quick_start_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## Quick start\s*$(.*?)(?=^## )", text, flags=re.M | re.S)
    assert section, "README.md has no '## Quick start' section"
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", section.group(1), flags=re.M | re.S)
    assert len(blocks) == 1, f"the quick start should hold one code block, not {len(blocks)}"
    return [line for line in blocks[0].splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_readme_quick_start_holds_exactly_two_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2, commands
    assert not any(line.rstrip().endswith("\\") for line in commands), "one line per command"
    install, tests = commands
    assert "python3 -m venv .venv" in install and "spacebridge demo" in install
    assert shlex.split(tests)[0].startswith(".venv/bin/"), tests


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run calls the very test command the README gives (on SQLite, then PostgreSQL)."""
    _install, tests = quick_start_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.count(tests.strip()) >= 2, f".ci/run should run `{tests}` on SQLite and on PostgreSQL"


def test_readme_screenshots_exist() -> None:
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README.read_text(encoding="utf-8")):
        assert (ROOT / image).is_file(), f"README.md shows {image}, which is not in the repository"
