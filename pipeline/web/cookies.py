"""The session cookie, left out of the answers that carry page images.

Flask sends the (signed) session cookie again with every answer of a permanent session, to slide its
expiry. A page image is cacheable, so it must not carry a Set-Cookie; and the images of a page are fetched
in parallel, so one that started before a sign-out and ends after it would set the signed-in cookie again,
undoing the sign-out. Answers marked ``g.cacheable`` therefore never set the cookie.
"""
from __future__ import annotations

from flask import g
from flask.sessions import SecureCookieSessionInterface


class ImageQuietSessionInterface(SecureCookieSessionInterface):
    def should_set_cookie(self, app, session) -> bool:
        if g.get("cacheable"):
            return False
        return super().should_set_cookie(app, session)
