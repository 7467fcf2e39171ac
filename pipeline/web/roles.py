"""What a signed-in account may change: its roles (legal, archivist, admin; pipeline/web/users.py).

Every page that writes is behind :func:`require_role`: a visitor who is not signed in gets the 404 of a page
that does not exist (the public does not learn that staff pages are there), a signed-in account without the
role a 403. The roles are read from the accounts on every request, like the session itself, so a role taken
away takes effect at the next click.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, g

from .signin import current_user
from .site import _ws
from .users import user_roles


def current_roles() -> frozenset[str]:
    """The roles of the signed-in account (admin holds them all); none for a visitor."""
    if "user_roles" not in g:
        user = current_user()
        g.user_roles = user_roles(_ws(), user) if user else frozenset()
    return g.user_roles


def has_role(role: str) -> bool:
    """Whether the signed-in account may do what ``role`` may (for the templates' buttons and links)."""
    return role in current_roles()


def require_role(*roles: str):
    """A route decorator: the route answers only an account holding one of ``roles``; a visitor gets 404, an
    account without the role 403."""
    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if current_user() is None:
                abort(404)
            if not current_roles() & set(roles):
                abort(403)
            return view(*args, **kwargs)
        return guarded
    return decorate
