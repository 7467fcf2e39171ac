"""The session cookie, left out of the answers that carry page images, and Secure over HTTPS.

The application sends the cookie only when the session changed (SESSION_REFRESH_EACH_REQUEST is off). A
page image is cacheable, so it must never carry a Set-Cookie, even when its request changed the session:
answers marked ``g.cacheable`` never set the cookie.

The cookie is Secure (a browser sends it over HTTPS only) with ``serve --secure-cookies``, and whenever the
request came over HTTPS: through a trusted proxy (``serve --trusted-proxy``) that says so in
X-Forwarded-Proto, the request's scheme is https.
"""
from __future__ import annotations

from flask import g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface


class ImageQuietSessionInterface(SecureCookieSessionInterface):
    def should_set_cookie(self, app, session) -> bool:
        if g.get("cacheable"):
            return False
        return super().should_set_cookie(app, session)

    def get_cookie_secure(self, app) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)
