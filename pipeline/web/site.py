"""The workspace this application serves (create_app keeps it in the app's extensions)."""
from __future__ import annotations

from flask import current_app

from ..workspace import Workspace


def _ws() -> Workspace:
    return current_app.extensions["taskforce"]["ws"]
