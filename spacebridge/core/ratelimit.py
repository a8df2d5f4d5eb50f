"""Sign-in rate limiting: failed attempts per account and per address, counted in the shared cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest, username: str) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "")
    account = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    return [f"login-fail:acct:{account}", f"login-fail:addr:{address}"]


def login_blocked(request: HttpRequest, username: str) -> bool:
    limit = settings.LOGIN_ATTEMPTS
    counts = cache.get_many(_keys(request, username))
    # An address gets a wider allowance than one account: several people may sign in from one office.
    return any(count >= (limit if ":acct:" in key else limit * 4) for key, count in counts.items())


def login_failed(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        if cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def login_succeeded(request: HttpRequest, username: str) -> None:
    cache.delete(_keys(request, username)[0])
