"""Who is signed in: the session's user, checked against the accounts on every request."""
from __future__ import annotations

import secrets

from flask import g, session

from ..errors import ValidationError
from .site import _ws
from .users import session_token


def current_user() -> str | None:
    """The signed-in staff member, checked against the accounts on every request: a removed account is out,
    and so is a cookie whose session token is no longer the user's (see pipeline.users)."""
    if "user_checked" not in g:

        name, carried = session.get("user"), session.get("sv")
        try:
            token = session_token(_ws(), name) if isinstance(name, str) else None
        except ValidationError:
            token = None
        # a cookie made before the user's last sign-out, password change or removal carries an old token
        g.user = name if token and isinstance(carried, str) and secrets.compare_digest(
            carried.encode(), token.encode()) else None
        g.user_checked = True
    return g.user
