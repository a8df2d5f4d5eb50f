"""Ed25519 signatures over an agreement's final texts, and the bundle that carries texts, signatures and keys so
anyone can check them offline. Nothing here touches the database: `spacebridge agreements verify` runs anywhere.

The signed message is the canonical hash: the SHA-256 (hexadecimal, as ASCII bytes) of the canonical JSON of
``{"reference": …, "texts": [{"language", "version", "kind", "sha256"}, …]}`` with the texts sorted by language,
keys sorted, no spaces. Each text's ``sha256`` is over its normalised UTF-8 form (``texts.normalise``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

BUNDLE_FORMAT = "spacebridge-agreement-bundle/1"


class UnreadableKey(ValueError):
    """A key or signature that cannot be read."""


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def canonical_hash(*, reference: str, texts: list[dict[str, Any]]) -> str:
    entries = sorted(
        ({"language": t["language"], "version": t["version"], "kind": t["kind"], "sha256": t["sha256"]} for t in texts),
        key=lambda t: t["language"],
    )
    return hashlib.sha256(canonical_json({"reference": reference, "texts": entries})).hexdigest()


def parse_public_key(text: str | bytes) -> bytes:
    """The 32 raw bytes of an Ed25519 public key given as PEM, 64 hexadecimal digits or base64."""
    data = text.encode() if isinstance(text, str) else text
    stripped = data.strip()
    if b"BEGIN" in stripped:
        try:
            key = serialization.load_pem_public_key(stripped)
        except ValueError as exc:
            raise UnreadableKey("not a PEM public key") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise UnreadableKey("not an Ed25519 key")
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        raw = (
            bytes.fromhex(stripped.decode("ascii"))
            if len(stripped) == 64
            else base64.b64decode(stripped, validate=True)
        )
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise UnreadableKey("not a key in PEM, hexadecimal or base64") from exc
    if len(raw) != 32:
        raise UnreadableKey("an Ed25519 public key is 32 bytes")
    return raw


def load_private_key(data: bytes) -> Ed25519PrivateKey:
    stripped = data.strip()
    try:
        if b"BEGIN" in stripped:
            key = serialization.load_pem_private_key(stripped, password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(stripped.decode("ascii")))
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise UnreadableKey("not an unencrypted Ed25519 private key (PEM or 64 hexadecimal digits)") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise UnreadableKey("not an Ed25519 key")
    return key


def public_raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_pem(raw: bytes) -> str:
    key = Ed25519PublicKey.from_public_bytes(raw)
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def sign_digest(key: Ed25519PrivateKey, digest: str) -> str:
    return base64.b64encode(key.sign(digest.encode("ascii"))).decode("ascii")


def parse_signature(value: str | bytes) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    try:
        raw = base64.b64decode(data.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise UnreadableKey("the signature is not base64") from exc
    if len(raw) != 64:
        raise UnreadableKey("an Ed25519 signature is 64 bytes")
    return raw


def verify_digest(raw_public: bytes, digest: str, signature: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(raw_public).verify(parse_signature(signature), digest.encode("ascii"))
    except (InvalidSignature, UnreadableKey, ValueError):
        return False
    return True


@dataclass
class BundleCheck:
    ok: bool = True
    reasons: list[str] = field(default_factory=list)
    digest: str = ""
    verified_parties: list[str] = field(default_factory=list)

    def fail(self, reason: str) -> None:
        self.ok = False
        self.reasons.append(reason)


def write_bundle(path: Path, *, manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    """A ZIP (stored, not compressed: each file's bytes are as they are) holding manifest.json and the files."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as bundle:
        bundle.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        for name, content in sorted(files.items()):
            bundle.writestr(name, content)


def _read_members(path: Path, check: BundleCheck) -> dict[str, bytes] | None:
    if path.is_dir():
        return {str(p.relative_to(path)): p.read_bytes() for p in path.rglob("*") if p.is_file()}
    try:
        with zipfile.ZipFile(path) as bundle:
            members: dict[str, bytes] = {}
            for info in bundle.infolist():
                try:
                    members[info.filename] = bundle.read(info)
                except zipfile.BadZipFile as exc:  # a changed byte breaks the member's CRC-32
                    check.fail(f"{info.filename}: damaged ({exc})")
            return members
    except (zipfile.BadZipFile, OSError) as exc:
        check.fail(f"not a readable bundle: {exc}")
        return None


def verify_bundle(path: Path) -> BundleCheck:
    """Check every text against the manifest, the canonical hash, each key's fingerprint and each signature."""
    check = BundleCheck()
    members = _read_members(path, check)
    if members is None:
        return check
    try:
        manifest = json.loads(members["manifest.json"].decode("utf-8"))
        assert manifest.get("format") == BUNDLE_FORMAT
        texts, signatures = manifest["texts"], manifest["signatures"]
    except (KeyError, ValueError, AssertionError, TypeError):
        check.fail("manifest.json is missing, unreadable or not a Spacebridge agreement bundle")
        return check
    for text in texts:
        content = members.get(text.get("path", ""))
        if content is None:
            check.fail(f"{text.get('path')}: missing")
        elif hashlib.sha256(content).hexdigest() != text.get("sha256"):
            check.fail(f"{text['path']}: SHA-256 differs from the manifest (the text was changed)")
    for scan in manifest.get("scans", []):
        content = members.get(scan.get("path", ""))
        if content is not None and hashlib.sha256(content).hexdigest() != scan.get("sha256"):
            check.fail(f"{scan['path']}: SHA-256 differs from the manifest (the scan was changed)")
    check.digest = canonical_hash(reference=manifest.get("reference", ""), texts=texts)
    if manifest.get("canonical_hash") != check.digest:
        check.fail("the manifest's canonical hash does not match its texts")
    if not signatures:
        check.fail("the bundle holds no digital signature")
    for signature in signatures:
        _check_signature(signature, members, check)
    return check


def _check_signature(signature: dict[str, Any], members: dict[str, bytes], check: BundleCheck) -> None:
    party = signature.get("party", "?")
    key_file = members.get(signature.get("key_path", ""))
    if key_file is None:
        check.fail(f"party {party}: key file {signature.get('key_path')} missing")
        return
    try:
        raw = parse_public_key(key_file)
    except UnreadableKey as exc:
        check.fail(f"party {party}: {exc}")
        return
    if fingerprint(raw) != signature.get("key_fingerprint"):
        check.fail(f"party {party}: the key file does not match the key fingerprint (the key was changed)")
        return
    if not verify_digest(raw, check.digest, signature.get("signature", "")):
        check.fail(f"party {party}: the signature does not verify against the texts' canonical hash")
        return
    check.verified_parties.append(party)
