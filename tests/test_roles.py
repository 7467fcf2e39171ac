"""Roles of the staff accounts (issue 23): what an account may change from the web page."""
from __future__ import annotations

import json

import pytest

from pipeline.web import create_app
from pipeline.web.roles import require_role
from pipeline.web.users import add_user, list_users, set_roles, user_roles
from pipeline.workspace import Workspace
from tests.test_web import PASSWORD, cli_run, login, own_home, web_home  # noqa: F401


def test_users_add_with_roles_and_users_list_shows_them(own_home):
    result = cli_run(own_home, "users", "add", "lucia", "--role", "legal", "--role", "archivist",
                     input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Added user lucia (legal, archivist)." in result.output
    listed = json.loads(cli_run(own_home, "users", "list", "--json").stdout)
    assert {user["name"]: user["roles"] for user in listed} == {"anna": [], "lucia": ["legal", "archivist"]}
    table = cli_run(own_home, "users", "list").stdout
    assert "legal, archivist" in table


def test_a_new_password_keeps_the_roles_unless_roles_are_given(own_home):
    ws = Workspace.at(own_home)
    add_user(ws, "marco", PASSWORD, roles=["admin"])
    add_user(ws, "marco", PASSWORD + "2", replace=True)
    assert [u["roles"] for u in list_users(ws) if u["name"] == "marco"] == [["admin"]]
    assert cli_run(own_home, "users", "roles", "marco", "--role", "legal").exit_code == 0
    assert user_roles(ws, "marco") == {"legal"}
    assert cli_run(own_home, "users", "roles", "marco").exit_code == 0       # none: reads only
    assert user_roles(ws, "marco") == frozenset()


def test_admin_holds_every_role_and_an_unknown_role_is_a_usage_error(own_home):
    ws = Workspace.at(own_home)
    set_roles(ws, "anna", ["admin"])
    assert user_roles(ws, "anna") == {"legal", "archivist", "admin"}
    result = cli_run(own_home, "users", "add", "piero", "--role", "notary", input=PASSWORD + "\n")
    assert result.exit_code == 2
    assert "--role" in result.output and "notary" in result.output
    assert "piero" not in {u["name"] for u in list_users(ws)}


@pytest.mark.parametrize("roles, signed_in, status", [
    ((), False, 404),                 # a visitor: as for a page that does not exist
    ((), True, 403),                  # an account that reads only
    (("archivist",), True, 403),      # another role
    (("legal",), True, 200),
    (("admin",), True, 200),
])
def test_a_route_behind_a_role(own_home, roles, signed_in, status):
    ws = Workspace.at(own_home)
    set_roles(ws, "anna", roles)
    app = create_app(ws)

    @app.get("/only-legal")
    @require_role("legal")
    def only_legal():
        return "ok"

    client = app.test_client()
    if signed_in:
        assert login(client).status_code == 302
    response = client.get("/only-legal")
    assert response.status_code == status
    if status == 403:
        assert "ruolo" in response.get_data(as_text=True)
