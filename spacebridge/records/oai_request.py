"""OAI-PMH 2.0 requests: the arguments each verb takes, datestamps, sets and resumption tokens.

Everything here is pure parsing; nothing reads the database. A request either becomes an :class:`OaiRequest` or an
:class:`OaiError` carrying the protocol's error code, with the exact semantics of the specification (section 3.6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core import signing
from django.http import QueryDict

METADATA_PREFIXES = ("oai_dc", "oai_datacite")
SET_KINDS = ("type", "party", "subject")
PAGE_SIZE = 100

# verb -> (required arguments, optional arguments); a resumptionToken is exclusive (section 3.5).
VERB_ARGUMENTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set", "resumptionToken"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set", "resumptionToken"})),
}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_SET_PART = r"[A-Za-z0-9\-_.!~*'()]+"
SET_SPEC = re.compile(rf"^{_SET_PART}(:{_SET_PART})*$")
METADATA_PREFIX = re.compile(rf"^{_SET_PART}$")
_TOKEN_SALT = "spacebridge.records.oai.resumption"


class OaiError(Exception):
    """One OAI-PMH error condition; the response carries ``code`` and ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Selection:
    """What a list request selects, frozen for a whole harvest: the resumption token carries it from page to page.

    ``before`` is an exclusive upper bound on the datestamp: the harvest's ``until`` (to the end of its second or
    day) or, when that is later or absent, the moment the harvest began. Records changed or published during the
    harvest fall after it, so the keyset ``(datestamp, id)`` walks a list that no write can shift: nothing is
    skipped, nothing comes twice, and the harvester meets the changes in its next incremental harvest.
    """

    metadata_prefix: str
    before: datetime
    since: datetime | None = None
    set_spec: str = ""
    after: tuple[datetime, int] | None = None  # the last (datestamp, id) delivered
    cursor: int = 0  # how many records earlier pages delivered


@dataclass(frozen=True)
class OaiRequest:
    verb: str
    arguments: dict[str, str]  # as received, echoed in the response's <request> element
    identifier: str = ""
    metadata_prefix: str = ""
    selection: Selection | None = None
    resumption_token: str = ""


def parse_request(params: QueryDict, *, now: datetime) -> OaiRequest:
    """Check the verb and its arguments; raise :class:`OaiError` (badVerb, badArgument, badResumptionToken,
    cannotDisseminateFormat) when the request is not one the protocol allows."""
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERB_ARGUMENTS:
        if not verbs:
            raise OaiError("badVerb", "The request has no verb.")
        if len(verbs) > 1:
            raise OaiError("badVerb", "The verb argument is repeated.")
        raise OaiError("badVerb", f"“{verbs[0][:100]}” is not an OAI-PMH verb.")
    verb = verbs[0]
    arguments = _single_arguments(params, verb)
    required = VERB_ARGUMENTS[verb][0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument: send it alone with the verb.")
        if verb == "ListSets":
            raise OaiError("badResumptionToken", "This repository never issues resumption tokens for ListSets.")
        selection = token_decode(arguments["resumptionToken"], verb=verb)
        return OaiRequest(verb, arguments, selection=selection, resumption_token=arguments["resumptionToken"])
    missing = sorted(required - set(arguments))
    if missing:
        raise OaiError("badArgument", f"{verb} requires the argument(s) {', '.join(missing)}.")
    prefix = arguments.get("metadataPrefix", "")
    selection = None
    if verb in ("ListIdentifiers", "ListRecords"):  # malformed arguments first: badArgument before the format
        selection = _selection(arguments, prefix, now=now)
    if prefix and prefix not in METADATA_PREFIXES:
        raise OaiError("cannotDisseminateFormat", f"The metadata format “{prefix[:100]}” is not supported here.")
    return OaiRequest(
        verb, arguments, identifier=arguments.get("identifier", ""), metadata_prefix=prefix, selection=selection
    )


def _single_arguments(params: QueryDict, verb: str) -> dict[str, str]:
    required, optional = VERB_ARGUMENTS[verb]
    allowed = required | optional
    arguments: dict[str, str] = {}
    for name in params:
        if name == "verb":
            continue
        if name not in allowed:
            raise OaiError("badArgument", f"{verb} does not take the argument “{name[:100]}”.")
        values = params.getlist(name)
        if len(values) > 1:
            raise OaiError("badArgument", f"The argument {name} is repeated.")
        if not values[0]:
            raise OaiError("badArgument", f"The argument {name} is empty.")
        arguments[name] = values[0]
    return arguments


def parse_datestamp(value: str, name: str) -> tuple[datetime, timedelta]:
    """A ``from``/``until`` value as (start of the period, the granule: a day or a second)."""
    try:
        if _DAY.match(value):
            return datetime.combine(date.fromisoformat(value), datetime.min.time(), tzinfo=UTC), timedelta(days=1)
        if _SECONDS.match(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), timedelta(seconds=1)
    except ValueError:
        pass
    raise OaiError(
        "badArgument", f"The argument {name} must be a UTC date YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not “{value[:40]}”."
    )


def _selection(arguments: dict[str, str], prefix: str, *, now: datetime) -> Selection:
    since = until = None
    if "from" in arguments:
        since, from_granule = parse_datestamp(arguments["from"], "from")
    if "until" in arguments:
        until, until_granule = parse_datestamp(arguments["until"], "until")
    if since and until:
        if from_granule != until_granule:
            raise OaiError("badArgument", "The arguments from and until must have the same granularity.")
        if since > until:
            raise OaiError("badArgument", "The argument from must not be later than until.")
    set_spec = arguments.get("set", "")
    if set_spec and not SET_SPEC.match(set_spec):
        raise OaiError("badArgument", f"“{set_spec[:100]}” is not a valid setSpec.")
    # until names a whole second or day: the bound is the end of it, or now when that comes first.
    before = now if until is None else min(until + until_granule, now)
    return Selection(metadata_prefix=prefix, before=before, since=since, set_spec=set_spec)


def token_encode(selection: Selection, *, verb: str) -> str:
    """A resumption token: the frozen selection, the cursor and the last (datestamp, id), signed. No count: the
    list's size is not counted while it is walked (``completeListSize`` is optional and given on the last page)."""
    after = selection.after
    payload: dict[str, Any] = {
        "v": verb[4],  # "I" for ListIdentifiers, "R" for ListRecords
        "p": selection.metadata_prefix,
        "b": selection.before.isoformat(),
        "f": selection.since.isoformat() if selection.since else "",
        "s": selection.set_spec,
        "a": [after[0].isoformat(), after[1]] if after else None,
        "c": selection.cursor,
    }
    return signing.dumps(payload, salt=_TOKEN_SALT, compress=True)


def token_decode(token: str, *, verb: str) -> Selection:
    try:
        payload = signing.loads(token, salt=_TOKEN_SALT)
        if payload["v"] != verb[4] or payload["p"] not in METADATA_PREFIXES:
            raise ValueError("token of another list")
        after = payload["a"]
        return Selection(
            metadata_prefix=payload["p"],
            before=datetime.fromisoformat(payload["b"]),
            since=datetime.fromisoformat(payload["f"]) if payload["f"] else None,
            set_spec=payload["s"],
            after=(datetime.fromisoformat(after[0]), int(after[1])) if after else None,
            cursor=int(payload["c"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError):
        raise OaiError("badResumptionToken", "The resumption token is invalid or belongs to another list.") from None


def next_selection(selection: Selection, *, last: tuple[datetime, int], delivered: int) -> Selection:
    return replace(selection, after=last, cursor=selection.cursor + delivered)


def format_datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
