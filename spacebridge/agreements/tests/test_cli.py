from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from spacebridge.agreements import services
from spacebridge.agreements.cli import agreements
from spacebridge.agreements.models import Status
from spacebridge.agreements.tests.factories import cast, drafted

pytestmark = pytest.mark.django_db


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(agreements, list(args), catch_exceptions=False)


def test_keygen_register_sign_export_and_verify(tmp_path: Path) -> None:
    world = cast()
    agreement = drafted(world)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    for officer, party in zip(world.officers, world.parties, strict=True):
        key = tmp_path / f"{party.code}.pem"
        assert run("keygen", "--output", str(key)).exit_code == 0
        assert oct(key.stat().st_mode & 0o777) == "0o600"
        assert run("register-key", party.code, str(key) + ".pub", "--by", officer.username).exit_code == 0
        detached = run("sign", agreement.reference, "--party", party.code, "--key", str(key), "--detached")
        assert len(detached.output.strip()) == 88  # 64 bytes in base64
        signed = run(
            "sign",
            agreement.reference,
            "--party",
            party.code,
            "--key",
            str(key),
            "--by",
            officer.username,
            "--place",
            "Wenchang",
        )
        assert signed.exit_code == 0, signed.output
    assert "status in_force" in signed.output
    bundle = tmp_path / "mou.zip"
    exported = run("export", agreement.reference, "--output", str(bundle))
    assert "3 texts, 3 digital signatures" in exported.output
    ok = run("verify", str(bundle))
    assert ok.exit_code == 0 and ok.output.startswith("OK: 3 signatures verify")
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(bundle) as opened:
        opened.extractall(folder)
    text = folder / "texts" / "zh.md"
    data = bytearray(text.read_bytes())
    data[-2] ^= 0x20
    text.write_bytes(bytes(data))
    failed = CliRunner().invoke(agreements, ["verify", str(folder)])
    assert failed.exit_code == 1
    assert "FAILED: texts/zh.md: SHA-256 differs from the manifest" in failed.output


def test_import_text_and_list(tmp_path: Path) -> None:
    world = cast()
    agreement = drafted(world, texts={})
    path = tmp_path / "zh.md"
    path.write_text("第一条 宗旨\n\n合作。\n\n第二条 生效\n\n签字生效。\n", encoding="utf-8")
    result = run("import-text", agreement.reference, str(path), "--language", "zh", "--by", world.officers[1].username)
    assert result.output.strip() == f"{agreement.reference} [zh] v1: 2 articles"
    refused = CliRunner().invoke(
        agreements,
        ["import-text", agreement.reference, str(path), "--language", "zh", "--by", world.members[0].username],
    )
    assert refused.exit_code == 1 and "no agreement" in refused.output
    listed = run("list", "--as-user", world.officers[0].username)
    assert agreement.reference in listed.output
    assert agreement.reference not in run("list", "--as-user", world.members[0].username).output


def test_remind_is_idempotent(tmp_path: Path, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    import datetime

    from spacebridge.agreements.models import Agreement

    world = cast()
    agreement = drafted(world)
    Agreement.objects.filter(pk=agreement.pk).update(
        status=Status.IN_FORCE, expires_on=datetime.date(2031, 1, 31), notice_days=30
    )
    assert run("remind", "--today", "2030-12-01").output.strip() == "reminders sent: 2"
    assert run("remind", "--today", "2030-12-01").output.strip() == "reminders sent: 0"
    assert len(mailoutbox) == 2
    assert {m.subject for m in mailoutbox} == {
        f"Notice deadline of {agreement.reference} in 31 days",
        f"{agreement.reference} expires in 61 days",
    }
    # at 29 days before expiry the 30-day reminder follows, once
    assert run("remind", "--today", "2031-01-02").output.strip() == "reminders sent: 1"
    assert run("remind", "--today", "2031-01-03").output.strip() == "reminders sent: 0"
    assert set(mailoutbox[0].to) >= {"agreements-secretariat@example.org"}
