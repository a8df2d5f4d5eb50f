from __future__ import annotations

from pathlib import Path

import pytest

from spacebridge.agreements.tests.factories import EN, RU, ZH
from spacebridge.agreements.texts import chinese_number, diff_lines, normalise, parse_articles, sha256_text

pytestmark = pytest.mark.django_db

ISS = Path(__file__).resolve().parents[1] / "demo" / "iss_iga_1998_en.md"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十三", 23),
        ("九十九", 99),
        ("一百", 100),
        ("一百零五", 105),
        ("一百二十", 120),
        ("12", 12),
    ],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_number(text) == value


@pytest.mark.parametrize("body", [EN, ZH, RU])
def test_three_languages_parse_into_the_same_articles(body: str) -> None:
    articles = parse_articles(body)
    assert [a.key for a in articles] == ["preamble", "1", "2", "3"]
    first = articles[1]
    assert first.number == 1
    assert len(first.paragraphs) == 2
    assert first.heading in {"Purpose", "宗旨", "Цель"}


def test_labels_keep_each_languages_wording() -> None:
    assert [a.label for a in parse_articles(ZH)][1:] == ["第一条", "第二条", "第三条"]
    assert [a.label for a in parse_articles(RU)][1] == "Статья 1"
    assert [a.label for a in parse_articles(EN)][1] == "Article 1"


def test_plain_text_with_headings_on_their_own_lines() -> None:
    body = "第九十九条\n\n本条款很长。\n\n第一百条\n\n最后一条。\n"
    articles = parse_articles(body)
    assert [(a.key, a.paragraphs) for a in articles] == [("99", ["本条款很长。"]), ("100", ["最后一条。"])]


def test_roman_numerals_and_a_reference_inside_a_paragraph_are_not_headings() -> None:
    body = "Article I\n\nSee Article 2 below.\n\nArticle II\n\nEnd.\n"
    assert [a.key for a in parse_articles(body)] == ["1", "2"]


def test_the_iss_agreement_splits_into_its_28_articles_and_annex() -> None:
    articles = parse_articles(ISS.read_text(encoding="utf-8"))
    keys = [a.key for a in articles]
    assert keys[0] == "preamble"
    assert keys[1:29] == [str(n) for n in range(1, 29)]
    assert "annex-1" in keys
    assert articles[1].heading == "Object and Scope"
    assert len(articles[1].paragraphs) == 4


def test_normalised_hash_ignores_line_endings_and_trailing_spaces() -> None:
    assert sha256_text("a  \r\nb\r\n") == sha256_text("a\nb")
    assert normalise("x") == "x\n"


def test_diff_marks_added_and_removed_lines() -> None:
    kinds = {kind for kind, _line in diff_lines("a\nb\n", "a\nc\n", before_label="v1", after_label="v2")}
    assert {"add", "remove"} <= kinds
