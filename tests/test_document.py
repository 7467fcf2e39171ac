"""One model per concept (issue 22, item 1): the document every stage after the archive reads, the bilingual
value, the confidentiality level, the drafts register's lines, and the one CSV row builder."""
import datetime as dt
import json

import pytest

from pipeline.access import PUBLIC, STAFF, Level, cli_reader, is_public, is_restricted
from pipeline.archive.document import Document
from pipeline.archive.reading import ArchiveReader
from pipeline.archive.record import DocumentRecord
from pipeline.bilingual import Bilingual
from pipeline.drafting import register
from pipeline.index.schema import SessionInfo, document_entry, stored_document
from pipeline.search import SearchRequest, search
from pipeline.search.export import csv_row
from pipeline.vocab import CONFIDENTIALITY_LEVELS
from pipeline.workspace import Workspace

RECORD = DocumentRecord(
    doc_id="TFA-000007", session=25, type="agreement", title="Accordo di filiera", sha256="a" * 64, size=10,
    filename="a.pdf", reference="TF25-AGR-001", parties=["Meccanica Orobica S.p.A.", "ООО «Волга Станки»"],
    sectors=["Meccanica strumentale", "Logistica, trasporti"], signed_on=dt.date(2014, 11, 28), place="Bergamo",
    languages=["it", "ru"], confidentiality="internal", revision=3, text_source="text",
    bilingual={"title": {"it": "Accordo di filiera", "ru": "Соглашение о цепочке поставок"},
               "sectors": [{"it": "Meccanica strumentale", "ru": "Машиностроение"}, {"it": "Logistica, trasporti"}]},
    draft_comparison={"identical": False})


def test_a_record_and_the_index_give_the_same_document():
    document = Document.from_record(RECORD)
    assert document.titles == Bilingual("Accordo di filiera", "Соглашение о цепочке поставок")
    assert document.places == Bilingual() and not document.places
    assert document.sector_names == (Bilingual("Meccanica strumentale", "Машиностроение"),
                                     Bilingual("Logistica, trasporti", ""))
    assert document.confidentiality is Level.INTERNAL and not document.public and document.differs is True
    values, _ = document_entry(document, "Testo dell'accordo", None)
    assert values["sectors"] == "Meccanica strumentale,Logistica  trasporti"      # the index's own encoding
    assert values["bilingual"] == RECORD.bilingual and values["confidentiality"] == "internal"
    assert type(values["confidentiality"]) is str and values["differs"] == "yes"
    read_back = stored_document({**values, "signed_on": dt.datetime(2014, 11, 28)})
    # the index keeps a sector's comma as a space (it separates its keys); everything else comes back
    assert read_back == Document.from_record(DocumentRecord(**{**RECORD.__dict__,
                                                               "sectors": ["Meccanica strumentale",
                                                                           "Logistica  trasporti"]}))


def test_the_fields_of_a_document_are_a_hits_and_read_back_the_same():
    document = Document.from_record(RECORD, country="IT")
    fields = document.fields()
    assert list(fields) == ["doc_id", "reference", "session", "type", "title", "signed_on", "place", "parties",
                            "sectors", "country", "confidentiality", "bilingual"]
    assert json.loads(json.dumps(fields)) == fields and fields["signed_on"] == "2014-11-28"
    again = Document.from_fields({**fields, "score": 1.5, "snippet": "…"})
    assert again.fields() == fields and again.title_in("ru") == "Соглашение о цепочке поставок"


def test_the_session_city_is_in_the_hits_place_and_country():
    values, _ = document_entry(Document.from_record(RECORD), "", SessionInfo("IT", {"it": "Bergamo", "ru": "Бергамо"},
                                                                             dt.date(2014, 11, 27)))
    document = stored_document({**values, "signed_on": None})
    assert (document.place, document.country, document.signed_on) == ("Bergamo / Бергамо", "IT", None)


def test_the_hits_are_the_documents_of_the_archive(archived):
    ws = Workspace.at(archived)
    records = {record.doc_id: record for record in ArchiveReader(ws).records()[0]}
    hits = search(ws, SearchRequest(reader=STAFF, limit=100, snippets=False))["hits"]
    assert len(hits) == len(records)
    for hit in hits:
        expected = Document.from_record(records[hit["doc_id"]]).fields()
        shown = {key: value for key, value in hit.items() if key not in ("place", "country", "score", "public_id",
                                                                          "differs_from_draft", "life",
                                                                          "party_ids", "files")}
        assert shown == {key: value for key, value in expected.items() if key not in ("place", "country")}


def test_bilingual_values():
    pair = Bilingual.of({"it": "Bergamo", "ru": "Бергамо"})
    assert pair.complete and pair.side_by_side("ru") == "Бергамо / Bergamo" and pair.text("ru") == "Бергамо"
    alone = Bilingual.of({"ru": "Машиностроение"})
    assert not alone.complete and alone.text("it") == "Машиностроение" and alone.as_dict() == {"ru": "Машиностроение"}
    assert Bilingual.of("not a pair") == Bilingual() and Bilingual.of(None).side_by_side() == ""


def test_the_confidentiality_level_and_what_it_lets_whom_see():
    assert tuple(Level) == CONFIDENTIALITY_LEVELS
    assert is_public("public") and is_public(Level.PUBLIC) and not is_public("internal")
    assert is_restricted("restricted") and not is_restricted(None)
    assert PUBLIC.public_only and not cli_reader().may_see(Level.RESTRICTED) and STAFF.may_see("restricted")
    assert all(type(level) is str for level in PUBLIC.levels + cli_reader().levels)   # as the index stores them
    with pytest.raises(ValueError):
        Level("secret")


def test_the_drafts_register_reads_and_writes_draft_entries(tmp_path):
    ws = Workspace(tmp_path)
    line = {"reference": "TF25-AGR-001", "session": 25, "kind": "agreement", "title": "Accordo", "parties": [],
            "sectors": [], "subject": None, "version": 1, "state": "draft", "sha256": "0" * 64,
            "file": "drafts/x.docx", "created_at": "2026-01-01T00:00:00+00:00", "from_a_newer_drafting": 7}
    path = register.register_path(ws)
    path.parent.mkdir(parents=True)
    written = json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"
    path.write_text(written + '{"reference": "TF25-AGR-002", "session": 25}\n', encoding="utf-8")  # no entry
    entries = register.entries(ws)
    assert [type(entry) for entry in entries] == [register.DraftEntry]      # the line without its keys is none
    assert entries[0].extra == {"from_a_newer_drafting": 7} and register.latest(ws, "TF25-AGR-001") == entries[0]
    path.write_text("", encoding="utf-8")
    register.append_entry(ws, entries[0])
    assert path.read_text(encoding="utf-8") == written                       # nothing lost, nothing added
    with pytest.raises(AttributeError):
        entries[0].title = "changed by a caller"                            # the parsed file is shared


def test_one_row_builder_for_both_csv_exports():
    hit = {**Document.from_record(RECORD).fields(), "score": 2.5, "snippet": "la **filiera** e \ue000altro\ue001"}
    assert csv_row(hit, ("**", "**"))["snippet"] == "la filiera e \ue000altro\ue001"
    row = csv_row(hit, ("\ue000", "\ue001"))
    assert row["snippet"] == "la **filiera** e altro"
    assert row["sectors"] == "Meccanica strumentale; Logistica, trasporti" and row["score"] == 2.5
