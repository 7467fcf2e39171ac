"""A value written in the two languages of the documents (a title, a place, a sector's name, a city).

The archive stores such a value as ``{"it": ..., "ru": ...}``; a source may give one language only (a sector
known by its Italian name). ``Bilingual`` is that value typed: every stage reads it through one class
instead of probing dictionaries."""
from __future__ import annotations

from dataclasses import dataclass

from .vocab import LANGUAGES


@dataclass(frozen=True)
class Bilingual:
    it: str = ""
    ru: str = ""

    @classmethod
    def of(cls, value) -> "Bilingual":
        """The value stored as ``{"it", "ru"}`` (either may be missing); anything else is an empty value."""
        if not isinstance(value, dict):
            return EMPTY
        it, ru = value.get("it"), value.get("ru")
        return cls(str(it) if it else "", str(ru) if ru else "") if it or ru else EMPTY

    def __bool__(self) -> bool:
        return bool(self.it or self.ru)

    @property
    def complete(self) -> bool:
        """Known in both languages."""
        return bool(self.it and self.ru)

    def text(self, lang: str) -> str:
        """The value in ``lang``; the other language's when ``lang``'s is not known; "" when neither is."""
        return getattr(self, lang, "") or next((getattr(self, other) for other in LANGUAGES if getattr(self, other)), "")

    def side_by_side(self, first: str = "it") -> str:
        """Both languages as "first / second" ("Bergamo / Бергамо"), the one known alone."""
        order = (first, *(lang for lang in LANGUAGES if lang != first))
        return " / ".join(getattr(self, lang) for lang in order if getattr(self, lang, ""))

    def forms(self) -> tuple[str, ...]:
        """The known forms, Italian first."""
        return tuple(getattr(self, lang) for lang in LANGUAGES if getattr(self, lang))

    def as_dict(self) -> dict:
        """The stored form: ``{"it", "ru"}`` with the languages known."""
        stored = {}
        if self.it:
            stored["it"] = self.it
        if self.ru:
            stored["ru"] = self.ru
        return stored


EMPTY = Bilingual()
