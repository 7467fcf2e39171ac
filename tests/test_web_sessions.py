"""Sessions end at logout, password change and removal (issue 13, item 7).

Written from the issue's reproduction before the fix (they failed on that code); they run against the real
archive of tests/test_web.py.
"""


from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.test_web import PASSWORD, RESTRICTED, cli_run, csrf_of, login, own_home, text, web_home  # noqa: F401



def sees_restricted(client) -> bool:
    return RESTRICTED in text(client.get("/?q=tessile"))


# --- sessions end at logout, password change and removal --------------------------------------------------
def signed_in(app, password=PASSWORD):
    client = app.test_client()
    assert login(client, password=password).status_code == 302
    return client


def replayed(app, cookie):
    client = app.test_client()
    client.set_cookie("taskforce_session", cookie)
    return client


def test_logout_ends_every_session_of_the_user(own_home, score):
    score("web-sessions", 2)
    app = create_app(Workspace.at(own_home))
    laptop, phone = signed_in(app), signed_in(app)
    saved = laptop.get_cookie("taskforce_session").value
    assert sees_restricted(replayed(app, saved))
    token = csrf_of(laptop, "/")
    assert laptop.post("/logout", data={"csrf": token}).status_code == 302
    assert not sees_restricted(laptop)
    assert not sees_restricted(replayed(app, saved))            # the cookie saved before logout
    assert not sees_restricted(phone)                            # the user's other session
    assert sees_restricted(signed_in(app))                       # signing in again works


def test_a_password_change_ends_every_session(own_home, score):
    score("web-sessions", 1)
    app = create_app(Workspace.at(own_home))
    saved = signed_in(app).get_cookie("taskforce_session").value
    result = cli_run(own_home, "users", "add", "anna", "--replace", input="una-nuova-password\n")
    assert result.exception is None and result.exit_code == 0, result.output
    assert not sees_restricted(replayed(app, saved))
    assert login(app.test_client()).status_code == 401          # the old password
    assert sees_restricted(signed_in(app, "una-nuova-password"))


def test_removal_ends_every_session_even_if_the_name_comes_back(own_home, score):
    score("web-sessions", 2)
    app = create_app(Workspace.at(own_home))
    saved = signed_in(app).get_cookie("taskforce_session").value
    result = cli_run(own_home, "users", "remove", "anna")
    assert result.exception is None and result.exit_code == 0, result.output
    assert not sees_restricted(replayed(app, saved))
    result = cli_run(own_home, "users", "add", "anna", input=PASSWORD + "\n")   # same name, same password
    assert result.exception is None and result.exit_code == 0, result.output
    assert not sees_restricted(replayed(app, saved))
    assert sees_restricted(signed_in(app))


def test_the_session_token_is_not_listed(own_home):
    result = cli_run(own_home, "users", "list", "--json")
    assert result.exception is None and "anna" in result.output
    assert "session" not in result.output and "hash" not in result.output


def test_an_account_from_before_session_tokens_signs_in_and_out(own_home, score):
    score("web-sessions", 1)
    import json

    path = own_home / "web" / "users.json"
    data = json.loads(path.read_text())
    data["users"]["anna"].pop("session", None)
    path.write_text(json.dumps(data))
    app = create_app(Workspace.at(own_home))
    client = signed_in(app)
    saved = client.get_cookie("taskforce_session").value
    assert sees_restricted(client) and json.loads(path.read_text())["users"]["anna"]["session"]
    assert client.post("/logout", data={"csrf": csrf_of(client, "/")}).status_code == 302
    assert not sees_restricted(replayed(app, saved))
