"""`spacebridge agreements …`: agreements, their texts and signatures (docs/agreements.md, docs/cli.md).

`keygen` and `verify` need no database and no account: a party creates its key pair and checks a bundle on its own
machine. `sign` reads the private key from a local file, signs the canonical hash in this process, and sends only
the signature."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"There is no user “{username}”.")
    return user


def _agreement(reference: str, user: Any) -> Any:
    from django.http import Http404

    from spacebridge.agreements.models import Agreement
    from spacebridge.agreements.selectors import agreement_get_for_user

    if user is None:
        agreement = Agreement.objects.filter(reference=reference.strip().upper()).first()
        if agreement is None:
            raise click.ClickException(f"There is no agreement “{reference}”.")
        return agreement
    try:
        return agreement_get_for_user(user=user, reference=reference.strip().upper())
    except Http404:
        raise click.ClickException(f"There is no agreement “{reference}”, or {user} may not see it.") from None


def _fail(error: Exception) -> click.ClickException:
    messages = getattr(error, "messages", None) or [str(error)]
    return click.ClickException("; ".join(str(m) for m in messages))


@click.group(name="agreements")
def agreements() -> None:
    """Agreements (MoUs): list, texts, keys, signatures, export and offline verification, deadlines."""


@agreements.command("list")
@click.option("--status", default="", help="Only agreements in this status.")
@click.option("--as-user", "username", default="", help="List what this user may see (default: everything).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
def list_agreements(status: str, username: str, as_json: bool) -> None:
    """List agreements: reference, status, implementation status and title."""
    from spacebridge.agreements.models import Agreement
    from spacebridge.agreements.selectors import agreement_list, implementation_status

    user = _user(username)
    rows = (
        agreement_list(user=user, status=status)
        if user
        else Agreement.objects.filter(**({"status": status} if status else {}))
    )
    for agreement in rows.order_by("reference"):
        implementation = implementation_status(agreement) or "-"
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "reference": agreement.reference,
                        "status": agreement.status,
                        "implementation": implementation,
                        "title": agreement.title.to_json(),
                    },
                    ensure_ascii=False,
                )
            )
        else:
            click.echo(
                f"{agreement.reference:<14} {agreement.status:<12} {implementation:<9} {agreement.title.get('en')}"
            )


@agreements.command("show")
@click.argument("reference")
@click.option("--as-user", "username", default="", help="Show what this user may see (default: everything).")
def show(reference: str, username: str) -> None:
    """Show an agreement: parties, texts, signatures, the canonical hash and commitments."""
    from spacebridge.agreements import selectors

    agreement = _agreement(reference, _user(username))
    click.echo(f"{agreement.reference}  {agreement.get_status_display()}  {agreement.title.get('en')}")
    for row in selectors.signature_state(agreement):
        ap = row["party"]
        signed = ", ".join(
            f"{c['signature'].kind}{'' if c['valid'] is None else (' verified' if c['valid'] else ' INVALID')}"
            for c in row["signatures"]
        )
        click.echo(f"  party {ap.party.code:<16} {signed or 'not signed'}")
    for state in selectors.text_states(agreement):
        flag = "  OUT OF STEP" if state.out_of_step else ""
        version = state.version
        click.echo(f"  text  {state.text.language}  v{version.number} {version.kind} {version.sha256[:16]}…{flag}")
    if agreement.texts.exists():
        click.echo(f"  canonical hash {selectors.agreement_hash(agreement)}")
    for commitment in agreement.commitments.all():
        status = selectors.commitment_status(commitment) or "cancelled"
        click.echo(
            f"  commitment #{commitment.pk} art. {commitment.article_key} {status}: {commitment.passage.get('en')[:70]}"
        )


@agreements.command("import-text")
@click.argument("reference")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--language", required=True, help="Language of the text: en, zh, ru, fr, es or ar.")
@click.option(
    "--kind",
    type=click.Choice(["authentic", "translation"]),
    default="authentic",
    show_default=True,
    help="Whether this language's text is authentic or a translation.",
)
@click.option("--note", default="", help="What changed in this version.")
@click.option("--by", "username", required=True, help="Username of the person adding the version (checked, audited).")
def import_text(reference: str, path: Path, language: str, kind: str, note: str, username: str) -> None:
    """Add a version of the text in one language from a Markdown or plain-text file; articles are recognised."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from spacebridge.agreements.services import text_version_add

    user = _user(username)
    agreement = _agreement(reference, user)
    try:
        body = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{path} is not UTF-8 text ({error.reason} at byte {error.start}).") from None
    try:
        version = text_version_add(agreement=agreement, by=user, language=language, body=body, kind=kind, note=note)
    except (ValidationError, PermissionDenied) as error:
        raise _fail(error) from None
    click.echo(f"{agreement.reference} [{language}] v{version.number}: {version.articles.count()} articles")


@agreements.command("keygen")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the private key (PEM); the public key goes beside it as .pub.",
)
def keygen(output: Path) -> None:
    """Create an Ed25519 key pair on this machine. Register only the .pub file; keep the private key here."""
    import os

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from spacebridge.agreements import signing

    if output.exists():
        raise click.ClickException(f"{output} exists; choose another name.")
    key = Ed25519PrivateKey.generate()
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(signing.private_pem(key))
    public = output.with_name(output.name + ".pub")
    public.write_text(signing.public_pem(signing.public_raw(key)), encoding="ascii")
    click.echo(
        f"private key {output}\npublic key  {public}\nfingerprint {signing.fingerprint(signing.public_raw(key))}"
    )


@agreements.command("register-key")
@click.argument("party")
@click.argument("public_key", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--label", default="", help="A name for the key, e.g. who holds it.")
@click.option("--by", "username", required=True, help="Username of the party's officer registering it.")
def register_key(party: str, public_key: Path, label: str, username: str) -> None:
    """Register a party's Ed25519 public key (PEM, hexadecimal or base64)."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from spacebridge.agreements.signatures import party_key_register
    from spacebridge.parties.models import Party

    found = Party.objects.filter(code=party.strip().lower()).first()
    if found is None:
        raise click.ClickException(f"There is no party “{party}”.")
    try:
        key = party_key_register(party=found, by=_user(username), public_key=public_key.read_bytes(), label=label)
    except (ValidationError, PermissionDenied) as error:
        raise _fail(error) from None
    click.echo(f"{found.code} key {key.fingerprint}")


@agreements.command("hash")
@click.argument("reference")
@click.option("--as-user", "username", default="", help="Read as this user (default: everything).")
def hash_command(reference: str, username: str) -> None:
    """Print the canonical hash of the final texts: the exact message a party signs."""
    from spacebridge.agreements.selectors import agreement_hash

    click.echo(agreement_hash(_agreement(reference, _user(username))))


@agreements.command("sign")
@click.argument("reference")
@click.option("--party", required=True, help="Code of the party signing.")
@click.option(
    "--key",
    "key_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The party's private key file (PEM); it is read here and never sent anywhere.",
)
@click.option("--by", "username", default="", help="Record the signature as this officer of the party.")
@click.option("--place", default="", help="Where the signature is made.")
@click.option("--detached", is_flag=True, help="Only print the base64 signature, to upload on the agreement's page.")
def sign(reference: str, party: str, key_path: Path, username: str, place: str, detached: bool) -> None:
    """Sign the canonical hash of the agreement's final texts for a party with its Ed25519 private key."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from spacebridge.agreements import selectors
    from spacebridge.agreements import signing as crypto
    from spacebridge.agreements.signatures import signature_add_digital

    user = _user(username)
    agreement = _agreement(reference, user)
    try:
        key = crypto.load_private_key(key_path.read_bytes())
    except crypto.UnreadableKey as error:
        raise click.ClickException(f"{key_path}: {error}") from None
    value = crypto.sign_digest(key, selectors.agreement_hash(agreement))
    if detached:
        click.echo(value)
        return
    if user is None:
        raise click.ClickException("Give --by (the officer recording the signature) or --detached.")
    agreement_party = agreement.parties.filter(party__code=party.strip().lower()).first()
    if agreement_party is None:
        raise click.ClickException(f"“{party}” is not a party to {agreement.reference}.")
    try:
        signature_add_digital(agreement_party=agreement_party, by=user, signature=value, place=place)
    except (ValidationError, PermissionDenied) as error:
        raise _fail(error) from None
    agreement.refresh_from_db()
    click.echo(f"{agreement.reference}: signed for {agreement_party.party.code}; status {agreement.status}")


@agreements.command("export")
@click.argument("reference")
@click.option(
    "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The bundle file to write (a ZIP)."
)
@click.option("--as-user", "username", default="", help="Export as this user (default: everything).")
def export(reference: str, output: Path, username: str) -> None:
    """Write the bundle of an agreement: texts, scans, signatures, public keys and a manifest."""
    from spacebridge.agreements.bundles import bundle_write

    manifest = bundle_write(agreement=_agreement(reference, _user(username)), path=output)
    click.echo(
        f"{output}: {len(manifest['texts'])} texts, {len(manifest['signatures'])} digital signatures, "
        f"canonical hash {manifest['canonical_hash']}"
    )


@agreements.command("verify")
@click.argument("bundle", type=click.Path(exists=True, path_type=Path))
def verify(bundle: Path) -> None:
    """Check a bundle offline: every text against the manifest, every signature against its key. Exit status 1 and
    the reasons when anything fails."""
    from spacebridge.agreements.signing import verify_bundle

    check = verify_bundle(bundle)
    if check.ok:
        click.echo(
            f"OK: {len(check.verified_parties)} signatures verify ({', '.join(check.verified_parties)}); "
            f"canonical hash {check.digest}"
        )
        return
    for reason in check.reasons:
        click.echo(f"FAILED: {reason}", err=True)
    sys.exit(1)


@agreements.command("remind")
@click.option("--today", default="", help="Run as of this day, YYYY-MM-DD (default: today).")
@click.option("--enqueue", is_flag=True, help="Queue the daily task for the worker instead of running it here.")
def remind(today: str, enqueue: bool) -> None:
    """The daily run: entry into force by date, expiry or renewal, and e-mail reminders 180, 90 and 30 days before
    expiry, notice deadlines and renewal. Safe to run more than once a day."""
    from datetime import date

    from spacebridge.agreements.deadlines import agreements_daily, run_daily

    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise click.ClickException("--today must be a date, YYYY-MM-DD.") from None
    if enqueue:
        agreements_daily.enqueue(day.isoformat() if day else None)
        click.echo("queued")
        return
    result = run_daily(today=day)
    click.echo(f"reminders sent: {result['reminders']}")
