"""Checks for fields of user data (session files, agreement data, metadata) that collect every problem.

Each check appends a Finding naming the field's path (``tables[1].sector.ru``) instead of raising, so a
user sees all problems of a file at once.
"""
from __future__ import annotations

import unicodedata

from .dates import parse_date
from .errors import DateFormatError, Finding

LANGUAGES = ("it", "ru")
_ALLOWED_CONTROLS = {"\n", "\t"}


def control_characters(text: str) -> list[str]:
    """Control characters other than newline and tab (they corrupt .docx XML and break printing)."""
    return sorted({repr(ch) for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS})


class FieldChecker:
    """Collects findings for one file; ``where`` is the file name shown before each field path."""

    def __init__(self, where: str):
        self.where = where
        self.findings: list[Finding] = []

    def problem(self, path: str, message: str) -> None:
        self.findings.append(Finding(self.where, f"{path}: {message}" if path else message))

    def text(self, value, path: str, required: bool = True) -> str | None:
        if value is None:
            if required:
                self.problem(path, "missing")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.problem(path, f"expected text, got {type(value).__name__}")
            return None
        if not value.strip():
            if required:
                self.problem(path, "empty")
            return None
        bad = control_characters(value)
        if bad:
            self.problem(path, f"contains control characters {', '.join(bad)}; remove them")
            return None
        return value.strip()

    def bilingual(self, value, path: str, required: bool = True) -> dict | None:
        """A text given in both languages: ``{it: ..., ru: ...}``."""
        if value is None:
            if required:
                self.problem(path, "missing (give it as {it: ..., ru: ...})")
            return None
        if not isinstance(value, dict):
            self.problem(path, f"must be given in both languages as {{it: ..., ru: ...}}, got {value!r}")
            return None
        result = {}
        for lang in LANGUAGES:
            if value.get(lang) in (None, ""):
                self.problem(f"{path}.{lang}", f"missing {'Italian' if lang == 'it' else 'Russian'} translation")
            else:
                result[lang] = self.text(value[lang], f"{path}.{lang}")
        for extra in sorted(set(value) - set(LANGUAGES), key=str):
            self.problem(f"{path}.{extra}", "unknown language (use it and ru)")
        return result if all(result.get(lang) for lang in LANGUAGES) else None

    def date(self, value, path: str, required: bool = True):
        if value is None or value == "":
            if required:
                self.problem(path, "missing")
            return None
        try:
            return parse_date(value if not isinstance(value, (int, float)) else str(value), field=path)
        except DateFormatError as err:
            self.findings.append(Finding(self.where, str(err)))
            return None

    def choice(self, value, path: str, choices: tuple[str, ...], required: bool = True) -> str | None:
        if value is None:
            if required:
                self.problem(path, f"missing (one of {', '.join(choices)})")
            return None
        normalised = str(value).strip()
        upper = {c.upper(): c for c in choices}
        if normalised.upper() not in upper:
            self.problem(path, f"{value!r} is not one of {', '.join(choices)}")
            return None
        return upper[normalised.upper()]

    def listing(self, value, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, f"expected a list, got {type(value).__name__}")
            return []
        return value

    def mapping(self, value, path: str, allowed: tuple[str, ...], required: bool = True) -> dict | None:
        if value is None:
            if required:
                self.problem(path, "missing")
            return None
        if not isinstance(value, dict):
            self.problem(path, f"expected a mapping of fields, got {type(value).__name__}")
            return None
        for key in sorted(set(value) - set(allowed), key=str):
            self.problem(f"{path}.{key}" if path else str(key), f"unknown field (known: {', '.join(allowed)})")
        return value
