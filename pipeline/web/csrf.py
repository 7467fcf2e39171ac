"""The CSRF token of the session, and its check on a form's post."""
from __future__ import annotations

import secrets

from flask import request, session


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok() -> bool:
    sent, kept = request.form.get("csrf", ""), session.get("csrf", "")
    return bool(kept) and secrets.compare_digest(sent.encode(), kept.encode())
