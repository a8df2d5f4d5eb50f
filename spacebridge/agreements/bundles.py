"""The export bundle of an agreement: its final texts in every language, the signed scans, the digital signatures
and the parties' public keys, with a manifest; ``signing.verify_bundle`` checks it offline."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from spacebridge.agreements import selectors
from spacebridge.agreements import signing as crypto
from spacebridge.agreements.models import Agreement, Signature


def bundle_contents(agreement: Agreement) -> tuple[dict[str, Any], dict[str, bytes]]:
    files: dict[str, bytes] = {}
    texts = []
    for version in selectors.current_versions(agreement):
        path = f"texts/{version.text.language}.md"
        content = version.body.encode("utf-8")
        files[path] = content
        texts.append(
            {
                "language": version.text.language,
                "version": version.number,
                "kind": version.kind,
                "sha256": hashlib.sha256(content).hexdigest(),
                "path": path,
            }
        )
    signatures, wet_ink, scans = [], [], []
    for ap in agreement.parties.all():
        for signature in ap.signatures.all():
            if signature.kind == Signature.Kind.DIGITAL and signature.key is not None:
                key_path = f"keys/{ap.party.code}-{signature.key.fingerprint[:16]}.pem"
                files[key_path] = crypto.public_pem(bytes.fromhex(signature.key.public_key)).encode()
                signatures.append(
                    {
                        "party": ap.party.code,
                        "key_fingerprint": signature.key.fingerprint,
                        "key_path": key_path,
                        "signature": signature.value,
                        "signed_at": signature.signed_at.isoformat(),
                        "signed_by": signature.signed_by,
                    }
                )
            else:
                wet_ink.append(
                    {
                        "party": ap.party.code,
                        "signed_by": signature.signed_by,
                        "place": signature.place,
                        "signed_at": signature.signed_at.isoformat(),
                        "scan_sha256": signature.scan.sha256 if signature.scan else None,
                    }
                )
    for scan in agreement.scans.all():
        path = f"scans/{scan.sha256[:12]}-{scan.name}"
        with scan.file.open("rb") as handle:
            files[path] = handle.read()
        scans.append({"name": scan.name, "path": path, "sha256": scan.sha256})
    manifest = {
        "format": crypto.BUNDLE_FORMAT,
        "reference": agreement.reference,
        "title": agreement.title.to_json(),
        "status": agreement.status,
        "parties": [
            {
                "code": ap.party.code,
                "name": ap.party.name.get("en"),
                "signed_on": ap.signed_on.isoformat() if ap.signed_on else None,
                "place": ap.signed_place,
            }
            for ap in agreement.parties.all()
        ],
        "texts": texts,
        "canonical_hash": crypto.canonical_hash(reference=agreement.reference, texts=texts),
        "signatures": signatures,
        "wet_ink_signatures": wet_ink,
        "scans": scans,
    }
    return manifest, files


def bundle_write(*, agreement: Agreement, path: Path) -> dict[str, Any]:
    manifest, files = bundle_contents(agreement)
    crypto.write_bundle(path, manifest=manifest, files=files)
    return manifest
