"""Fuzzing and hostile input: mutated and hostile PDFs, hostile metadata and file names, template data,
queries and manifests. Hypothesis runs derandomised (the same examples on every run, so CI is
reproducible); each example is counted for the scorecard (tests/scorecard.py)."""
import csv
import io
import json
import os
import resource
import shutil
import time
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.bench_hostile import HOSTILE_QUERIES
from pipeline import drafting, search
from pipeline.archive.batch import plan_batch
from pipeline.archive.metadata import Given
from pipeline.archive.store import Archive
from pipeline.errors import NotFoundError, ValidationError
from pipeline.sessions.fields import BIDI_CONTROLS
from pipeline.pdf.text import ExtractLimits
from pipeline.workspace import Workspace, init_workspace
from tests.test_faults import OPTIONS, invoke, small_pdf
from tests.conftest import assert_no_crash

FUZZ = settings(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])


def fuzz(examples: int):
    return settings(FUZZ, max_examples=examples)


LIMITS = ExtractLimits(seconds_per_file=8, memory_bytes=512 * 1024 * 1024, ocr=False)
SLACK = 6   # seconds beyond the time limit: starting the child, copying, committing


# --- PDFs made by hand, small enough that a mutation hits the structure -----------------------------------------
def build_pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF from object bodies (object n is objects[n-1]) with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, root, trailer_extra, xref))
    return out.getvalue()


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def text_page_pdf(text: str = "Lettera di intenti tra le parti, firmata a Roma, 3 aprile 2012") -> bytes:
    content = b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (Lettera) /Author (Task Force) >>",
    ], trailer_extra=b"/Info 6 0 R ")


def page_with(content: bytes, extra_objects: list[bytes] = (), content_extra: bytes = b"") -> bytes:
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content, content_extra),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra_objects,
    ])


def nested_arrays(depth: int) -> bytes:
    """The page itself carries the nesting, so that reading the page parses it."""
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Deep " + b"[" * depth + b"]" * depth + b" >>",
    ])


def nested_dictionaries(depth: int) -> bytes:
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"<< /A " * depth + b"1" + b" >>" * depth + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ])


def cyclic_page_tree() -> bytes:
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",   # the tree contains itself
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ])


def cyclic_xobjects() -> bytes:
    """A form XObject drawing itself: text extraction recurses into forms."""
    form = stream(b"/X1 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 4 0 R >> >> ")
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /XObject << /X1 4 0 R >> >> >>",
        form,
        stream(b"/X1 Do"),
    ])


def decompression_bomb(megabytes: int) -> bytes:
    """A page whose content stream inflates from ~1/1000 of its size to ``megabytes`` MB of text operators."""
    chunk = b"BT /F1 12 Tf 72 720 Td (bomba) Tj ET\n" * 28000   # ~1 MB
    compressor = zlib.compressobj(9)
    packed = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    return page_with(packed, content_extra=b"/Filter /FlateDecode ")


def huge_page_count() -> bytes:
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b"3 0 R " * 200000 + b"] /Count 200000 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ])


@pytest.fixture(scope="module")
def fuzz_ws(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    init_workspace(root / "ws", with_sample=True)
    return Workspace.at(root / "ws"), root


def ingest_bytes(ws, folder: Path, data: bytes, name: str = "mutato.pdf"):
    """Ingest ``data`` as a file; return (outcome, seconds). Every outcome must be one a user can read."""
    path = folder / name
    path.write_bytes(data)
    started = time.monotonic()
    with Archive(ws, LIMITS) as store:
        outcome = store.ingest_file(path, [(Given(session=25, type="letter"), "option")])
    seconds = time.monotonic() - started
    assert outcome.outcome in ("archived", "duplicate", "rejected"), outcome
    if outcome.outcome == "rejected":
        assert outcome.reason and "Traceback" not in outcome.reason
    else:
        stored = ws.archive / outcome.doc_id / "original.pdf"
        assert stored.read_bytes() == data   # archived byte for byte, never "repaired"
    assert seconds < LIMITS.seconds_per_file + SLACK, (outcome, seconds)
    return outcome, seconds


# --- mutated PDFs -------------------------------------------------------------------------------------------------
BASES = {"hand-made": text_page_pdf(), "reportlab": None}


def base_pdf(name: str, folder: Path) -> bytes:
    if BASES[name] is None:
        BASES[name] = small_pdf(folder, 900).read_bytes()
    return BASES[name]


@st.composite
def mutations(draw):
    """(base name, list of edits): bit flips, truncations (with or without a fresh %%EOF), spliced byte
    ranges (an object copied over another), inserted and deleted bytes."""
    base = draw(st.sampled_from(sorted(BASES)))
    edits = draw(st.lists(st.one_of(
        st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 7)),
        st.tuples(st.just("truncate"), st.floats(0, 1), st.booleans()),
        st.tuples(st.just("splice"), st.floats(0, 1), st.floats(0, 1), st.integers(1, 400)),
        st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
        st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 200)),
        st.tuples(st.just("token"), st.floats(0, 1), st.sampled_from(
            [b"obj", b"endobj", b"stream", b"endstream", b"<<", b">>", b"[", b"R", b"/Length 999999999",
             b"/Filter /FlateDecode", b"/Encrypt 1 0 R", b"trailer", b"xref", b"-1", b"1e308", b"()", b"\\"])),
    ), min_size=1, max_size=4))
    return base, edits


def apply(data: bytes, edits) -> bytes:
    data = bytearray(data)
    for edit in edits:
        at = min(int(edit[1] * len(data)), max(0, len(data) - 1))
        if edit[0] == "flip" and data:
            data[at] ^= 1 << edit[2]
        elif edit[0] == "truncate":
            data = data[:at] + (b"\n%%EOF\n" if edit[2] else b"")
        elif edit[0] == "splice":
            source = min(int(edit[2] * len(data)), len(data))
            piece = data[source:source + edit[3]]
            data[at:at + len(piece)] = piece
        elif edit[0] == "insert":
            data[at:at] = edit[2]
        elif edit[0] == "delete":
            del data[at:at + edit[2]]
        elif edit[0] == "token":
            data[at:at] = b" " + edit[2] + b" "
    return bytes(data)


@pytest.mark.slow
def test_mutated_pdfs_are_archived_or_rejected_in_time(fuzz_ws, score):
    ws, folder = fuzz_ws
    seen = {"archived": 0, "rejected": 0, "duplicate": 0}

    @fuzz(70)
    @given(mutations())
    def trial(mutation):
        base, edits = mutation
        outcome, _ = ingest_bytes(ws, folder, apply(base_pdf(base, folder), edits))
        seen[outcome.outcome] += 1
        score("pdf-mutations")

    trial()
    assert seen["rejected"] > 0 and seen["archived"] > 0, seen   # the fuzzer reached both ends
    with Archive(ws) as store:
        assert store.verify().findings == []


BOMBS = {
    "arrays nested 100000 deep": lambda: nested_arrays(100_000),
    "dictionaries nested 50000 deep": lambda: nested_dictionaries(50_000),
    "page tree containing itself": cyclic_page_tree,
    "form drawing itself": cyclic_xobjects,
    "content stream inflating to 400 MB": lambda: decompression_bomb(400),
    "200000 page references": huge_page_count,
    "xref /Size 2^31": lambda: text_page_pdf().replace(b"/Size 7", b"/Size 2147483647"),
    "stream /Length 10^12": lambda: text_page_pdf().replace(b"/Length ", b"/Length 1000000000000 /X ", 1),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", BOMBS, ids=list(BOMBS))
def test_hostile_pdfs_are_handled_within_time_and_memory(fuzz_ws, name, score):
    ws, folder = fuzz_ws
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome, seconds = ingest_bytes(ws, folder, BOMBS[name](), name="".join(c if c.isalnum() else "-" for c in name) + ".pdf")
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 200, f"the test process grew by {grown_mib:.0f} MiB: parsing must stay in the child"
    if outcome.outcome == "archived":
        record = Archive(ws).record(outcome.doc_id)
        assert record.pages >= 1
    score("pdf-bombs")


# --- metadata and names -------------------------------------------------------------------------------------------
HOSTILE_CHARS = st.sampled_from(list("/\\.:*?\"<>|\x00\x07\n\t\r\x1b\u200e\u200f\u202e\u2066\u0300\u0301\ufeff"
                                     "aeèàAZЁёЙй «»&{}%#'"))
HOSTILE_TEXT = st.one_of(
    st.text(HOSTILE_CHARS, max_size=40),
    st.text(max_size=40),
    st.sampled_from(["..", "../../etc/passwd", "/etc/passwd", "C:\\Windows", "a" * 5000, "citta\u0300",
                     "\u202eevil\u202cfdp.pdf", "{{ x }}", "TF25-AGR-003/../..", " ", ""]),
)


def assert_safe_value(value: str):
    assert unicodedata.is_normalized("NFC", value)
    assert not any(unicodedata.category(ch) == "Cc" for ch in value)
    assert not set(map(ord, value)) & set(BIDI_CONTROLS)
    assert value == value.strip() and "  " not in value


@fuzz(300)
@given(title=HOSTILE_TEXT, party=HOSTILE_TEXT, place=HOSTILE_TEXT, sector=HOSTILE_TEXT)
def test_typed_metadata_is_refused_or_made_safe(title, party, place, sector, score):
    try:
        given_values = Given(session=25, type="letter", title=title, parties=[party], sectors=[sector], place=place)
    except ValidationError as err:
        assert err.message.split(":")[0] in ("title", "party", "sector", "place"), err.message
        assert "control characters" in err.message or "allowed" in err.message
    else:
        for value in [given_values.title or "", given_values.place or "", *given_values.parties,
                      *given_values.sectors]:
            assert_safe_value(value)
    score("names")


def snapshot_outside(root: Path, inside: Path) -> set[str]:
    return {str(p) for p in root.rglob("*") if inside not in p.parents and p != inside}


NAMES = [b"caf\xe9.pdf", b"a\nb\x1b[31m.pdf", "\u202eevil\u202cfdp.pdf".encode(), "NFD citta\u0300.pdf".encode(),
         b"a..pdf", b"-rf.pdf", b"--help.pdf", "Протокол «Бергамо».pdf".encode(), b"x" * 251 + b".pdf",
         b" leading and trailing .pdf", b"semi;colon,comma.pdf"]


def test_hostile_file_names_and_values_stay_in_the_workspace(tmp_path, score):
    init_workspace(tmp_path / "ws", with_sample=True)
    ws = Workspace.at(tmp_path / "ws")
    source = tmp_path / "in"
    source.mkdir()
    for n, name in enumerate(NAMES):
        path = os.path.join(os.fsencode(source), name)
        with open(path, "wb") as handle:
            handle.write(text_page_pdf(f"Lettera numero {n}, firmata a Roma, 3 aprile 2012"))
    with open(os.path.join(os.fsencode(source), b"y" * 250 + b".pdf"), "wb") as handle:
        handle.write(b"not a PDF at all")
    (source / "fresh.pdf").write_bytes(b"")   # rewritten below for each value
    before = snapshot_outside(tmp_path, ws.home)
    quarantine = ws.home / "quarantine"
    result = invoke(ws.home, "ingest", source, *OPTIONS, "--quarantine", quarantine, "--json")
    assert result.exit_code == 1, result.output
    assert_no_crash(result)
    report = json.loads(result.output)
    assert report["summary"] == {"archived": len(NAMES), "duplicate": 0, "rejected": 2}, report["summary"]
    for entry in report["files"]:
        assert not any(unicodedata.category(ch) == "Cc" for ch in entry["file"])
    assert len(list(quarantine.iterdir())) == 4   # each rejected file and its NAME.reason.txt
    for option in ("--title", "--party", "--place", "--sector"):
        for n, value in enumerate(("../../../outside", "/tmp/absolute", "a\x00b", "\u202eevil", "x" * 2000,
                                   "citta\u0300")):
            fresh = source / "fresh.pdf"
            fresh.write_bytes(text_page_pdf(f"Valore {option} {n}"))
            result = invoke(ws.home, "ingest", fresh, *OPTIONS, option, value, "--json")
            assert_no_crash(result)
            assert result.exit_code in (0, 1), result.output
            if result.exit_code == 1:
                assert "Error:" in result.output and ("control characters" in result.output
                                                      or "allowed" in result.output), result.output
            score("names")
    for args in (["archive", "show", "../../etc/passwd"], ["archive", "show", "TFA-000001/../.."],
                 ["archive", "text", "1\x00"], ["archive", "edit", "..", "--title", "x"],
                 ["archive", "export", tmp_path / "bag"], ["draft", "show", "../../etc"],
                 ["draft", "diff", "TF25-AGR-001/../../x"], ["ingest", "x.pdf", "--ref", "../../x", *OPTIONS],
                 ["draft", "agreement", 25, drafting.EXAMPLE_DATA, "--ref", "TF25-AGR-001/../../../x"],
                 ["sessions", "show", "../1"], ["search", "x", "--party", "../.."]):
        result = invoke(ws.home, *args)
        assert_no_crash(result, args)
        score("names")
    with Archive(ws) as store:
        assert store.verify().findings == []
        records, problems = store.records()
        assert problems == []
        for record in records:
            for value in (record.title, record.place or "", *record.parties, *record.sectors):
                assert_safe_value(value)
            assert record.filename.encode("utf-8")   # valid UTF-8, whatever the name's bytes were
    after = snapshot_outside(tmp_path, ws.home)
    assert after - before == {str(tmp_path / "bag")} | {str(p) for p in (tmp_path / "bag").rglob("*")}, \
        "something was written outside the workspace"
    score("names", len(NAMES) + 1)


def test_nfc_and_nfd_find_each_other(tmp_path, score):
    init_workspace(tmp_path / "ws", with_sample=True)
    ws = Workspace.at(tmp_path / "ws")
    nfd = "Citta\u0300 di Cantu\u0300 e Ёлка"
    pdf = small_pdf(tmp_path, 1)
    assert invoke(ws.home, "ingest", pdf, *OPTIONS, "--title", nfd, "--party", nfd).exit_code == 0
    record = Archive(ws).record("1")
    assert record.title == unicodedata.normalize("NFC", nfd) and record.parties == [record.title]
    for query in ("città", "citta\u0300", "Cantù", "Ёлка", "Е\u0308лка"):
        assert search.search(ws, search.SearchRequest(query=query))["total"] == 1, query
        score("names")


# --- templates ----------------------------------------------------------------------------------------------------
FIELD_CODES = ["{ DATE \\@ \"dd/MM/yyyy\" }", "{ MERGEFIELD nome }", "<w:fldSimple w:instr=\"DATE\"/>",
               "<w:instrText>HYPERLINK \"http://x\"</w:instrText>", "]]><![CDATA[", "{{ parties[0] }}",
               "{%p if x %}", "{{ '{{' }}", "{#", "&amp;", "\u00a0«»", "<?xml version='1.0'?>"]
TEMPLATE_TEXT = st.one_of(
    st.sampled_from(FIELD_CODES),
    st.text(st.sampled_from(list("{}%#<>&\"'=/\\[]!?:;@ ab«»ЁЙ\u00a0")), min_size=1, max_size=30),
).map(lambda text: " ".join(text.split()) or "x").filter(lambda text: text.strip())


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def field_elements(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    return xml.count("<w:fldSimple") + xml.count("<w:instrText") + xml.count("<w:fldChar")


@pytest.mark.slow
def test_template_data_comes_out_literally(tmp_path_factory, score):
    import yaml

    root = tmp_path_factory.mktemp("templates")
    init_workspace(root / "ws", with_sample=True)
    ws = Workspace.at(root / "ws")
    example = yaml.safe_load(drafting.EXAMPLE_DATA.read_text(encoding="utf-8"))
    plain = drafting.render_agreement(ws, 25, drafting.EXAMPLE_DATA)
    fields_in_template = field_elements(ws.home / plain["file"])

    @fuzz(12)
    @given(name=TEMPLATE_TEXT, subject=TEMPLATE_TEXT, commitment=TEMPLATE_TEXT)
    def trial(name, subject, commitment):
        data = json.loads(json.dumps(example, default=str))
        data["parties"][0]["name"] = {"it": name, "ru": name}
        data["subject"] = {"it": subject, "ru": f"предмет {subject}"}
        data["commitments"][0] = {"it": commitment, "ru": commitment}
        source = root / "data.yaml"
        source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        try:
            entry = drafting.render_agreement(ws, 25, source)
        except ValidationError as err:   # a value the data checks refuse, named
            assert "control characters" in str(err) or "empty" in str(err), str(err)
            return
        path = ws.home / entry["file"]
        text = docx_text(path)
        for value in (name, subject, commitment):
            assert value in text, value
        assert field_elements(path) == fields_in_template   # no field was created from the data
        score("templates")

    trial()
    # a session whose texts carry field codes and Jinja, in the Protocol
    session_file = ws.sessions / "session-025.yaml"
    session = yaml.safe_load(session_file.read_text(encoding="utf-8"))
    session["venue"] = {"it": FIELD_CODES[0] + " " + FIELD_CODES[2], "ru": FIELD_CODES[5] + " " + FIELD_CODES[6]}
    session["projects"] = [{"it": code, "ru": code} for code in FIELD_CODES]
    session_file.write_text(yaml.safe_dump(session, allow_unicode=True), encoding="utf-8")
    entry = drafting.render_protocol(ws, 25)
    text = docx_text(ws.home / entry["file"])
    for code in FIELD_CODES:
        assert " ".join(code.split()) in text, code
    score("templates", len(FIELD_CODES))


# --- queries ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    root = tmp_path_factory.mktemp("queries")
    init_workspace(root / "ws", with_sample=True)
    ws = Workspace.at(root / "ws")
    sources = [small_pdf(root, n) for n in range(3)]
    assert invoke(ws.home, "ingest", *sources, *OPTIONS, "--party", "OOO Kama", "--sector", "Meccanica").exit_code == 0
    return ws


QUERY_TOKENS = st.sampled_from(['"', "'", "(", ")", "[", "]", "{", "}", "AND", "OR", "NOT", "ANDNOT", "TO", "*", "?",
                                "~", "^", ":", "type:", "session:", "year:", "party:", "sector:", "ref:", "nofield:",
                                "title:", "session:[", "lettera", "Kazan", "соглашение", "-", "+", "\\", "/", ">", "<",
                                "=", "2012", "1e9", "\x00", "\u202e", "citta\u0300", " "])
QUERIES = st.one_of(st.text(max_size=60), st.lists(QUERY_TOKENS, max_size=25).map("".join),
                    st.lists(QUERY_TOKENS, max_size=25).map(" ".join))


@fuzz(400)
@given(query=QUERIES, facets=st.booleans(), sort=st.sampled_from(["relevance", "date"]))
def test_random_queries_give_results_or_a_clear_error(indexed, query, facets, sort, score):
    try:
        result = search.search(indexed, search.SearchRequest(query=query, facets=facets, sort=sort, limit=3))
    except ValidationError as err:
        assert err.message and "Traceback" not in err.message
    else:
        assert 0 <= result["total"] <= 3
    score("queries")


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries(indexed, query, score):
    """Results or a clear error; the seconds each takes are measured by bench/bench_hostile.py."""
    result = invoke(indexed.home, "search", query)
    assert_no_crash(result)
    assert result.exit_code in (0, 1), result.output
    if result.exit_code:
        assert result.output.startswith("Error: ")
    score("queries")


@fuzz(60)
@given(party=st.one_of(st.none(), st.text(max_size=30)), sector=st.one_of(st.none(), st.text(max_size=30)),
       date_from=st.one_of(st.none(), st.text(max_size=20), st.dates().map(str)),
       sessions=st.one_of(st.none(), st.tuples(st.integers(-5, 50), st.integers(-5, 50))))
def test_random_filters_give_results_or_a_clear_error(indexed, party, sector, date_from, sessions, score):
    try:
        search.search(indexed, search.SearchRequest(query="", party=party, sector=sector, date_from=date_from,
                                                    sessions=sessions))
    except ValidationError as err:
        assert err.message
    score("queries")


# --- manifests ----------------------------------------------------------------------------------------------------
MANIFEST_CASES = {
    "unknown column": ("file,session,colour\na.pdf,25,red\n", "unknown column(s) 'colour'"),
    "no file column": ("session,type\n25,letter\n", "no 'file' column"),
    "column twice": ("file,party,parties\na.pdf,x,y\n", "appear more than once"),
    "Latin-1": ("file,title\na.pdf,caffè\n".encode("latin-1"), "is not UTF-8 text"),
    "UTF-16": ("file,title\na.pdf,x\n".encode("utf-16"), "is not UTF-8 text"),
    "binary": (bytes(range(256)) * 4, "is not UTF-8 text"),
    "cell over the csv limit": ("file,title\na.pdf," + "x" * 200_000 + "\n", "cannot be read as CSV"),
    "empty file": ("", "no 'file' column"),
}


@pytest.mark.parametrize("case", MANIFEST_CASES, ids=list(MANIFEST_CASES))
def test_bad_manifests_stop_before_anything_is_ingested(tmp_path, case, score):
    init_workspace(tmp_path / "ws", with_sample=True)
    ws = Workspace.at(tmp_path / "ws")
    small_pdf(tmp_path, 1).rename(tmp_path / "a.pdf")
    data, message = MANIFEST_CASES[case]
    manifest = tmp_path / "m.csv"
    manifest.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    result = invoke(ws.home, "ingest", "--manifest", manifest)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.output.startswith("Error: manifest ") and message in result.output, result.output
    assert Archive(ws).document_folders() == []
    score("manifests")


def test_bad_manifest_rows_reject_only_their_file(tmp_path, score):
    init_workspace(tmp_path / "ws", with_sample=True)
    ws = Workspace.at(tmp_path / "ws")
    for n in range(1, 5):
        small_pdf(tmp_path, n)
    rows = [
        "file,session,type,signed_on,title,party",
        "lettera-001.pdf,25,letter,27 novembre 2019,Prima,A;B",
        "lettera-001.pdf,25,letter,27 novembre 2019,Prima di nuovo,A",     # a duplicate row
        "lettera-002.pdf,25,letter,31 febbraio 2019,Data impossibile,A",   # a date that does not parse
        "lettera-003.pdf,25,letter,domani,Data illeggibile,A",
        "lettera-004.pdf,25,letter,2019-11-27,Troppi valori,A,extra,extra",
        "lettera-004.pdf,zero,letter,,Sessione sbagliata,A",
        ",25,letter,,Senza file,A",
        "assente.pdf,25,letter,,File assente,A",
        "lettera-004.pdf,25,letter,,Titolo\x07con campanello,A",
        "lettera-004.pdf,25,letter,2019-11-27,Quarta,A",
    ]
    manifest = tmp_path / "m.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = invoke(ws.home, "ingest", "--manifest", manifest, "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["summary"] == {"archived": 2, "duplicate": 1, "rejected": 7}, report
    reasons = " | ".join(entry["reason"] or "" for entry in report["files"])
    for expected in ("line 4: signed-on", "line 5: signed-on", "line 6: 8 value(s) for 6 column(s)",
                     "line 7: session", "line 8: the file column is empty", "no such file",
                     "line 10: title: contains control characters"):
        assert expected in reasons, (expected, reasons)
    titles = sorted(record.title for record in Archive(ws).records()[0])
    assert titles == ["Prima", "Quarta"]
    score("manifests", len(rows) - 1)


@fuzz(150)
@given(cells=st.lists(st.lists(st.one_of(st.text(max_size=12), st.sampled_from(
    ["file", "session", "type", "signed_on", "party", "25", "letter", "a.pdf", "31 febbraio", '"', ";", ""])),
    min_size=1, max_size=6), min_size=1, max_size=6))
def test_random_manifests_are_read_or_refused_clearly(tmp_path_factory, cells, score):
    folder = tmp_path_factory.mktemp("manifest", numbered=True)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(cells)
    manifest = folder / "m.csv"
    manifest.write_bytes(buffer.getvalue().encode("utf-8", "replace"))
    try:
        items, early = plan_batch([], Given(), manifest)
    except (ValidationError, NotFoundError) as err:
        assert err.message.startswith("manifest ")
    else:
        for path, reason in early:
            assert reason.startswith("manifest m.csv line ")
    shutil.rmtree(folder, ignore_errors=True)
    score("manifests")
