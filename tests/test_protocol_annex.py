"""A public Protocol never names a restricted agreement (issue 13, item 4): the annex leaves restricted
agreements out unless 'draft protocol --include-restricted', which makes that Protocol restricted in the
drafts register, and so in the archive when its PDF is ingested."""
import json

import yaml

from conftest import SAMPLE_SESSION, assert_no_crash
from pipeline.drafting.docx import full_text

EXAMPLE = SAMPLE_SESSION.parents[2] / "drafting" / "templates" / "agreement-example.yaml"


def agreement(tmp_path, name, restricted, party_it, party_ru):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["parties"][0]["name"] = {"it": party_it, "ru": party_ru}
    data["title"] = {"it": f"Accordo {name}", "ru": f"Соглашение {name}"}
    if restricted:
        data["confidentiality"] = "restricted"
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def newest(workspace, reference):
    lines = (workspace / "drafts" / "register.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if json.loads(line)["reference"] == reference][-1]


def test_the_annex_leaves_restricted_agreements_out_unless_asked(run, workspace, tmp_path):
    assert run("draft", "agreement", "25", agreement(tmp_path, "aperto", False, "Aperta S.p.A.", "«Аперта»")).exit_code == 0
    assert run("draft", "agreement", "25", agreement(tmp_path, "segreto", True, "Segreta S.r.l.", "«Сегрета»")).exit_code == 0

    public = run("draft", "protocol", "25")
    assert_no_crash(public)
    assert public.exit_code == 0, public.output
    assert "1 restricted agreement(s) left out of the annex (TF25-AGR-002)" in public.stderr
    entry = newest(workspace, "TF25-PROT")
    assert entry["annex"] == ["TF25-AGR-001"] and entry["annex_left_out"] == ["TF25-AGR-002"]
    assert entry.get("confidentiality") in (None, "public")
    text = full_text((workspace / entry["file"]).read_bytes())
    assert "Aperta S.p.A." in text and "Segreta" not in text and "Сегрета" not in text
    assert "TF25-AGR-002" not in text.replace("\u2011", "-")

    everything = run("draft", "protocol", "25", "--include-restricted", "--json")
    assert everything.exit_code == 0, everything.output
    entry = newest(workspace, "TF25-PROT")
    assert entry["confidentiality"] == "restricted" and entry["annex_left_out"] == []
    assert entry["annex"] == ["TF25-AGR-001", "TF25-AGR-002"]
    assert "Segreta S.r.l." in full_text((workspace / entry["file"]).read_bytes())
