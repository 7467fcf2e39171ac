from pipeline.drafting import register
from pipeline.workspace import Workspace


def entry(reference, version, **extra):
    base = {key: None for key in register.ENTRY_FIELDS}
    base.update(reference=reference, version=version, session=25, kind="agreement", **extra)
    return register.DraftEntry.from_dict(base)


def test_append_and_latest(tmp_path):
    ws = Workspace(tmp_path)
    assert register.latest(ws, "TF25-AGR-001") is None
    register.append_entry(ws, entry("TF25-AGR-001", 1, title="v1"))
    register.append_entry(ws, entry("TF25-AGR-001", 2, title="v2"))
    register.append_entry(ws, entry("TF25-PROT", 1))
    assert register.latest(ws, "TF25-AGR-001").title == "v2"
    assert len(register.entries(ws)) == 3


def test_torn_last_line_is_ignored(tmp_path):
    ws = Workspace(tmp_path)
    register.append_entry(ws, entry("TF25-PROT", 1))
    with open(register.register_path(ws), "a", encoding="utf-8") as handle:
        handle.write('{"reference": "TF25-AG')
    assert [e.reference for e in register.entries(ws)] == ["TF25-PROT"]


def test_find_references():
    text = "Rif. TF25-AGR-003 · v2 · BOZZA / ПРОЕКТ ... TF25-PROT, TF25-AGR-003, xTF9-MOU-001, TF7-MOU-012"
    assert register.find_references(text) == ["TF25-AGR-003", "TF25-PROT", "TF7-MOU-012"]


def test_the_register_is_parsed_once_while_unchanged_and_read_again_when_it_changes(tmp_path, monkeypatch):
    ws = Workspace(tmp_path)
    register.append_entry(ws, entry("TF25-PROT", 1, title="v1"))
    parsed = []
    real_parse = register.parse_file    # the register module's own name: json.loads stays the process's
    monkeypatch.setattr(register, "parse_file", lambda path: parsed.append(path) or real_parse(path))
    first = register.entries(ws)
    assert register.entries(ws) == first and len(parsed) == 1   # unchanged: not parsed again
    first.pop()                                 # each call has its own list, of frozen entries
    assert register.entries(ws)[0].title == "v1"
    register.append_entry(ws, entry("TF25-PROT", 2, title="v2"))   # an append is seen at once
    assert [e.title for e in register.entries(ws)] == ["v1", "v2"]
    path = register.register_path(ws)
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")   # cut back
    assert [e.title for e in register.entries(ws)] == ["v1"]
    path.unlink()
    assert register.entries(ws) == []
