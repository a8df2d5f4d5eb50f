from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from spacebridge.agreements import selectors, services, signatures
from spacebridge.agreements import signing as crypto
from spacebridge.agreements.bundles import bundle_write
from spacebridge.agreements.models import Status
from spacebridge.agreements.tests.factories import cast, drafted, key_pair, sign_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return cast()


@pytest.fixture
def signed(world):  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    sign_all(world, agreement)
    agreement.refresh_from_db()
    return agreement


def test_three_digital_signatures_sign_the_agreement_into_force(world, signed) -> None:  # type: ignore[no-untyped-def]
    assert signed.status == Status.IN_FORCE
    assert signed.in_force_since is not None
    rows = selectors.signature_state(signed)
    assert all(check["valid"] for row in rows for check in row["signatures"])
    assert len(rows) == 3


def test_a_signature_that_does_not_verify_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    ap = agreement.parties.first()
    key, public = key_pair()
    signatures.party_key_register(party=ap.party, by=world.officers[0], public_key=public)
    wrong = crypto.sign_digest(key, "0" * 64)
    with pytest.raises(ValidationError, match="does not verify"):
        signatures.signature_add_digital(agreement_party=ap, by=world.officers[0], signature=wrong)
    other_key, _public = key_pair()
    forged = crypto.sign_digest(other_key, selectors.agreement_hash(agreement))
    with pytest.raises(ValidationError, match="does not verify"):
        signatures.signature_add_digital(agreement_party=ap, by=world.officers[0], signature=forged)
    assert not ap.signatures.exists()


def test_signing_waits_for_languages_in_step(world) -> None:  # type: ignore[no-untyped-def]
    from spacebridge.agreements.tests.factories import EN

    agreement = drafted(world)
    services.text_version_add(agreement=agreement, by=world.secretariat, language="en", body=EN + "\nAddendum.\n")
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    ap = agreement.parties.first()
    with pytest.raises(ValidationError, match="out of step"):
        signatures.signature_add_digital(agreement_party=ap, by=world.officers[0], signature="AA==")


def test_keys_must_be_ed25519(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="not an Ed25519 public key"):
        signatures.party_key_register(party=world.parties[0], by=world.officers[0], public_key="hello")
    _key, public = key_pair()
    signatures.party_key_register(party=world.parties[0], by=world.officers[0], public_key=public)
    with pytest.raises(ValidationError, match="already registered"):
        signatures.party_key_register(party=world.parties[0], by=world.officers[0], public_key=public)


def test_the_bundle_verifies_offline(signed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mou.zip"
    manifest = bundle_write(agreement=signed, path=path)
    assert manifest["canonical_hash"] == selectors.agreement_hash(signed)
    check = crypto.verify_bundle(path)
    assert check.ok, check.reasons
    assert sorted(check.verified_parties) == ["agency-0", "agency-1", "agency-2"]


def _flip(path: Path, member: str, *, offset: int = 5) -> None:
    """Change one byte of a member's stored content inside the ZIP."""
    with zipfile.ZipFile(path) as bundle:
        info = bundle.getinfo(member)
    data = bytearray(path.read_bytes())
    header = info.header_offset
    name_len = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_len = int.from_bytes(data[header + 28 : header + 30], "little")
    start = header + 30 + name_len + extra_len
    data[start + offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("member", ["texts/en.md", "texts/zh.md", "texts/ru.md"])
def test_a_single_changed_byte_in_a_text_fails_with_the_reason(signed, tmp_path: Path, member: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mou.zip"
    bundle_write(agreement=signed, path=path)
    _flip(path, member)
    check = crypto.verify_bundle(path)
    assert not check.ok
    assert any(member in reason for reason in check.reasons), check.reasons


def test_a_changed_byte_in_an_unpacked_text_names_the_hash(signed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mou.zip"
    bundle_write(agreement=signed, path=path)
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as bundle:
        bundle.extractall(folder)
    text = folder / "texts" / "ru.md"
    data = bytearray(text.read_bytes())
    data[10] ^= 0x01
    text.write_bytes(bytes(data))
    check = crypto.verify_bundle(folder)
    assert check.reasons == ["texts/ru.md: SHA-256 differs from the manifest (the text was changed)"]


def test_a_changed_signature_or_key_fails(signed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mou.zip"
    bundle_write(agreement=signed, path=path)
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as bundle:
        bundle.extractall(folder)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    value = bytearray(crypto.parse_signature(manifest["signatures"][1]["signature"]))
    value[0] ^= 0x01
    import base64

    manifest["signatures"][1]["signature"] = base64.b64encode(bytes(value)).decode()
    manifest_path.write_text(json.dumps(manifest))
    check = crypto.verify_bundle(folder)
    assert not check.ok
    assert check.reasons == ["party agency-1: the signature does not verify against the texts' canonical hash"]
    manifest["texts"][0]["kind"] = "translation"
    manifest_path.write_text(json.dumps(manifest))
    assert "canonical hash does not match" in " ".join(crypto.verify_bundle(folder).reasons)
