"""The API contract: the committed docs/openapi.json is the generated document, and answers match it.

Regenerate the committed document after an API change with

    .venv/bin/python tests/test_openapi.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

# The shared autouse fixture clears the cache, which lives in the database.
pytestmark = pytest.mark.django_db

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"
REGENERATE = ".venv/bin/python tests/test_openapi.py"


def generated_text() -> str:
    from spacebridge.api import openapi_document

    return json.dumps(openapi_document(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def committed() -> dict[str, Any]:
    return json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_committed_document_equals_the_generated_one() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == generated_text(), (
        f"docs/openapi.json is out of date: run `{REGENERATE}` and commit it"
    )


def test_every_schema_has_a_name_of_its_own() -> None:
    """The document names its schemas by class name: two parts' classes of the same name would silently share one
    entry, and one part's answers would be described by the other's schema."""
    from ninja import Schema

    import spacebridge.api  # noqa: F401  (imports every part's schemas)

    def subclasses(cls: type) -> list[type]:
        return [sub for direct in cls.__subclasses__() for sub in (direct, *subclasses(direct))]

    ours = [cls for cls in subclasses(Schema) if cls.__module__.startswith("spacebridge.")]
    by_name: dict[str, set[str]] = {}
    for cls in ours:
        by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not shared, f"schema names used twice: {shared}"


def test_document_is_openapi_3_1() -> None:
    document = committed()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == "Spacebridge API"


def test_served_document_is_the_committed_one(client: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == committed()


def test_every_operation_declares_its_problems() -> None:
    """Every operation declares the client errors it can answer (schemathesis checks that none is undeclared)."""
    for path, operations in committed()["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            assert {"401", "404", "422"} <= declared, f"{method.upper()} {path} declares only {sorted(declared)}"


def response_schema(document: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    """The JSON Schema of one declared answer, with the components beside it so that `$ref`s resolve."""
    responses = document["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} does not declare {status}"
    schema = dict(responses[str(status)]["content"]["application/json"]["schema"])
    schema["components"] = document["components"]
    return schema


def assert_matches(response: Any, path: str, method: str = "get") -> Any:
    from jsonschema import Draft202012Validator, FormatChecker

    document = committed()
    body = json.loads(response.content)
    schema = response_schema(document, path, method, response.status_code)
    errors = sorted(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(body), key=str)
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])
    return body


@pytest.fixture
def api(client: Any, cast_token: str) -> Any:
    """The Django test client, sending the demo secretariat's personal token."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {cast_token}"
    return client


def test_party_list_and_detail_match_the_document(api: Any) -> None:
    listing = assert_matches(api.get("/api/v1/parties/", {"limit": 5}), "/api/v1/parties/")
    assert len(listing["items"]) == 5 and listing["next_cursor"]
    after = assert_matches(
        api.get("/api/v1/parties/", {"cursor": listing["next_cursor"], "limit": 5}), "/api/v1/parties/"
    )
    assert not {p["code"] for p in after["items"]} & {p["code"] for p in listing["items"]}
    detail = assert_matches(api.get("/api/v1/parties/ibmp"), "/api/v1/parties/{code}")
    assert detail["country"] == "RU" and detail["who_can_see"]["lines"]


def test_person_list_and_detail_match_the_document(api: Any) -> None:
    people = assert_matches(api.get("/api/v1/parties/people/", {"q": "Ян Ливэй"}), "/api/v1/parties/people/")
    assert [p["transliteration"] for p in people["items"]] == ["Yang Liwei"]
    person = people["items"][0]
    detail = assert_matches(api.get(f"/api/v1/parties/people/{person['id']}"), "/api/v1/parties/people/{person_id}")
    assert {n["text"] for n in detail["names"]} >= {"杨利伟", "Yang Liwei", "Ян Ливэй"}


def test_token_list_matches_the_document(api: Any) -> None:
    tokens = assert_matches(api.get("/api/v1/access/tokens/"), "/api/v1/access/tokens/")
    assert [t["name"] for t in tokens] == ["tests"] and "token" not in tokens[0]


def test_not_found_is_a_declared_problem(api: Any) -> None:
    response = api.get("/api/v1/parties/no-such-party")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    problem = assert_matches(response, "/api/v1/parties/{code}")
    assert problem["status"] == 404 and problem["detail"]


def test_invalid_input_is_a_declared_problem(api: Any) -> None:
    response = api.get("/api/v1/parties/", {"limit": 0})
    assert response.status_code == 422
    problem = assert_matches(response, "/api/v1/parties/")
    assert "limit" in problem["errors"]
    response = api.post("/api/v1/parties/", {"code": "x y"}, content_type="application/json")
    assert response.status_code == 422
    assert_matches(response, "/api/v1/parties/", method="post")


def test_bad_cursor_and_bad_token_are_declared_problems(client: Any, demo_cast: Any) -> None:
    bad_cursor = client.get("/api/v1/parties/", {"cursor": "not-a-cursor"})
    assert bad_cursor.status_code == 400
    assert_matches(bad_cursor, "/api/v1/parties/")
    bad_token = client.get("/api/v1/parties/", HTTP_AUTHORIZATION="Bearer sb_wrong")
    assert bad_token.status_code == 401
    assert_matches(bad_token, "/api/v1/parties/")


def test_anonymous_visitors_see_parties_but_not_people(client: Any, demo_cast: Any) -> None:
    assert_matches(client.get("/api/v1/parties/"), "/api/v1/parties/")
    people = assert_matches(client.get("/api/v1/parties/people/"), "/api/v1/parties/people/")
    assert people["items"] == []


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spacebridge.settings")
    django.setup()
    COMMITTED.write_text(generated_text(), encoding="utf-8")
    print(f"wrote {COMMITTED}")
