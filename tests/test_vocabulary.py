"""The spelling vocabulary (pipeline/index/vocabulary.py): word -> number of documents, per confidentiality
level, kept beside the index. An edit subtracts the replaced version's words, a change of level moves them,
a reader sees (and is offered) only the words of the levels they may see, a rebuild makes exactly what the
ingests and edits made one by one, and a cancelled write leaves it as it was."""
import sqlite3
import zlib

import pytest
from click.testing import CliRunner

from pipeline import index
from pipeline.access import PUBLIC, STAFF
from pipeline.archive.store import Archive
from pipeline.cli.main import cli
from pipeline.archive.document import Document
from pipeline.index.schema import document_entry, session_infos
from pipeline.index.vocabulary import Vocabulary, vocabulary_path
from pipeline.workspace import Workspace
from tests.test_search import find

LETTER = "TFA-000005"        # "Lettera di intenti", public, party Volga Trans OOO (tests/conftest.py)
LONG = "TFA-000006"          # "Progetto lungo", public, its text ends with "zanzibarico"


def counts(home, levels):
    with Vocabulary(index.index_dir(Workspace.at(home)), levels) as vocabulary:
        return vocabulary.counts()


def whole_file(home) -> tuple[list, list]:
    """Every row of the vocabulary file: the counts and each document's words (unpacked)."""
    db = sqlite3.connect(vocabulary_path(index.index_dir(Workspace.at(home))))
    try:
        words = db.execute("SELECT word, level, documents FROM words ORDER BY word, level").fetchall()
        documents = [(doc_id, level, sorted(zlib.decompress(blob).decode().split("\n")))
                     for doc_id, level, blob in db.execute("SELECT * FROM documents ORDER BY doc_id")]
    finally:
        db.close()
    return words, documents


def edit(home, *options):
    result = CliRunner().invoke(cli, ["--home", str(home), "archive", "edit", *options])
    assert result.exit_code == 0 and "Warning" not in result.output, result.output


def test_an_edit_of_a_public_document_removes_its_old_words(copy_of):
    home = copy_of()
    assert counts(home, ("public",))["volga"] == 1                         # a party of the letter only
    assert find(home, "vloga", reader=PUBLIC)["suggestion"] == "volga"
    edit(home, LETTER, "--party", "Neva Spedizioni")
    public = counts(home, ("public",))
    assert "volga" not in public and public["spedizioni"] == 1 and public["lettera"] == 1
    assert "volga" not in counts(home, ("public", "internal", "restricted"))
    assert find(home, "vloga", reader=PUBLIC)["suggestion"] is None
    assert find(home, "spedizoni", reader=PUBLIC)["suggestion"] == "spedizioni"


def test_a_word_of_a_restricted_document_is_suggested_to_staff_only(copy_of):
    home = copy_of()
    assert find(home, "zanzibarco", reader=PUBLIC)["suggestion"] == "zanzibarico"
    edit(home, LONG, "--confidentiality", "restricted")      # its words move from public to restricted
    assert "zanzibarico" not in counts(home, ("public", "internal"))
    assert counts(home, ("restricted",))["zanzibarico"] == 1
    assert find(home, "zanzibarco", reader=PUBLIC)["suggestion"] is None
    assert find(home, "zanzibarco")["suggestion"] is None                 # the CLI's default reader
    assert find(home, "zanzibarco", reader=STAFF)["suggestion"] == "zanzibarico"
    # both documents with "distretto" are restricted now: staff count two, the public none
    assert "distretto" not in counts(home, ("public",)) and counts(home, STAFF.levels)["distretto"] == 2


def test_a_rebuild_makes_the_vocabulary_the_ingests_and_edits_made(copy_of):
    home = copy_of()
    edit(home, LETTER, "--party", "Neva Spedizioni")
    edit(home, LONG, "--confidentiality", "internal")
    incremental = whole_file(home)
    assert incremental[0] and len(incremental[1]) == 6
    index.rebuild(Workspace.at(home))
    assert whole_file(home) == incremental


def test_a_cancelled_write_leaves_the_vocabulary_as_it_was(copy_of):
    home = copy_of()
    ws = Workspace.at(home)
    before = whole_file(home)
    record = Archive(ws).record(LONG)
    values, words = document_entry(Document.from_record(record), "parole nuove soltanto", session_infos(ws).get(record.session))
    with pytest.raises(RuntimeError):
        with index.write_lock(ws), index.writing(index.index_dir(ws)) as writer:
            writer.update(values, words)
            raise RuntimeError("stop")
    assert whole_file(home) == before
    assert index.is_current(ws)


def test_an_index_without_its_vocabulary_is_rebuilt(copy_of):
    home = copy_of()
    ws = Workspace.at(home)
    vocabulary_path(index.index_dir(ws)).unlink()       # what a failed commit of the vocabulary leaves
    assert not index.is_current(ws)
    assert find(home, "vloga", reader=PUBLIC)["suggestion"] == "volga"
    assert index.is_current(ws)
