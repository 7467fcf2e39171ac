"""The session registry's use cases: adding a session, or editing a registered one (its file replaced by a
corrected one), and reading the registry."""
from __future__ import annotations

from pathlib import Path

from ..sessions import registry
from ..sessions.registry import Session, check_sessions, get_session, list_sessions
from ..workspace import Workspace

__all__ = ["add_session", "check_sessions", "edit_session", "get_session", "list_sessions"]


def add_session(ws: Workspace, path: str | Path, replace: bool = False) -> Session:
    """Validate the session file at ``path`` and register it (``replace``: in place of the registered session
    of the same number, which is otherwise a ConflictError)."""
    return registry.add_session(ws.require(), Path(path), replace=replace)


def edit_session(ws: Workspace, path: str | Path) -> Session:
    """Replace a registered session by the corrected file at ``path`` (same number): a NotFoundError when no
    session of that number is registered, so that an edit never registers a new session by mistake."""
    number = registry.read_session_file(Path(path)).number
    get_session(ws.require(), number)                 # NotFoundError when it is not registered
    return registry.add_session(ws, Path(path), replace=True)
