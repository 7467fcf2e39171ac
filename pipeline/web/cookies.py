"""The session cookie, left out of the answers that carry page images.

The application sends the cookie only when the session changed (SESSION_REFRESH_EACH_REQUEST is off). A
page image is cacheable, so it must never carry a Set-Cookie, even when its request changed the session:
answers marked ``g.cacheable`` never set the cookie.
"""
from __future__ import annotations

from flask import g
from flask.sessions import SecureCookieSessionInterface


class ImageQuietSessionInterface(SecureCookieSessionInterface):
    def should_set_cookie(self, app, session) -> bool:
        if g.get("cacheable"):
            return False
        return super().should_set_cookie(app, session)
