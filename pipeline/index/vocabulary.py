"""The spelling vocabulary ("did you mean"): for each confidentiality level, every word written in that
level's documents with the number of documents that contain it. One SQLite file in the index folder
(derived data: made by a rebuild, changed by every update, committed or cancelled together with the index
by writer.writing()). Each document's own words are kept beside the counts, so that replacing a document
(a new revision, a metadata edit, a change of level) subtracts exactly the words it had.

Reading goes through the levels a reader may see only: a word of a hidden document is neither known nor
suggested, and does not move the order of the suggestions."""
from __future__ import annotations

import contextlib
import errno
import sqlite3
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton

from ..vocab import CONFIDENTIALITY_LEVELS

FILE_NAME = "vocabulary.sqlite"
BUSY_TIMEOUT = 60.0         # seconds a reader waits for a writer's commit (it takes milliseconds)
TABLES = """
CREATE TABLE IF NOT EXISTS words (
    word TEXT NOT NULL, level TEXT NOT NULL, documents INTEGER NOT NULL, PRIMARY KEY (word, level)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents (doc_id TEXT PRIMARY KEY, level TEXT NOT NULL, words BLOB NOT NULL)
    WITHOUT ROWID;
"""


def vocabulary_path(folder: Path) -> Path:
    return Path(folder) / FILE_NAME


@contextlib.contextmanager
def _as_os_error(path: Path):
    """SQLite's failures to write (disk full, read-only, I/O) as the OSError the index's callers report."""
    try:
        yield
    except sqlite3.Error as err:
        code = {sqlite3.SQLITE_FULL: errno.ENOSPC, sqlite3.SQLITE_READONLY: errno.EROFS,
                sqlite3.SQLITE_PERM: errno.EACCES, sqlite3.SQLITE_CANTOPEN: errno.EACCES}.get(
                    getattr(err, "sqlite_errorcode", 0) & 0xFF, errno.EIO)
        raise OSError(code, str(err), str(path)) from err


def _pack(words: Iterable[str]) -> bytes:
    return zlib.compress("\n".join(words).encode("utf-8"), 1)


def _unpack(blob: bytes) -> list[str]:
    text = zlib.decompress(blob).decode("utf-8")
    return text.split("\n") if text else []


class VocabularyWriter:
    """Changes to the vocabulary of one index folder, inside one SQLite transaction: ``prepare()`` writes
    them (still uncommitted), ``commit()`` makes them visible, ``cancel()`` forgets them."""

    def __init__(self, folder: Path, create: bool = False):
        self.path = path = vocabulary_path(folder)
        if not create and not path.exists():
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))
        with _as_os_error(path):
            self.db = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT)
        try:
            with _as_os_error(path):
                self.db.execute("PRAGMA cache_size = -65536")    # 64 MB: a large batch stays out of the file
                if create:
                    self.db.execute("PRAGMA journal_mode = OFF")  # a new file, in a folder swapped in when done
                    self.db.executescript(TABLES)
                self.db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.db.close()
            raise
        self.create = create
        self.deltas: dict[tuple[str, str], int] = defaultdict(int)
        self.changed: dict[str, tuple[str, list[str]]] = {}      # doc_id -> (level, words) as it now is

    def add(self, doc_id: str, level: str, words: Iterable[str]) -> None:
        """A document the index did not hold (a rebuild)."""
        self._count(level, words := list(words), +1)
        self.changed[doc_id] = (level, words)

    def replace(self, doc_id: str, level: str, words: Iterable[str]) -> None:
        """A document added or replaced: the words of the version it replaces are subtracted."""
        old = self.changed.get(doc_id)
        if old is None and not self.create:
            with _as_os_error(self.path):
                row = self.db.execute("SELECT level, words FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            old = (row[0], _unpack(row[1])) if row else None
        if old is not None:
            self._count(old[0], old[1], -1)
        self.add(doc_id, level, words)

    def _count(self, level: str, words: list[str], sign: int) -> None:
        deltas = self.deltas
        for word in words:
            deltas[word, level] += sign

    def prepare(self) -> None:
        """Write the changes into the open transaction (the slow part, which may fail: before the index
        commits)."""
        with _as_os_error(self.path):
            self._write()

    def _write(self) -> None:
        changes = [(word, level, delta) for (word, level), delta in self.deltas.items() if delta]
        if self.create:
            self.db.executemany("INSERT INTO words VALUES (?, ?, ?)", sorted(changes))
        else:
            self.db.executemany("INSERT INTO words VALUES (?, ?, ?) ON CONFLICT (word, level) DO UPDATE "
                                "SET documents = documents + excluded.documents", changes)
            self.db.executemany("DELETE FROM words WHERE word = ? AND level = ? AND documents <= 0",
                                [(word, level) for word, level, delta in changes if delta < 0])
        self.db.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)",
                            [(doc_id, level, _pack(words)) for doc_id, (level, words) in self.changed.items()])
        self.deltas.clear()
        self.changed.clear()

    def commit(self) -> None:
        try:
            with _as_os_error(self.path):
                self.db.execute("COMMIT")
        finally:
            self.db.close()

    def cancel(self) -> None:
        try:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
        finally:
            self.db.close()


class Vocabulary:
    """The words of the levels ``levels`` (read-only)."""

    def __init__(self, folder: Path, levels: Iterable[str]):
        self.levels = tuple(level for level in CONFIDENTIALITY_LEVELS if level in set(levels))
        # mode=rw, not ro: a reader can roll back the journal a crashed writer left (a read-only connection
        # fails on it); a file the process may not write is opened read-only; a missing one is an error
        self.db = sqlite3.connect(f"file:{vocabulary_path(folder)}?mode=rw", uri=True, timeout=BUSY_TIMEOUT,
                                  check_same_thread=False)
        marks = ", ".join("?" * len(self.levels))
        self._frequency = f"SELECT SUM(documents) FROM words WHERE word = ? AND level IN ({marks})"
        self._next = f"SELECT word FROM words WHERE word >= ? AND level IN ({marks}) ORDER BY word LIMIT 1"

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def frequency(self, word: str) -> int:
        """How many documents of the visible levels contain ``word`` (0: an unknown word)."""
        return self.db.execute(self._frequency, (word, *self.levels)).fetchone()[0] or 0

    def next_word(self, word: str) -> str | None:
        """The first visible word at or after ``word`` in sorted order."""
        row = self.db.execute(self._next, (word, *self.levels)).fetchone()
        return row[0] if row else None

    def similar(self, word: str, maxdist: int = 2, prefix: int = 1, limit: int = 5) -> list[str]:
        """Visible words within ``maxdist`` edits of ``word`` sharing its first ``prefix`` letters, the most
        frequent first (then alphabetically), as Whoosh's own corrector orders them."""
        if not self.levels:
            return []
        dfa = levenshtein_automaton(word, maxdist, prefix).to_dfa()
        found = [(-self.frequency(candidate), candidate) for candidate in find_all_matches(dfa, self.next_word)
                 if candidate != word]
        return [candidate for _, candidate in sorted(found)[:limit]]

    def counts(self) -> dict[str, int]:
        """Every visible word with its number of documents (tests and checks)."""
        marks = ", ".join("?" * len(self.levels))
        return dict(self.db.execute(f"SELECT word, SUM(documents) FROM words WHERE level IN ({marks}) "
                                    f"GROUP BY word ORDER BY word", self.levels))
