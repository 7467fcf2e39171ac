"""Staff accounts of the web page, and the secret that signs its session cookies.

Both live in the workspace's ``web/`` folder, readable by the owner only (0600 files in a 0700 folder):

    web/users.json    {"users": {NAME: {"hash": "scrypt$...", "created": ISO time, "changed": ISO time,
                                   "session": random token, "roles": ["legal", ...]}}}
    web/secret-key    random bytes, made on first use

Passwords are never stored: only a salted scrypt hash (hashlib), compared in constant time.

The session token: every signed-in cookie carries the user's token of the moment it was made, and a cookie
whose token is no longer the user's is signed out. A new token is drawn when the user signs out
(``end_sessions``), when the password is set (``add_user``, also with ``replace``) and when the account is
removed and added again, so each of these ends every session of that user, on every device.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
from pathlib import Path

from ..errors import ConflictError, NotFoundError, ValidationError
from ..fsutil import atomic_write_bytes, atomic_write_json
from ..locks import held
from ..vocab import ROLES
from ..workspace import Workspace

WEB_FOLDER = "web"
USERS_FILE = "users.json"
SECRET_FILE = "secret-key"
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
# scrypt cost: 2**15 * 8 * 128 bytes = 32 MiB and some 50 ms per check
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2 ** 15, 8, 1, 32


def web_folder(ws: Workspace) -> Path:
    folder = ws.home / WEB_FOLDER
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
    return folder


# --- passwords ---------------------------------------------------------------------------------------------
def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=256 * n * r + 1024 * 1024)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN)
    b64 = lambda data: base64.b64encode(data).decode("ascii")  # noqa: E731
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt)}${b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p), len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    """A hash to check unknown names against, so that a wrong name takes as long as a wrong password."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(16))
    return _DUMMY_HASH


# --- the accounts ------------------------------------------------------------------------------------------
def users_path(ws: Workspace) -> Path:
    return ws.home / WEB_FOLDER / USERS_FILE


def _read(ws: Workspace) -> dict:
    path = users_path(ws)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValidationError(f"{path} is not valid JSON ({err}); restore it or remove it and add the users "
                              f"again") from None
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, dict):
        raise ValidationError(f"{path} has no 'users' object; restore it or remove it and add the users again")
    return users


def _write(ws: Workspace, users: dict) -> None:
    web_folder(ws)
    atomic_write_json(users_path(ws), {"users": users}, mode=0o600)


def _lock(ws: Workspace):
    """One change of the staff accounts at a time (web_folder makes the private folder first)."""
    web_folder(ws)
    return held(web_folder(ws) / ".users.lock", 30, "changing the staff accounts")


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name or ""):
        raise ValidationError(f"user name {name!r}: use 1 to 64 letters, digits, '.', '_' or '-', starting with a "
                              f"letter or digit")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"the password is too short: give at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise ValidationError(f"the password is too long: at most {MAX_PASSWORD} characters")
    return password


def check_roles(roles) -> tuple[str, ...]:
    """The roles given, each once, in the order of ROLES; an unknown one is an error naming it."""
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise ValidationError("value.choice", field="role", value=unknown[0], allowed=", ".join(ROLES))
    return tuple(role for role in ROLES if role in roles)


def add_user(ws: Workspace, name: str, password: str, replace: bool = False, roles=None) -> dict:
    """Add a staff account (or, with ``replace``, set a new password for an existing one). ``roles``: what the
    account may change from the web page (vocab.ROLES); None keeps an existing account's roles (none for a new
    one: it reads only)."""
    check_name(name)
    check_password(password)
    given = None if roles is None else check_roles(roles)
    with _lock(ws):
        users = _read(ws)
        existed = name in users
        if existed and not replace:
            raise ConflictError("user.exists", name=name, field="replace")
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        kept = _roles_of(users.get(name))
        users[name] = {"hash": hash_password(password), "created": users.get(name, {}).get("created", now),
                       "changed": now, "session": _new_token(), "roles": list(kept if given is None else given)}
        _write(ws, users)
    return {"name": name, "replaced": existed, "roles": users[name]["roles"], "file": str(users_path(ws))}


def set_roles(ws: Workspace, name: str, roles) -> dict:
    """Give ``name`` exactly ``roles`` (none: the account reads only). Its signed-in sessions go on: the roles
    are read again at every request."""
    given = check_roles(roles)
    with _lock(ws):
        users = _read(ws)
        if not isinstance(users.get(name), dict):
            raise NotFoundError(f"no user {name}; 'taskforce users list' shows them")
        users[name]["roles"] = list(given)
        users[name]["changed"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        _write(ws, users)
    return {"name": name, "roles": list(given)}


def _roles_of(entry) -> tuple[str, ...]:
    roles = entry.get("roles") if isinstance(entry, dict) else None
    return tuple(role for role in ROLES if isinstance(roles, list) and role in roles)


def user_roles(ws: Workspace, name: str | None) -> frozenset[str]:
    """The roles of account ``name`` (none for an unknown name, an account without roles, or no one). admin
    holds every role."""
    if not name:
        return frozenset()
    roles = set(_roles_of(_read(ws).get(name)))
    return frozenset(ROLES) if "admin" in roles else frozenset(roles)


def remove_user(ws: Workspace, name: str) -> dict:
    with _lock(ws):
        users = _read(ws)
        if name not in users:
            raise NotFoundError(f"no user {name}; 'taskforce users list' shows them")
        del users[name]
        _write(ws, users)
    return {"name": name, "removed": True}


def _new_token() -> str:
    return secrets.token_urlsafe(16)


def session_token(ws: Workspace, name: str | None, *, create: bool = False) -> str | None:
    """The user's current session token; None when there is no such user. With ``create``, an account that
    has none yet (made before tokens existed) gets one."""
    if not name:
        return None
    entry = _read(ws).get(name)
    if not isinstance(entry, dict):
        return None
    token = entry.get("session")
    if isinstance(token, str) and token:
        return token
    if not create:
        return None
    with _lock(ws):
        users = _read(ws)
        if not isinstance(users.get(name), dict):
            return None
        token = users[name].get("session")
        if not (isinstance(token, str) and token):
            token = users[name]["session"] = _new_token()
            _write(ws, users)
    return token


def end_sessions(ws: Workspace, name: str) -> bool:
    """Sign ``name`` out everywhere: a new session token, so no cookie made before matches. False when there
    is no such user."""
    with _lock(ws):
        users = _read(ws)
        if not isinstance(users.get(name), dict):
            return False
        users[name]["session"] = _new_token()
        _write(ws, users)
    return True


def list_users(ws: Workspace) -> list[dict]:
    return [{"name": name, "roles": list(_roles_of(entry)), "created": entry.get("created"),
             "changed": entry.get("changed")} for name, entry in sorted(_read(ws).items())]


def authenticate(ws: Workspace, name: str, password: str) -> bool:
    """True when ``name`` is a staff account and ``password`` its password."""
    if len(password) > MAX_PASSWORD:
        return False
    entry = _read(ws).get(name) if NAME_PATTERN.fullmatch(name or "") else None
    stored = entry.get("hash") if isinstance(entry, dict) else None
    ok = verify_password(password, stored or _dummy_hash())
    return ok and stored is not None


# --- the cookie secret --------------------------------------------------------------------------------------
def secret_key(ws: Workspace) -> bytes:
    """The key that signs the web page's session cookies: made once, kept in web/secret-key (0600)."""
    path = ws.home / WEB_FOLDER / SECRET_FILE
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        web_folder(ws)
        try:
            atomic_write_bytes(path, secrets.token_bytes(32), overwrite=False, mode=0o600)
        except FileExistsError:
            pass      # another process made it first: use theirs
        key = path.read_bytes()
    if len(key) < 16:
        raise ValidationError(f"{path} holds fewer than 16 bytes; remove it and a new key will be made "
                              f"(signed-in users will have to sign in again)")
    return key
