"""What a search asks for: the query, the filters, the page, and who is asking (the reader)."""
from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query

from ..access import Reader, cli_reader

MARK = ("**", "**")


@dataclass
class SearchRequest:
    query: str = ""
    session: int | None = None
    sessions: tuple[int, int] | None = None
    year: int | None = None                # the year of signature (the session's, when undated)
    date_from: str | None = None
    date_to: str | None = None
    type: str | None = None
    party: str | None = None
    sector: str | None = None
    country: str | None = None
    lang: str | None = None
    # only the signed documents whose text differs from their approved draft (staff only: a public-only
    # reader may not know the comparison, see Reader.sees_comparisons)
    differs: bool = False
    sort: str = "relevance"
    limit: int = 10
    page: int = 1
    facets: bool = False
    # Who is asking (pipeline/access.py): every part of the answer (hits, totals, pages, facets, scores,
    # suggestions) is computed from the documents this reader may see only.
    reader: Reader = field(default_factory=cli_reader)
    mark: tuple[str, str] = MARK
    snippets: bool = True
    # The language of a snippet that no word chose (an empty query lists the start of each text): the
    # reader's, when known; a matched word's snippet is in the language that matched.
    snippet_lang: str | None = None

    def allowed(self) -> query.Query | None:
        """The documents the reader may see, as a Whoosh filter (None: every document)."""
        if self.reader.sees_everything:
            return None
        levels = query.Or([query.Term("confidentiality", level) for level in self.reader.levels])
        return levels if self.reader.sees_withdrawn else query.And([levels, query.Term("listed", "yes")])
