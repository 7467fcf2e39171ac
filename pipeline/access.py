"""Who may see what: the one rule behind every search, count, facet, score, suggestion, export and page.

A reader is the set of confidentiality levels they may see. Anonymous visitors of the web page see public
documents only; staff see every level; the command line (run by someone with the workspace's files in
hand) sees public and internal documents, and restricted ones only when asked with --include-restricted.
Everything shown to a reader must be computed as if the documents they may not see did not exist. A
withdrawn document (taken out of view by an archivist, its bytes kept) is seen by staff only, marked with its
reason; to every other reader it does not exist. The
comparison of a signed text with its approved draft is staff's too: a public-only reader never sees it.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .vocab import CONFIDENTIALITY_LEVELS


class Level(StrEnum):
    """A confidentiality level (pipeline.vocab.CONFIDENTIALITY_LEVELS, least restricted first). It equals its
    name as stored ("public"); what a level lets whom see is answered here, and only here."""

    PUBLIC = "public"
    INTERNAL = "internal"
    RESTRICTED = "restricted"


def is_public(level: str) -> bool:
    """Whether a document of this level is public: in the public index, seen by anonymous visitors, its page
    images cacheable by the browser."""
    return level == Level.PUBLIC


def is_restricted(level: str | None) -> bool:
    """Whether a document of this level is restricted: the command line shows it only when asked, and a public
    Protocol must not name it."""
    return level == Level.RESTRICTED


@dataclass(frozen=True)
class Reader:
    levels: tuple[str, ...]

    def __post_init__(self):
        object.__setattr__(self, "levels", tuple(str(level) for level in self.levels))   # plain names, as stored
        unknown = [level for level in self.levels if level not in CONFIDENTIALITY_LEVELS]
        if unknown or not self.levels:
            raise ValueError(f"a reader needs one or more of {', '.join(CONFIDENTIALITY_LEVELS)}, not {unknown}")

    def may_see(self, level: str, withdrawn: str | None = None) -> bool:
        """Whether this reader may see a document of ``level``; ``withdrawn``: the reason it was withdrawn,
        when it was (then staff only see it)."""
        return level in self.levels and (not withdrawn or self.sees_withdrawn)

    def may_see_record(self, record) -> bool:
        """Whether this reader may see an archived record (a DocumentRecord or a Document)."""
        return self.may_see(record.confidentiality, getattr(record, "withdrawn", None))

    @property
    def sees_everything(self) -> bool:
        return set(self.levels) == set(CONFIDENTIALITY_LEVELS)

    @property
    def sees_withdrawn(self) -> bool:
        """Whether withdrawn documents are shown to this reader (marked with their reason): staff's."""
        return self.sees_everything

    @property
    def public_only(self) -> bool:
        return tuple(self.levels) == (Level.PUBLIC,)

    @property
    def sees_comparisons(self) -> bool:
        """Whether this reader may know how a signed text compares with its approved draft (the drafts
        register is staff's): every reader but the public-only one. The public sees neither the drafts nor the
        comparison, not even of a public document."""
        return not self.public_only


PUBLIC = Reader((Level.PUBLIC,))
STAFF = Reader(CONFIDENTIALITY_LEVELS)


def web_reader(signed_in: bool) -> Reader:
    """Anonymous visitors see public documents; signed-in staff see every level."""
    return STAFF if signed_in else PUBLIC


def cli_reader(include_restricted: bool = False) -> Reader:
    """The command line sees public and internal documents; restricted ones with --include-restricted."""
    return STAFF if include_restricted else Reader((Level.PUBLIC, Level.INTERNAL))
