"""Signing in: only with the right password, never without the form's CSRF token, never by guessing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of, sign_in
from web.sample import PASSWORD
from web.security import SESSION_COOKIE


def test_the_console_sends_a_stranger_to_the_sign_in_page(client: TestClient) -> None:
    answer = client.get("/console/", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/signin"
    assert "登录年报工作台" in client.get("/console/signin").text


def test_a_coordinator_signs_in_and_sees_the_overview(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/console/")
    assert page.status_code == 200
    assert "2024 年度总览" in page.text
    assert "郑协调" in page.text


def test_the_session_cookie_is_httponly_strict_and_limited_to_the_console(client: TestClient) -> None:
    answer = client.get("/console/signin")
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/console" in cookie


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client: TestClient) -> None:
    form = client.get("/console/signin")
    answer = client.post(
        "/console/signin", data={"name": "郑协调", "password": "nope-nope-nope", "csrf": csrf_of(form.text)}
    )
    assert answer.status_code == 401
    assert "姓名或密码不正确" in answer.text
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_signing_in_without_the_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/console/signin")
    answer = client.post("/console/signin", data={"name": "郑协调", "password": PASSWORD})
    assert answer.status_code == 403
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_many_wrong_passwords_lock_the_name_out_even_for_the_right_one(client: TestClient) -> None:
    for _ in range(5):
        form = client.get("/console/signin")
        client.post(
            "/console/signin",
            data={"name": "郑协调", "password": "guess-guess-1", "csrf": csrf_of(form.text)},
        )
    form = client.get("/console/signin")
    answer = client.post(
        "/console/signin", data={"name": "郑协调", "password": PASSWORD, "csrf": csrf_of(form.text)}
    )
    assert answer.status_code == 429
    assert "尝试次数过多" in answer.text


def test_an_officer_cannot_use_the_console(client: TestClient) -> None:
    form = client.get("/console/signin")
    answer = client.post(
        "/console/signin", data={"name": "王填报", "password": PASSWORD, "csrf": csrf_of(form.text)}
    )
    assert answer.status_code == 401


def test_a_forged_cookie_is_no_session(client: TestClient) -> None:
    client.cookies.set(SESSION_COOKIE, "eyJjc3JmIjoieCIsInBpZCI6MX0.forged", path="/console")
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_signing_out_ends_the_session(client: TestClient) -> None:
    csrf = sign_in(client)
    client.post("/console/signout", data={"csrf": csrf})
    assert client.get("/console/", follow_redirects=False).status_code == 303
