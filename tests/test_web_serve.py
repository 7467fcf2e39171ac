"""`taskforce serve` is a real WSGI server (waitress), not Werkzeug's development server (issue 13, item 9).

The process is started on a free port of 127.0.0.1, asked over HTTP, and stopped.
"""
import http.client
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from tests.conftest import REPO
from tests.test_web import PASSWORD, RESTRICTED, cli_run, web_home  # noqa: F401  (the fixture)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(home, *options):
    """`taskforce serve` in a child process on a free port of 127.0.0.1: (base address, process)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), "serve", "--host",
                                "127.0.0.1", "--port", str(port), *options], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, preexec_fn=_ctrl_c_as_in_a_terminal)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if process.poll() is not None:
            pytest.fail(f"the server stopped: {process.stdout.read().decode()}")
        try:
            urllib.request.urlopen(base + "/login", timeout=2)
            return base, process
        except OSError:
            time.sleep(0.1)
    stop(process)
    pytest.fail("the server did not answer within 30 s")


def _ctrl_c_as_in_a_terminal():
    """Ctrl+C (SIGINT) stops the child as it stops a server started in a terminal. A test run started in
    the background by a shell (`make test-fast &`, some CI runners) ignores SIGINT, its children inherit
    that, and each stop waited out its 20 seconds before killing the server."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop(process) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)              # Ctrl+C, as a person stops it
    try:
        return process.communicate(timeout=20)[0].decode()
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0].decode()


@pytest.fixture(scope="module")
def served(web_home):
    """`taskforce serve` of the web workspace: (base address, the process)."""
    base, process = start(web_home)
    try:
        yield base, process
    finally:
        stop(process)


def sign_in(base, name, password, forwarded_for):
    """A sign-in over HTTP from a fresh browser (its own cookie), sent as if through a proxy: the status."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()),
                                         NoRedirect())
    with opener.open(base + "/login", timeout=30) as response:
        token = re.search(r'name="csrf" value="([^"]+)"', response.read().decode())[1]
    data = urllib.parse.urlencode({"name": name, "password": password, "csrf": token}).encode()
    request = urllib.request.Request(base + "/login", data=data, headers={"X-Forwarded-For": forwarded_for})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_serve_runs_waitress_without_versions(served, score):
    score("web-server", 1)
    base, _ = served
    with urllib.request.urlopen(base + "/") as response:
        assert response.status == 200
        headers = dict(response.headers)
        body = response.read().decode()
    assert headers.get("Server") == "taskforce", headers
    for value in headers.values():
        assert not re.search(r"werkzeug|python|waitress|flask|\d+\.\d+\.\d+", value, re.I), headers
    assert "Via" not in headers and RESTRICTED not in body


def test_serve_refuses_a_body_over_the_limit(served, score):
    score("web-server", 1)
    base, _ = served
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("POST", "/login", body=b"name=" + b"x" * (200 * 1024),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        assert response.status == 413
        assert b"Traceback" not in response.read()
    except (ConnectionResetError, BrokenPipeError):
        pass                                            # closed before the whole body was sent: refused too
    finally:
        connection.close()
    with urllib.request.urlopen(base + "/?q=accordo") as response:     # and it still serves
        assert response.status == 200


def test_forwarded_for_counts_only_with_trusted_proxy(served, web_home, score):
    """Through waitress: without --trusted-proxy a forged X-Forwarded-For cannot dodge the per-address limit;
    with it, a visitor behind the proxy is not locked out by another one's failures."""
    score("web-throttle", 2)
    base, _ = served
    for n in range(5):
        assert sign_in(base, f"nome{n}", "sbagliata-del-tutto", f"10.0.0.{n}") == 401
    assert sign_in(base, "anna", PASSWORD, "10.0.0.99") == 429
    proxied, process = start(web_home, "--trusted-proxy")
    try:
        for n in range(5):
            assert sign_in(proxied, f"nome{n}", "sbagliata-del-tutto", "10.0.0.1") == 401
        assert sign_in(proxied, "anna", PASSWORD, "10.0.0.1") == 429
        assert sign_in(proxied, "anna", PASSWORD, "10.0.0.2") == 302
    finally:
        output = stop(process)
    assert "Traceback" not in output and "X-Forwarded-For" in output


def test_serve_stops_cleanly_and_says_what_it_is(served, score):
    score("web-server", 1)
    _, process = served
    output = stop(process)
    assert "Traceback" not in output, output
    assert "development server" not in output.lower() and "waitress" in output.lower(), output


def test_serve_help_names_the_new_options(web_home):
    result = cli_run(web_home, "serve", "--help")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for option in ("--threads", "--trusted-proxy", "--host", "--port"):
        assert option in result.output


def test_serve_cannot_listen_is_a_clear_error(web_home):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli_run(web_home, "serve", "--port", port)
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, result.exception
    assert f"cannot listen on 127.0.0.1 port {port}: Address already in use" in result.output
    for host in ("256.1.1.1", "::zz"):
        result = cli_run(web_home, "serve", "--host", host, "--port", free_port())
        assert isinstance(result.exception, SystemExit) and result.exit_code == 1, result.exception
        assert result.output.count("Error: cannot listen on") == 1, result.output
