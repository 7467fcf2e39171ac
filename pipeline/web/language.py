"""The reader's language: the one the session chose, else the default; the page's texts in it."""
from __future__ import annotations

from flask import session

from . import i18n


def ui_lang() -> str:
    lang = session.get("ui")
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT


def _t(key: str, **values) -> str:
    return i18n.translate(key, ui_lang(), **values)
