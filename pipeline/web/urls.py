"""Same-site paths: this request's address, and a redirect target checked to stay on this site."""
from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from flask import abort, request


def _here() -> str:
    return request.path + ("?" + request.query_string.decode("latin-1") if request.query_string else "")


def _local_path(target: str | None) -> str:
    """``target`` when it is a path on this site, else / (no open redirect). A path on this site starts with
    one "/" and has no scheme, no host, no backslash, no whitespace and no control or invisible characters,
    as given and with its path part percent-decoded once more (browsers drop a tab or a newline, so "/\t/x"
    would be "//x", and read "\\" as "/"). A CR or LF is a 400: never a header."""
    if not target:
        return "/"
    if "\r" in target or "\n" in target:
        abort(400)
    path = target.split("?", 1)[0].split("#", 1)[0]
    for text in (target, unquote(path)):
        if not text.startswith("/") or text.startswith("//") or "\\" in text:
            return "/"
        if any(ch.isspace() or unicodedata.category(ch)[0] in "CZ" for ch in text):
            return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target
