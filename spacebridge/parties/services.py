"""Writes of the parties app. Each is one transaction and one audit entry."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import available_timezones

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spacebridge.audit.services import audit_record, diff
from spacebridge.core.multilingual import CONTENT_LANGUAGES, MultilingualText
from spacebridge.parties.models import Affiliation, Party, Person, Role, RoleAssignment, fold_name
from spacebridge.parties.permissions import Perm, can_edit_party, can_edit_person, has_perm

# Read once: available_timezones() walks the zoneinfo folders on every call (25 ms per person written).
_ZONES = frozenset(available_timezones())

PARTY_FIELDS = ["code", "name", "short_name", "kind", "country", "parent", "website", "status"]
PERSON_FIELDS = ["names", "transliteration", "email", "time_zone", "languages"]


def _party_state(party: Party) -> dict[str, Any]:
    return {
        "code": party.code,
        "name": party.name.to_json(),
        "short_name": party.short_name,
        "kind": party.kind,
        "country": str(party.country),
        "parent": party.parent.code if party.parent else None,
        "website": party.website,
        "status": party.status,
    }


def _party_index(party: Party) -> str:
    return " ".join(
        filter(
            None,
            [fold_name(party.short_name), fold_name(party.code), *(fold_name(t) for t in party.name.text.values())],
        )
    )


def _check_parent(party: Party) -> None:
    node = party.parent
    while node is not None:
        if node.pk == party.pk:
            raise ValidationError({"parent": _("A party cannot be its own parent or ancestor.")})
        node = node.parent


# Codes that would collide with the parties app's own addresses (/parties/people/, /parties/new/).
RESERVED_CODES = {"new", "people", "delegations", "edit"}


def _save_party(party: Party) -> None:
    party.short_name = party.short_name.strip()
    if party.code in RESERVED_CODES:
        raise ValidationError({"code": _("“%(code)s” is reserved; choose another code.") % {"code": party.code}})
    party.full_clean()
    _check_parent(party)
    party.name_index = _party_index(party)
    party.save()


@transaction.atomic
def party_create(*, by: Any, check_permission: bool = True, **fields: Any) -> Party:
    if check_permission and not has_perm(by, Perm.PARTY_CREATE):
        raise PermissionDenied(_("Only the secretariat registers parties."))
    unknown = set(fields) - set(PARTY_FIELDS)
    if unknown:
        raise ValueError(f"unknown party fields {unknown}")
    party = Party(**fields)
    _save_party(party)
    audit_record(
        actor=by, verb="party.created", obj=party, changes={k: [None, v] for k, v in _party_state(party).items()}
    )
    return party


@transaction.atomic
def party_update(*, party: Party, by: Any, **fields: Any) -> Party:
    if not can_edit_party(by, party):
        raise PermissionDenied(_("You may not edit this party."))
    if "code" in fields and fields["code"] != party.code and not has_perm(by, Perm.PARTY_CREATE):
        raise PermissionDenied(_("Only the secretariat changes a party's code."))
    before = _party_state(party)
    for name, value in fields.items():
        if name not in PARTY_FIELDS:
            raise ValueError(f"unknown party field {name}")
        setattr(party, name, value)
    _save_party(party)
    changes = diff(before, _party_state(party))
    if changes:
        audit_record(actor=by, verb="party.updated", obj=party, changes=changes)
    return party


def _clean_names(names: list[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for entry in names:
        language, text = (entry.get("language") or "").strip(), (entry.get("text") or "").strip()
        if not text:
            continue
        if language not in CONTENT_LANGUAGES:
            raise ValidationError({"names": _("“%(lang)s” is not a supported language.") % {"lang": language}})
        if "\x00" in text or len(text) > 200:
            raise ValidationError({"names": _("Each name must be at most 200 characters of text.")})
        cleaned.append({"language": language, "text": text})
    if not cleaned:
        raise ValidationError({"names": _("Give the person's name in at least one script.")})
    if len({n["language"] for n in cleaned}) != len(cleaned):
        raise ValidationError({"names": _("Give one name per language.")})
    return cleaned


def _person_state(person: Person) -> dict[str, Any]:
    return {k: getattr(person, k) for k in PERSON_FIELDS}


def _save_person(person: Person) -> None:
    person.names = _clean_names(person.names)
    person.transliteration = (person.transliteration or "").strip()
    if not person.transliteration:
        raise ValidationError({"transliteration": _("Give the name in Latin letters.")})
    if person.time_zone not in _ZONES:
        raise ValidationError({"time_zone": _("“%(zone)s” is not a known time zone.") % {"zone": person.time_zone}})
    person.languages = [code for code in dict.fromkeys(person.languages or []) if code]
    bad = [code for code in person.languages if code not in CONTENT_LANGUAGES]
    if bad:
        raise ValidationError({"languages": _("“%(lang)s” is not a supported language.") % {"lang": bad[0]}})
    person.full_clean(exclude=["names", "languages", "user"])
    person.name_index = " ".join(fold_name(n["text"]) for n in person.names) + " " + fold_name(person.transliteration)
    person.save()


@transaction.atomic
def person_create(
    *,
    by: Any,
    names: list[dict[str, str]],
    transliteration: str,
    email: str = "",
    time_zone: str = "UTC",
    languages: list[str] | None = None,
    affiliations: list[dict[str, Any]] | None = None,
    check_permission: bool = True,
) -> Person:
    """Register a person; a liaison officer may register people of their own party."""
    affiliations = affiliations or []
    if check_permission and not (
        has_perm(by, Perm.PERSON_CREATE)
        or (affiliations and all(has_perm(by, Perm.PERSON_CREATE, a["party"]) for a in affiliations))
    ):
        raise PermissionDenied(_("You may not register people for these parties."))
    person = Person(
        names=names,
        transliteration=transliteration,
        email=email.strip(),
        time_zone=time_zone,
        languages=languages or [],
    )
    _save_person(person)
    audit_record(
        actor=by, verb="person.created", obj=person, changes={k: [None, v] for k, v in _person_state(person).items()}
    )
    for affiliation in affiliations:
        _affiliation_add(person=person, by=by, **affiliation)
    return person


@transaction.atomic
def person_update(*, person: Person, by: Any, **fields: Any) -> Person:
    if not can_edit_person(by, person):
        raise PermissionDenied(_("You may not edit this person."))
    before = _person_state(person)
    for name, value in fields.items():
        if name not in PERSON_FIELDS:
            raise ValueError(f"unknown person field {name}")
        setattr(person, name, value)
    _save_person(person)
    changes = diff(before, _person_state(person))
    if changes:
        audit_record(actor=by, verb="person.updated", obj=person, changes=changes)
    return person


def _affiliation_add(
    *,
    person: Person,
    by: Any,
    party: Party,
    role: MultilingualText | dict | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Affiliation:
    affiliation = Affiliation(person=person, party=party, role=MultilingualText.from_json(role), start=start, end=end)
    if start and end and end < start:
        raise ValidationError({"end": _("The end of an affiliation cannot come before its start.")})
    affiliation.full_clean(exclude=["person"])
    affiliation.save()
    audit_record(
        actor=by,
        verb="person.affiliation_added",
        obj=person,
        changes={
            "party": [None, party.code],
            "role": [None, affiliation.role.to_json()],
            "start": [None, start.isoformat() if start else None],
            "end": [None, end.isoformat() if end else None],
        },
    )
    return affiliation


@transaction.atomic
def affiliation_add(
    *, person: Person, by: Any, party: Party, role: Any = None, start: date | None = None, end: date | None = None
) -> Affiliation:
    if not (can_edit_person(by, person) or has_perm(by, Perm.PERSON_EDIT, party)):
        raise PermissionDenied(_("You may not edit this person."))
    return _affiliation_add(person=person, by=by, party=party, role=role, start=start, end=end)


@transaction.atomic
def affiliation_end(*, affiliation: Affiliation, by: Any, end: date) -> Affiliation:
    if not can_edit_person(by, affiliation.person):
        raise PermissionDenied(_("You may not edit this person."))
    if affiliation.start and end < affiliation.start:
        raise ValidationError({"end": _("The end of an affiliation cannot come before its start.")})
    affiliation.end = end
    affiliation.save(update_fields=["end"])
    audit_record(
        actor=by,
        verb="person.affiliation_ended",
        obj=affiliation.person,
        changes={"party": affiliation.party.code, "end": [None, end.isoformat()]},
    )
    return affiliation


@transaction.atomic
def person_link_user(*, person: Person, user: Any, by: Any) -> Person:
    """Link a person to the account they sign in with."""
    if not has_perm(by, Perm.ROLE_ASSIGN):
        raise PermissionDenied(_("Only the secretariat links accounts to people."))
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ValidationError({"user": _("This account already belongs to another person.")})
    previous = person.user.get_username() if person.user else None
    person.user = user
    person.save(update_fields=["user"])
    audit_record(actor=by, verb="person.account_linked", obj=person, changes={"user": [previous, user.get_username()]})
    return person


@transaction.atomic
def role_assign(
    *, user: Any, role: Role, party: Party | None, by: Any, check_permission: bool = True
) -> RoleAssignment:
    if check_permission and not has_perm(by, Perm.ROLE_ASSIGN):
        raise PermissionDenied(_("Only the secretariat assigns roles."))
    if role.party_scoped and party is None:
        raise ValidationError({"party": _("This role is held for a party: choose the party.")})
    if not role.party_scoped:
        party = None
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, party=party)
    if created:
        audit_record(
            actor=by,
            verb="role.assigned",
            obj=assignment,
            changes={"user": user.get_username(), "role": role.code, "party": party.code if party else None},
        )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: Any) -> None:
    if not has_perm(by, Perm.ROLE_ASSIGN):
        raise PermissionDenied(_("Only the secretariat assigns roles."))
    audit_record(
        actor=by,
        verb="role.revoked",
        obj=assignment,
        changes={
            "user": assignment.user.get_username(),
            "role": assignment.role.code,
            "party": assignment.party.code if assignment.party else None,
        },
    )
    assignment.delete()


def _send_invitation(user: Any) -> None:
    """The choose-your-password e-mail (the password-reset message and link), sent to a new account. Django's
    reset form skips accounts without a usable password, so the link is made here with the same token generator."""
    from urllib.parse import urlparse

    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    base = urlparse(settings.BASE_URL)
    context = {
        "user": user,
        "domain": base.netloc,
        "protocol": base.scheme or "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = "".join(render_to_string("core/password_reset_subject.txt", context).splitlines())
    send_mail(subject, render_to_string("core/password_reset_email.txt", context), None, [user.email])


@transaction.atomic
def person_invite(*, person: Person, username: str, by: Any) -> Any:
    """Give a person an account to sign in with: linked to them, no password until they choose one through the
    e-mail they receive."""
    if not has_perm(by, Perm.ROLE_ASSIGN):
        raise PermissionDenied(_("Only the secretariat invites people to sign in."))
    if person.user_id is not None:
        raise ValidationError({"username": _("This person can already sign in.")})
    if not person.email:
        raise ValidationError({"username": _("Record the person's e-mail address first: the invitation goes there.")})
    User = get_user_model()
    username = username.strip()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    user = User(username=username, email=person.email)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    audit_record(actor=by, verb="person.invited", obj=person, changes={"user": [None, username]})
    transaction.on_commit(lambda: _send_invitation(user))
    return user


@transaction.atomic
def account_create(
    *, username: str, email: str, password: str, by: Any = None, superuser: bool = False, staff: bool = False
) -> Any:
    """A sign-in account (the CLI's ``createadmin`` and the demo)."""
    from django.contrib.auth.password_validation import validate_password

    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    user = User(username=username, email=email, is_staff=superuser or staff, is_superuser=superuser)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=by or user,
        verb="account.created",
        obj=user,
        changes={"username": username, "superuser": superuser, "staff": superuser or staff},
    )
    return user
