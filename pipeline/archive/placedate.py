"""The place and date of signature in a document's text: the closing clause ("Fatto a Bergamo il 27 novembre
2019", "Совершено в г. Москве 15 марта 2024 г.") or a letter's heading ("Roma, 3 marzo 2010"), with the
registry's month names. Read by the ingest's metadata and by the proposals of a document without a reference."""
from __future__ import annotations

import datetime as dt
import re

from ..errors import DateFormatError
from ..sessions.dates import month_names, parse_date
from ..vocab import LANGUAGES


def _month_alternation() -> str:
    names = {name for lang in LANGUAGES for forms in month_names(lang) for name in forms}
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


CAPITAL = "A-ZÀ-ÖØ-ÞА-ЯЁ"
PLACE_AND_DATE = re.compile(
    rf"(?<![\w'’])(?P<place>[{CAPITAL}][\w'’\-]*(?:[ \-][{CAPITAL}][\w'’\-]*){{0,3}})\s*,\s*"
    rf"(?:(?:il|lì|li|addì)\s+|l['’]\s*)?(?P<day>\d{{1,2}})[°º]?\s+(?P<month>(?i:{_month_alternation()}))\.?\s+"
    rf"(?P<year>\d{{4}})(?!\d)")


CYRILLIC = re.compile(r"[\u0400-\u04FF]")
SIGNATURE_CLAUSE = re.compile(r"(?i:fatto|firmato|sottoscritto|stipulato|совершено|подписано)\s+(?:a|ad|in|в)\s+"
                              r"(?:г\.\s*)?$")
# The drafts' own closing clause has no comma ("Fatto a Bergamo il 28 novembre 2014", "Совершено в г. Казани
# 28 ноября 2014 г."): after a clause word the comma is optional, elsewhere it is required.
CLAUSE_PLACE_AND_DATE = re.compile(
    rf"(?i:fatto|firmato|sottoscritto|stipulato|совершено|подписано)\s+(?:a|ad|in|в)\s+(?:г\.\s*)?"
    rf"(?P<place>[{CAPITAL}][\w'’\-]*(?:[ \-][{CAPITAL}][\w'’\-]*){{0,3}})\s*,?\s*"
    rf"(?:(?:il|lì|li|addì)\s+|l['’]\s*)?(?P<day>\d{{1,2}})[°º]?\s+(?P<month>(?i:{_month_alternation()}))\.?\s+"
    rf"(?P<year>\d{{4}})(?!\d)")


def find_place_and_date(text: str) -> tuple[str | None, dt.date | None]:
    """The place and date of signature: the place and date of the closing clause ("Fatto a Bergamo il 27
    novembre 2019", "Fatto a Bergamo, il 27 novembre 2019", "Совершено в г. Москве 15 марта 2024 г."; the
    Italian clause's place when there are both, since the Russian one is declined) when there is one, else the first
    "Place, day month year" in the text (a letter's heading), with the registry's month names;
    (None, None) when there is none."""
    found = []
    for in_clause, pattern in ((True, CLAUSE_PLACE_AND_DATE), (False, PLACE_AND_DATE)):
        for match in pattern.finditer(text):
            try:
                when = parse_date(f"{match['day']} {match['month'].lower()} {match['year']}")
            except DateFormatError:
                continue
            clause = in_clause or bool(SIGNATURE_CLAUSE.search(text[max(0, match.start() - 30):match.start()]))
            # the Italian clause names the place in the nominative; the Russian one declines it (в г. Казани)
            italian_clause = clause and not CYRILLIC.search(match["place"])
            found.append((clause, italian_clause, match["place"].strip(), when))
    if not found:
        return None, None
    found.sort(key=lambda item: (not item[0], not item[1]))   # stable: clauses first, the Italian one first
    _, _, place, when = found[0]
    return place, when
