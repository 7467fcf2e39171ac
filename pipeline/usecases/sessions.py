"""The session registry's use cases: adding a session, or editing a registered one (its file replaced by a
corrected one), and reading the registry. Every change takes the registry's lock, so that the command line
and the web page's form never overwrite each other; the form's save also says which state of the file it was
opened from (``expected_sha256``), and a file changed since then is a ConflictError, not a silent overwrite."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
from pathlib import Path

from ..errors import ConflictError, Finding, ValidationError
from ..locks import held
from ..sessions import registry
from ..sessions.registry import TOP_FIELDS, Session, check_sessions, get_session, list_sessions

__all__ = ["add_session", "check_sessions", "edit_session", "get_session", "list_sessions", "save_session",
           "session_source"]

LOCK_NAME = ".sessions.lock"      # beside the session files (not a .yaml: the registry does not read it)
LOCK_TIMEOUT = 30
log = logging.getLogger("taskforce.sessions")


def _locked(ws):
    return held(ws.sessions / LOCK_NAME, LOCK_TIMEOUT, "changing the session registry")


def add_session(ws, path: str | Path, replace: bool = False, expected_sha256: str | None = None) -> Session:
    """Validate the session file at ``path`` and register it (``replace``: in place of the registered session
    of the same number, which is otherwise a ConflictError). ``expected_sha256``: the registered file must
    still be the one of that SHA-256 (the state a form was opened from), else a ConflictError."""
    ws = ws.require()
    with _locked(ws):
        if expected_sha256 is not None:
            _unchanged(ws, registry.read_session_file(Path(path)).number, expected_sha256)
        return registry.add_session(ws, Path(path), replace=replace)


def edit_session(ws, path: str | Path, expected_sha256: str | None = None) -> Session:
    """Replace a registered session by the corrected file at ``path`` (same number): a NotFoundError when no
    session of that number is registered, so that an edit never registers a new session by mistake. The
    registered file may be a broken one: the edit is how it is corrected."""
    ws = ws.require()
    number = registry.read_session_file(Path(path)).number
    with _locked(ws):
        if registry.registered_file(ws, number) is None:
            get_session(ws, number)                   # the NotFoundError naming the sessions registered
        if expected_sha256 is not None:
            _unchanged(ws, number, expected_sha256)
        return registry.add_session(ws, Path(path), replace=True)


def session_source(ws, number: int) -> tuple[dict, str]:
    """The registered file of session ``number`` as written (its YAML data, dates as typed; a file with
    errors too, so that it can be corrected) and the SHA-256 of its bytes, which a later save gives back as
    ``expected_sha256``. NotFoundError when no file has that number."""
    path = registry.registered_file(ws.require(), number)
    if path is None:
        get_session(ws, number)                       # the NotFoundError naming the sessions registered
    raw = path.read_bytes()
    data = registry.load_yaml(path)
    return (data if isinstance(data, dict) else {}), hashlib.sha256(raw).hexdigest()


def save_session(ws, data: dict, *, actor: str, editing: int | None = None,
                 expected_sha256: str | None = None) -> Session:
    """Write ``data`` (a session file's fields) as the YAML file ``taskforce sessions add`` reads, its first
    line naming ``actor`` and the time, and register it: a new session, or (``editing``) in place of session
    ``editing`` as it was when its SHA-256 was ``expected_sha256``."""
    if editing is not None and data.get("number") != editing:
        raise ValidationError(f"number: the session being edited is {editing}; a session's number is not changed "
                              "by editing it", [Finding("", f"number: must stay {editing}")])
    text = session_yaml(data, actor)
    with tempfile.TemporaryDirectory(prefix="taskforce-session-") as folder:
        path = Path(folder) / "session.yaml"
        path.write_text(text, encoding="utf-8")
        session = (add_session(ws, path) if editing is None
                   else edit_session(ws, path, expected_sha256=expected_sha256))
    log.info("session %s %s by %s", session.number, "added" if editing is None else "edited", actor)
    return session


def session_yaml(data: dict, actor: str) -> str:
    """The YAML text of a session's fields, in the order of the README's session files, with a comment line
    saying who wrote it and when (the registry keeps no other record of a session file's author)."""
    import yaml

    ordered = {key: data[key] for key in TOP_FIELDS if key in data}
    ordered.update({key: value for key, value in data.items() if key not in ordered})
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    who = " ".join(str(actor).split())[:64]
    body = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    return f"# Saved with the web page's form by {who}, {stamp}.\n{body}"


def _unchanged(ws, number: int, expected_sha256: str) -> None:
    path = registry.registered_file(ws, number)
    current = hashlib.sha256(path.read_bytes()).hexdigest() if path else ""
    if current != expected_sha256:
        raise ConflictError("session.changed", number=number, path=path or "")
