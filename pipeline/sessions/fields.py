"""Checks for fields of user data (session files, agreement data, metadata) that collect every problem.

Each check appends a Finding naming the field's path (``tables[1].sector.ru``) instead of raising, so a
user sees all problems of a file at once.
"""
from __future__ import annotations

import re
import unicodedata

from .dates import parse_date
from ..errors import MESSAGES, DateFormatError, Finding, ValidationError, fill
from ..vocab import LANGUAGES

# Russian case forms a data file may give beside the nominative (genitive, dative, accusative, instrumental,
# prepositional): {it: Giulia Bianchi, ru: Джулия Бьянки, ru_gen: Джулии Бьянки}
RUSSIAN_FORMS = ("ru_gen", "ru_dat", "ru_acc", "ru_ins", "ru_pre")
_ALLOWED_CONTROLS = {"\n", "\t"}


def control_characters(text: str) -> list[str]:
    """Control characters other than newline and tab (they corrupt .docx XML and break printing)."""
    return sorted({repr(ch) for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS})


_LETTERS = re.compile(r"[^\W\d_]+")


def mixed_scripts(text: str) -> list[str]:
    """Words that mix Latin and Cyrillic letters ("ФедерлеgноАрредо", a Latin g among Cyrillic letters): a
    look-alike letter typed in the wrong keyboard layout, which prints the same, declines wrongly and is found
    by no search. Parts of a hyphenated word may differ (IT-компания); one word may not. Each as «word» (Latin
    g), naming the letters of the smaller script."""
    found = []
    for word in _LETTERS.findall(text):
        latin = [ch for ch in word if "LATIN" in unicodedata.name(ch, "")]
        cyrillic = [ch for ch in word if "CYRILLIC" in unicodedata.name(ch, "")]
        if latin and cyrillic:
            odd, script = (latin, "Latin") if len(latin) <= len(cyrillic) else (cyrillic, "Cyrillic")
            found.append(f"«{word}» ({script} {', '.join(dict.fromkeys(odd))})")
    return found


class FieldChecker:
    """Collects findings for one file; ``where`` is the file name shown before each field path."""

    def __init__(self, where: str):
        self.where = where
        self.findings: list[Finding] = []

    def problem(self, path: str, message: str, **params) -> None:
        """A problem of the value at ``path``: ``message`` is a code of errors.MESSAGES with its ``params`` (the
        front ends say it in their language), or (older) an English sentence."""
        code = message if message in MESSAGES else None
        text = fill(MESSAGES[code], params) if code else message
        self.findings.append(Finding(self.where, f"{path}: {text}" if path else text, field=path or None,
                                     code=code, params=tuple(params.items())))

    def text(self, value, path: str, required: bool = True) -> str | None:
        if value is None:
            if required:
                self.problem(path, "data.missing")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.problem(path, "data.not_text", type=type(value).__name__)
            return None
        if not value.strip():
            if required:
                self.problem(path, "data.empty")
            return None
        bad = control_characters(value)
        if bad:
            self.problem(path, "data.control", chars=", ".join(bad))
            return None
        mixed = mixed_scripts(value)
        if mixed:
            self.problem(path, "data.mixed_scripts", words=", ".join(mixed), them="it" if len(mixed) == 1 else "them")
            return None
        return value.strip()

    def bilingual(self, value, path: str, required: bool = True) -> dict | None:
        """A text given in both languages: ``{it: ..., ru: ...}``."""
        if value is None:
            if required:
                self.problem(path, "data.bilingual_missing")
            return None
        if not isinstance(value, dict):
            self.problem(path, "data.not_bilingual", value=value)
            return None
        result = {}
        for lang in LANGUAGES:
            if value.get(lang) in (None, ""):
                self.problem(f"{path}.{lang}", "data.translation_missing", language="Italian" if lang == "it" else "Russian")
            else:
                result[lang] = self.text(value[lang], f"{path}.{lang}")
        for extra in sorted(set(value) - set(LANGUAGES), key=str):
            self.problem(f"{path}.{extra}", "data.unknown_language")
        return result if all(result.get(lang) for lang in LANGUAGES) else None

    def forms(self, value, path: str, required: bool = True) -> dict | None:
        """A bilingual text that may also give its Russian case forms explicitly: ``{it: ..., ru: ...,
        ru_gen: ..., ru_dat: ..., ru_acc: ..., ru_ins: ..., ru_pre: ...}``. A form given here always wins over
        the derived one (see pipeline/russian.py)."""
        if value is None or not isinstance(value, dict):
            return self.bilingual(value, path, required)
        base = self.bilingual({k: v for k, v in value.items() if k not in RUSSIAN_FORMS}, path, required)
        given = {}
        for key in RUSSIAN_FORMS:
            if key in value:
                text = self.text(value[key], f"{path}.{key}")
                if text:
                    given[key] = text
        return {**base, **given} if base else None

    def gender(self, value, path: str, required: bool = False) -> str | None:
        """A person's (or an Italian designation's) grammatical gender: f or m."""
        if value is None:
            if required:
                self.problem(path, "data.gender_missing")
            return None
        normalised = str(value).strip().lower()
        if normalised not in ("f", "m"):
            self.problem(path, "data.gender", value=value)
            return None
        return normalised

    def date(self, value, path: str, required: bool = True):
        if value is None or value == "":
            if required:
                self.problem(path, "data.missing")
            return None
        try:
            return parse_date(value if not isinstance(value, (int, float)) else str(value), field=path)
        except DateFormatError as err:
            self.findings.append(Finding(self.where, str(err), field=path, code=err.code,
                                         params=tuple((k, v) for k, v in err.params.items() if k != "field")))
            return None

    def choice(self, value, path: str, choices: tuple[str, ...], required: bool = True) -> str | None:
        if value is None:
            if required:
                self.problem(path, "data.choice_missing", allowed=", ".join(choices))
            return None
        normalised = str(value).strip()
        upper = {c.upper(): c for c in choices}
        if normalised.upper() not in upper:
            self.problem(path, "data.choice", value=value, allowed=", ".join(choices))
            return None
        return upper[normalised.upper()]

    def listing(self, value, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, "data.not_list", type=type(value).__name__)
            return []
        return value

    def mapping(self, value, path: str, allowed: tuple[str, ...], required: bool = True) -> dict | None:
        if value is None:
            if required:
                self.problem(path, "data.missing")
            return None
        if not isinstance(value, dict):
            self.problem(path, "data.not_mapping", type=type(value).__name__)
            return None
        for key in sorted(set(value) - set(allowed), key=str):
            self.problem(f"{path}.{key}" if path else str(key), "data.unknown_field", known=", ".join(allowed))
        return value


# --- one-line metadata values (titles, parties, places, sectors) and file names -----------------------------
# Invisible direction controls: a right-to-left override in a title or file name makes "fdp.exe" look like
# "exe.pdf" in a listing. The archive holds Italian and Russian texts, which never need them.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
MAX_VALUE = 1000   # characters of one metadata value


def clean_value(value: str, path: str, *, strict: bool = True, limit: int = MAX_VALUE) -> str:
    """A one-line metadata value made safe: Unicode NFC (a title typed on a Mac, NFD, equals the same title
    typed elsewhere), direction controls removed, whitespace runs made one space. Control characters and
    values longer than ``limit`` are a ValidationError naming ``path`` when ``strict`` (a value the user
    typed); otherwise (a value read from a file) they become spaces and the value is cut with "…"."""
    text = unicodedata.normalize("NFC", str(value)).translate(BIDI_CONTROLS)
    bad = sorted({repr(ch) for ch in text if unicodedata.category(ch) == "Cc"}) if strict else []
    if bad:
        raise ValidationError(f"{path}: contains control characters {', '.join(bad)}; remove them")
    text = " ".join("".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text).split())
    if len(text) > limit:
        if strict:
            raise ValidationError(f"{path}: {len(text)} characters, more than the {limit} allowed")
        text = text[: limit - 1].rstrip() + "…"
    return text


def safe_name(name: str) -> str:
    """A file name as valid, printable text: bytes that are not UTF-8 become U+FFFD, control characters
    are shown as \\xNN, direction controls are removed. For records, logs and messages; never for opening
    the file."""
    text = str(name).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = unicodedata.normalize("NFC", text).translate(BIDI_CONTROLS)
    return "".join(f"\\x{ord(ch):02x}" if unicodedata.category(ch) == "Cc" else ch for ch in text)
