"""`spacebridge parties list` and `spacebridge parties people`: the directory on the command line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from spacebridge.cli import main
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.models import Party
from spacebridge.parties.tests.factories import PartyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def invoke(*args: str) -> list[str]:
    result = CliRunner().invoke(main, ["parties", *args])
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture
def directory():  # type: ignore[no-untyped-def]
    PartyFactory(
        code="cmsa",
        short_name="CMSA",
        country="CN",
        kind=Party.Kind.SPACE_AGENCY,
        name=MultilingualText({"zh": "中国载人航天工程办公室", "en": "China Manned Space Agency"}, "zh"),
    )
    PartyFactory(
        code="ibmp",
        short_name="IBMP",
        country="RU",
        status=Party.Status.OBSERVER,
        name=MultilingualText({"ru": "Институт медико-биологических проблем"}, "ru"),
    )
    yang = PersonFactory(
        transliteration="Yang Liwei",
        names=[
            {"language": "zh", "text": "杨利伟"},
            {"language": "en", "text": "Yang Liwei"},
            {"language": "ru", "text": "Ян Ливэй"},
        ],
    )
    PersonFactory(transliteration="Valeri Polyakov", names=[{"language": "ru", "text": "Валерий Поляков"}])
    return yang


def test_parties_list_shows_every_party_with_its_delegation_kind_and_status(directory):
    lines = invoke("list")
    assert len(lines) == 2
    assert lines[0].split() == ["cmsa", "CN", "space_agency", "member", "CMSA"]
    assert lines[1].split() == ["ibmp", "RU", "research_institute", "observer", "IBMP"]


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        (["--country", "ru"], ["ibmp"]),
        (["-q", "载人航天"], ["cmsa"]),
        (["--query", "институт"], ["ibmp"]),
        (["-q", "nobody"], []),
    ],
)
def test_parties_list_filters(directory, args, codes):
    assert [line.split()[0] for line in invoke("list", *args)] == codes


@pytest.mark.parametrize("query", ["杨利伟", "Yang Liwei", "Ян Ливэй", "liwei"])
def test_parties_people_finds_a_name_in_any_script(directory, query):
    assert invoke("people", "-q", query) == [f"{directory.pk:>5}  杨利伟 / Yang Liwei / Ян Ливэй"]


def test_parties_people_lists_everyone_without_a_query(directory):
    lines = invoke("people")
    assert len(lines) == 2
    assert any(line.endswith("Валерий Поляков") for line in lines)


def test_parties_people_with_no_match_prints_nothing(directory):
    assert invoke("people", "--query", "Gagarin") == []
