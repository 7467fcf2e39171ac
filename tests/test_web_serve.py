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
import urllib.request

import pytest

from tests.conftest import REPO
from tests.test_web import RESTRICTED, cli_run, web_home  # noqa: F401  (the fixture)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(web_home):
    """`taskforce serve` in a child process: (base address, the process)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(web_home), "serve", "--host",
                                "127.0.0.1", "--port", str(port)], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"the server stopped: {process.stdout.read().decode()}")
            try:
                urllib.request.urlopen(base + "/login", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer within 30 s")
        yield base, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)          # Ctrl+C, as a person stops it
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


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


def test_serve_stops_cleanly_and_says_what_it_is(served, score):
    score("web-server", 1)
    _, process = served
    process.send_signal(signal.SIGINT)
    output = process.communicate(timeout=20)[0].decode()
    assert "Traceback" not in output, output
    assert "development server" not in output.lower() and "waitress" in output.lower(), output


def test_serve_help_names_the_new_options(web_home):
    result = cli_run(web_home, "serve", "--help")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for option in ("--threads", "--trusted-proxy", "--host", "--port"):
        assert option in result.output
