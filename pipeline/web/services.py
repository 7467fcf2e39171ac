"""The library as the web page reaches it: the use cases the application was made with (create_app)."""
from __future__ import annotations

from flask import current_app

from ..usecases.calls import UseCases


def use_cases() -> UseCases:
    """The use cases of the application's workspace (pipeline/usecases/calls.py)."""
    return current_app.extensions["taskforce"]["usecases"]
