"""One anonymous client must not take the site down (issue 26): the statistics' charts are drawn once per state
of the archive, the session cookie is Secure over HTTPS, and `serve` gives waitress the limits on slow
clients it has (the rest is the proxy's: README, "Deploying")."""
import re

import pytest

from pipeline import cache
from pipeline.usecases.calls import UseCases
from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.test_web import (PASSWORD, app, cli_run, client, csrf_of, login, own_home, set_language,  # noqa: F401
                            text, web_home)


class CountingUseCases(UseCases):
    """The use cases, counting the statistics read and the charts drawn."""

    def __init__(self, ws):
        super().__init__(ws)
        self.counted, self.drawn = [], []

    def statistics(self, dimensions, reader):
        self.counted.append(dimensions)
        return super().statistics(dimensions, reader)

    def statistics_chart(self, result, **labels):
        self.drawn.append(labels["title"])
        return super().statistics_chart(result, **labels)


def test_a_chart_is_drawn_once_until_the_archive_changes(own_home, score):
    cache.clear_all()
    usecases = CountingUseCases(Workspace.at(own_home))
    drawn = usecases.drawn
    app = create_app(Workspace.at(own_home), usecases=usecases)
    client = app.test_client()
    first = client.get("/stats/year.png")
    assert first.status_code == 200 and first.data.startswith(b"\x89PNG") and len(drawn) == 1
    for _ in range(5):
        assert client.get("/stats/year.png").data == first.data
    assert len(drawn) == 1                                         # 16 clients in a loop: one drawing
    assert first.headers["Cache-Control"] == "no-store"            # still: the counts differ by reader
    set_language(client, "ru")
    assert client.get("/stats/year.png").data != first.data and len(drawn) == 2    # its labels in Russian
    staff = app.test_client()
    login(staff)
    staff.get("/stats/year.png")
    assert len(drawn) == 3                                         # staff count every level: their own chart
    assert cli_run(own_home, "archive", "verify").exit_code == 0   # the archive changes: an event is logged
    client.get("/stats/year.png")
    assert len(drawn) == 4
    score("web-slow", 10)

def test_the_statistics_page_counts_once_until_the_archive_changes(own_home):
    cache.clear_all()
    usecases = CountingUseCases(Workspace.at(own_home))
    counted = usecases.counted
    client = create_app(Workspace.at(own_home), usecases=usecases).test_client()
    pages = [client.get("/stats").get_data(as_text=True) for _ in range(3)]
    assert len(counted) == 1 and pages[0] == pages[2]
    assert cli_run(own_home, "archive", "verify").exit_code == 0
    client.get("/stats")
    assert len(counted) == 2


def cookie_of(response) -> str:
    return response.headers.get("Set-Cookie", "")


def signed_in_cookie(app, **headers) -> str:
    client = app.test_client()
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").get_data(as_text=True))[1]
    response = client.post("/login", data={"name": "anna", "password": PASSWORD, "csrf": token}, headers=headers)
    assert response.status_code == 302
    return cookie_of(response)


def test_the_session_cookie_is_secure_over_https(web_home, score):
    ws = Workspace.at(web_home)
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    assert "Secure" not in signed_in_cookie(create_app(ws))                       # plain HTTP on this computer
    assert "Secure" in signed_in_cookie(create_app(ws, secure_cookies=True))      # serve --secure-cookies
    assert "Secure" in signed_in_cookie(create_app(ws, trusted_proxy=True), **https)   # a proxy says HTTPS
    assert "Secure" not in signed_in_cookie(create_app(ws, trusted_proxy=True))
    assert "Secure" not in signed_in_cookie(create_app(ws), **https)              # anyone may send the header
    cookie = signed_in_cookie(create_app(ws, secure_cookies=True))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    score("web-slow", 5)


def test_serve_gives_waitress_its_limits_on_slow_clients(web_home, monkeypatch, score):
    import waitress.server

    from pipeline.cli import web as cli_web

    given = {}

    class Stop(Exception):
        pass

    def create_server(app, **options):
        given.update(options, app=app)
        raise Stop
    monkeypatch.setattr(waitress.server, "create_server", create_server)
    result = cli_run(web_home, "serve", "--port", "8123", "--secure-cookies")
    assert isinstance(result.exception, Stop)
    assert given["channel_timeout"] == cli_web.IDLE_SECONDS == 15
    assert given["cleanup_interval"] == cli_web.CLEANUP_SECONDS == 5
    assert given["connection_limit"] == cli_web.CONNECTIONS == 500 and given["asyncore_use_poll"] is True
    assert given["max_request_header_size"] == 64 * 1024 and given["expose_tracebacks"] is False
    assert given["app"].config["SESSION_COOKIE_SECURE"] is True
    assert "--secure-cookies" in cli_run(web_home, "serve", "--help").output
    score("web-slow", 1)


def test_no_get_changes_the_language(client, score):
    """A link or an image on another site cannot switch a visitor's language: a GET shows the switch's form
    and changes nothing; a post without the session's CSRF token is refused (issue 26)."""
    assert client.get("/").headers.get("Set-Cookie")           # the first page makes the CSRF token
    answer = client.get("/lang/ru?next=/stats")
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
    assert 'id="lang-switch"' in text(answer) and 'name="next" value="/stats"' in text(answer)
    assert '<html lang="it">' in text(client.get("/"))
    forged = client.post("/lang/ru", data={"csrf": "forged", "next": "/"})
    assert forged.status_code == 400 and "Set-Cookie" not in forged.headers
    assert '<html lang="it">' in text(client.get("/"))
    assert set_language(client, "ru").status_code == 302 and '<html lang="ru">' in text(client.get("/"))
    score("web-slow", 3)

