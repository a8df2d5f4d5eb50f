"""Domain-free pages: health, sign-in with its rate limit, password reset, time zone, error pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from spacebridge.core.middleware import TIME_ZONE_COOKIE
from spacebridge.parties.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _session_user(client) -> str | None:  # type: ignore[no-untyped-def]
    return client.session.get("_auth_user_id")


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "vendor": connection.vendor}


def test_health_check_answers_get_only(client):
    assert client.post("/healthz").status_code == 405


def test_signing_in_with_the_right_password(client):
    user = UserFactory(username="liaison")
    response = client.post(LOGIN, {"username": "liaison", "password": PASSWORD})
    assert response.status_code == 302
    assert _session_user(client) == str(user.pk)


def test_a_wrong_password_is_refused_with_a_message(client):
    UserFactory(username="liaison")
    response = client.post(LOGIN, {"username": "liaison", "password": "wrong-password"})
    assert response.status_code == 200
    assert "Please correct the problems below." in response.content.decode()
    assert _session_user(client) is None


@pytest.fixture
def three_attempts(settings):  # type: ignore[no-untyped-def]
    settings.LOGIN_ATTEMPTS = 3
    return 3


def test_after_too_many_failures_even_the_right_password_waits(client, three_attempts):
    UserFactory(username="liaison")
    for _attempt in range(three_attempts):
        assert client.post(LOGIN, {"username": "liaison", "password": "guess"}).status_code == 200
    response = client.post(LOGIN, {"username": "liaison", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts. Wait a few minutes and try again." in response.content.decode()
    assert _session_user(client) is None


def test_the_limit_counts_the_account_whatever_its_letter_case(client, three_attempts):
    UserFactory(username="liaison")
    for name in ("liaison", "LIAISON", " Liaison "):
        client.post(LOGIN, {"username": name, "password": "guess"})
    assert client.post(LOGIN, {"username": "liaison", "password": PASSWORD}).status_code == 429


def test_a_successful_sign_in_clears_the_accounts_failures(client, three_attempts):
    UserFactory(username="liaison")
    for _round in range(2):
        for _attempt in range(three_attempts - 1):
            client.post(LOGIN, {"username": "liaison", "password": "guess"})
        assert client.post(LOGIN, {"username": "liaison", "password": PASSWORD}).status_code == 302
        client.post("/accounts/logout/")


def test_another_account_from_the_same_address_may_still_sign_in(client, three_attempts):
    UserFactory(username="liaison")
    UserFactory(username="colleague")
    for _attempt in range(three_attempts):
        client.post(LOGIN, {"username": "liaison", "password": "guess"})
    assert client.post(LOGIN, {"username": "colleague", "password": PASSWORD}).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    UserFactory(username="liaison", email="liaison@example.org")

    response = client.post("/accounts/password-reset/", {"email": "liaison@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["liaison@example.org"]
    assert "liaison" in message.body
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body)
    assert link, message.body

    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    set_password_url = form.redirect_chain[-1][0]
    new_password = "orbital-rendezvous-2026"
    done = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302

    fresh = Client()
    assert fresh.post(LOGIN, {"username": "liaison", "password": new_password}).status_code == 302
    assert Client().post(LOGIN, {"username": "liaison", "password": PASSWORD}).status_code == 200


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_choosing_a_time_zone_sets_the_cookie_and_shows_it(client):
    response = client.post("/time-zone/", {"time_zone": "Europe/Moscow", "next": "/parties/"})
    assert response.status_code == 302
    assert response["Location"] == "/parties/"
    assert response.cookies[TIME_ZONE_COOKIE].value == "Europe/Moscow"
    page = client.get("/parties/")
    assert '<option value="Europe/Moscow" selected>' in page.content.decode()


def test_an_unknown_time_zone_is_refused_with_a_message(client):
    response = client.post("/time-zone/", {"time_zone": "Mars/Olympus_Mons", "next": "/parties/"}, follow=True)
    assert TIME_ZONE_COOKIE not in client.cookies
    assert "“Mars/Olympus_Mons” is not a known time zone." in response.content.decode()


def test_the_time_zone_form_never_redirects_off_site(client):
    response = client.post("/time-zone/", {"time_zone": "UTC", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_time_zone_form_takes_posts_only(client):
    assert client.get("/time-zone/").status_code == 405


@pytest.mark.parametrize(
    ("headers", "cookies", "html_lang"),
    [
        ({}, {}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "ru-RU,ru;q=0.9"}, {}, "ru"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}, {}, "zh-Hans"),
        ({}, {"django_language": "ru"}, "ru"),
        ({"HTTP_ACCEPT_LANGUAGE": "ru"}, {"django_language": "zh-hans"}, "zh-Hans"),
    ],
    ids=["default", "accept-language-ru", "accept-language-zh", "cookie-ru", "cookie-beats-header"],
)
def test_the_not_found_page_is_in_the_visitors_language(client, headers, cookies, html_lang):
    for name, value in cookies.items():
        client.cookies[name] = value
    response = client.get("/no-such-page/", **headers)
    assert response.status_code == 404
    text = response.content.decode()
    assert f'<html lang="{html_lang}">' in text
    assert 'class="error-page"' in text
    assert '<p class="status">404</p>' in text
    assert 'href="/accounts/login/"' in text  # a visitor is offered to sign in: the object may need it


def test_the_not_found_page_in_english_says_so(client):
    text = client.get("/no-such-page/").content.decode()
    assert "Not found" in text
    assert "There is nothing here, or you may not see it." in text


def test_an_expired_form_gets_a_readable_403():
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(LOGIN, {"username": "x", "password": "y"})
    assert response.status_code == 403
    text = response.content.decode()
    assert 'class="error-page"' in text
    assert "Form expired" in text
