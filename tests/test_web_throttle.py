"""Parallel sign-ins against the login throttle, its memory and its clock (issue 13, item 5).

Written from the issue's reproduction before the fix (they failed on that code); they run against the real
archive of tests/test_web.py.
"""
import threading

import pytest

from pipeline.web import create_app
from pipeline.web.app import LoginThrottle
from pipeline.workspace import Workspace
from tests.test_web import PASSWORD, csrf_of, login, web_home  # noqa: F401  (the fixture)

WRONG = "sbagliata-del-tutto"


@pytest.fixture
def app(web_home):
    return create_app(Workspace.at(web_home))


# --- the login throttle -----------------------------------------------------------------------------------
def test_parallel_sign_ins_cannot_beat_the_limit(app, score):
    """20 simultaneous POST /login for one name (19 wrong passwords, 1 right): at most five are checked."""
    score("web-throttle", 20)
    first = app.test_client()
    token = csrf_of(first)
    cookie = first.get_cookie("taskforce_session").value
    barrier = threading.Barrier(20)
    statuses = []

    def attempt(password):
        client = app.test_client()
        client.set_cookie("taskforce_session", cookie)
        barrier.wait()
        statuses.append(client.post("/login", data={"name": "anna", "password": password, "csrf": token})
                        .status_code)

    threads = [threading.Thread(target=attempt, args=(PASSWORD if n == 10 else WRONG,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(statuses) == 20 and set(statuses) <= {401, 302, 429}, statuses
    assert statuses.count(401) <= 5 and statuses.count(429) >= 14, sorted(statuses)


def test_posts_that_fail_the_csrf_check_are_not_remembered(app, score):
    score("web-throttle", 50)
    client = app.test_client()
    client.get("/login")
    for n in range(50):
        response = client.post("/login", data={"name": f"nome{n}", "password": WRONG, "csrf": "forged"})
        assert response.status_code == 400
    assert len(app.extensions["taskforce"]["throttle"]) == 0
    assert login(client).status_code == 302           # nor do they lock anyone out


def test_the_throttle_table_is_bounded(score):
    score("web-throttle", 2000)
    now = [0.0]
    throttle = LoginThrottle(limit=5, window=900, clock=lambda: now[0], max_keys=100)
    for n in range(1000):
        now[0] += 0.001
        assert throttle.attempt(f"name:n{n}", f"addr:a{n}") == 0
    assert len(throttle) <= 100
    for _ in range(5):
        assert throttle.attempt("name:anna", "addr:x") == 0
    for n in range(1000):                             # a flood of other names and addresses does not push
        throttle.attempt(f"name:y{n}", f"addr:b{n}")
    assert throttle.attempt("name:anna") > 0          # out the name locked out,
    assert throttle.attempt("addr:x") > 0             # nor the address locked out
    assert len(throttle) <= 100


def test_a_success_does_not_reopen_the_door(web_home, score):
    """Failures stay counted after a success: a valid account cannot reset the limit for others."""
    score("web-throttle", 1)
    now = [0.0]
    app = create_app(Workspace.at(web_home), login_limit=3, login_window=60, clock=lambda: now[0])
    client = app.test_client()
    for _ in range(2):
        assert login(client, password=WRONG).status_code == 401
    assert login(client).status_code == 302
    assert login(client, password=WRONG).status_code == 401
    assert login(client, password=WRONG).status_code == 429
    for _ in range(10):                           # successes alone never lock anyone out
        now[0] += 61
        assert login(client).status_code == 302


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(web_home, score):
    """Without --trusted-proxy a forged X-Forwarded-For cannot dodge the per-address limit."""
    score("web-throttle", 2)
    client = create_app(Workspace.at(web_home)).test_client()
    for n in range(5):
        response = client.post("/login", data={"name": f"nome{n}", "password": WRONG, "csrf": csrf_of(client)},
                               headers={"X-Forwarded-For": f"10.0.0.{n}"})
        assert response.status_code == 401
    assert client.post("/login", data={"name": "anna", "password": PASSWORD, "csrf": csrf_of(client)},
                       headers={"X-Forwarded-For": "10.0.0.99"}).status_code == 429
    proxied = create_app(Workspace.at(web_home), trusted_proxy=True).test_client()
    for n in range(5):
        response = proxied.post("/login", data={"name": f"nome{n}", "password": WRONG, "csrf": csrf_of(proxied)},
                                headers={"X-Forwarded-For": "10.0.0.1"})
        assert response.status_code == 401
    # behind the proxy the address is the visitor's: another visitor is not locked out
    assert proxied.post("/login", data={"name": "anna", "password": PASSWORD, "csrf": csrf_of(proxied)},
                        headers={"X-Forwarded-For": "10.0.0.2"}).status_code == 302
