"""What a user is, for access decisions: their parties, delegations and working groups.

Every read of a page goes through the access policy, so the principal is computed on every request: once per request
(kept on the user object the request carries) and in one query — the user's own parties (party roles and current
affiliations), those parties' ancestors (a recursive walk up the party tree), their countries and the working groups
the user is in (in person, or through one of those parties), all in one round trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from spacebridge.groups.models import GroupMembership
from spacebridge.parties.models import Affiliation, Party, Person, RoleAssignment


@dataclass(frozen=True)
class Principal:
    authenticated: bool = False
    user_id: int | None = None
    # The user's own parties (current affiliations and party roles), for "owner" decisions.
    own_party_ids: frozenset[int] = field(default_factory=frozenset)
    # Those parties and their ancestors: a release to a parent reaches its sub-parties' people.
    party_ids: frozenset[int] = field(default_factory=frozenset)
    countries: frozenset[str] = field(default_factory=frozenset)
    group_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_member(self) -> bool:
        return self.authenticated


ANONYMOUS = Principal()


def _sql() -> str:
    """The one query: rows ``(kind, id, country)`` with kind ``own``, ``up`` (own parties and ancestors) or ``group``.
    Memberships and affiliations count on the day asked (``start``/``end`` inclusive, open ends)."""
    q = connection.ops.quote_name
    start, end = q("start"), q("end")
    tables = {
        "assignment": q(RoleAssignment._meta.db_table),
        "affiliation": q(Affiliation._meta.db_table),
        "person": q(Person._meta.db_table),
        "party": q(Party._meta.db_table),
        "membership": q(GroupMembership._meta.db_table),
    }
    return f"""
        WITH RECURSIVE own_party(party_id) AS (
            SELECT ra.party_id FROM {tables["assignment"]} ra WHERE ra.user_id = %(user)s AND ra.party_id IS NOT NULL
            UNION
            SELECT af.party_id FROM {tables["affiliation"]} af
            INNER JOIN {tables["person"]} pe ON pe.id = af.person_id
            WHERE pe.user_id = %(user)s
              AND (af.{start} IS NULL OR af.{start} <= %(today)s) AND (af.{end} IS NULL OR af.{end} >= %(today)s)
        ),
        up_party(party_id) AS (
            SELECT party_id FROM own_party
            UNION
            SELECT pa.parent_id FROM {tables["party"]} pa INNER JOIN up_party ON pa.id = up_party.party_id
            WHERE pa.parent_id IS NOT NULL
        )
        SELECT 'own', own_party.party_id, pa.country FROM own_party
        INNER JOIN {tables["party"]} pa ON pa.id = own_party.party_id
        UNION ALL
        SELECT 'up', party_id, '' FROM up_party
        UNION ALL
        SELECT 'group', gm.group_id, '' FROM {tables["membership"]} gm
        WHERE (gm.{start} IS NULL OR gm.{start} <= %(today)s) AND (gm.{end} IS NULL OR gm.{end} >= %(today)s)
          AND (
            gm.person_id IN (SELECT pe.id FROM {tables["person"]} pe WHERE pe.user_id = %(user)s)
            OR (gm.person_id IS NULL AND gm.party_id IN (SELECT party_id FROM up_party))
          )
    """


def principal_of_user_id(user_id: int) -> Principal:
    """The principal of an active, signed-in user, read in one query."""
    own: set[int] = set()
    with_ancestors: set[int] = set()
    countries: set[str] = set()
    groups: set[int] = set()
    today = connection.ops.adapt_datefield_value(date.today())
    with connection.cursor() as cursor:
        cursor.execute(_sql(), {"user": user_id, "today": today})
        for kind, pk, country in cursor.fetchall():
            if kind == "own":
                own.add(pk)
                if country:
                    countries.add(country)
            elif kind == "up":
                with_ancestors.add(pk)
            else:
                groups.add(pk)
    return Principal(
        authenticated=True,
        user_id=user_id,
        own_party_ids=frozenset(own),
        party_ids=frozenset(with_ancestors),
        countries=frozenset(countries),
        group_ids=frozenset(groups),
    )


def principal_for(user) -> Principal:  # type: ignore[no-untyped-def]
    """The principal of a user, computed once per user object (a request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_sb_principal", None)
    if cached is not None:
        return cached
    principal = principal_of_user_id(user.pk)
    user._sb_principal = principal
    return principal
