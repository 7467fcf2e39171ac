"""Drafting: templates rendered with the sample session and with hostile values, versions, register, diff."""
import copy
import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import jinja2
import pypdf
import pytest
import yaml

from pipeline import drafting
from pipeline.drafting import contexts, register
from pipeline.drafting.agreements import parse_agreement
from pipeline.drafting.docx import full_text, leftover_tags, text_by_language
from pipeline.errors import ValidationError
from pipeline.workspace import Workspace
from tests.conftest import REPO, require_tool

EXAMPLE = REPO / "templates" / "agreement-example.yaml"
HOSTILE_NAME = "Rossi & Figli <S.p.A.>"
HOSTILE_RU = "«Ромашка» ёЁ Йй"
BRACES = "{{ x }} {% if %} {# c #}"
LONG_NAME = "Consorzio " + "Lungo " * 49  # 300 characters


def example_data():
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def write_data(folder: Path, data: dict, name="data.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def hostile_data():
    data = example_data()
    data["parties"][0]["name"] = {"it": HOSTILE_NAME, "ru": HOSTILE_RU}
    data["parties"][1]["name"] = {"it": BRACES, "ru": "ООО «Ёлка & Co» <тест>"}
    third = copy.deepcopy(data["parties"][0])
    third["name"] = {"it": LONG_NAME.strip(), "ru": "Й" * 300}
    data["parties"].append(third)
    data["premises"].append({"it": "prima riga\nseconda riga", "ru": "первая строка\nвторая строка"})
    data["commitments"][0] = {"it": "a < b > c & d", "ru": "ё & Й < >"}
    return data


def xml_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml")}


def assert_sound_docx(path: Path, allowed=()):
    assert zipfile.is_zipfile(path)
    document = docx.Document(str(path))          # python-docx loads it
    assert document.paragraphs is not None
    data = path.read_bytes()
    assert leftover_tags(data, allowed) == []
    text = full_text(data)
    assert re.search(r"[А-Яа-яЁё]", text) and re.search(r"[A-Za-z]", text)   # both languages
    return text


def flatten_values(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from flatten_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from flatten_values(item)
    elif isinstance(value, str):
        yield value


# --- templates and their documented variables ----------------------------------------------------------------
@pytest.mark.parametrize("name", drafting.TEMPLATE_NAMES)
def test_each_template_uses_exactly_its_documented_variables(name):
    used = drafting.template_variables(REPO / "templates" / f"{name}.docx")
    assert used == set(drafting.TEMPLATE_VARIABLES[name])


@pytest.mark.parametrize("name", drafting.TEMPLATE_NAMES)
def test_templates_readme_documents_every_variable(name):
    readme = (REPO / "templates" / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"### {name}")[1].split("###")[0]
    missing = [v for v in drafting.TEMPLATE_VARIABLES[name] if f"`{v}`" not in section]
    assert missing == []


def _paths(value, prefix=()):
    """Every path to a value inside dicts (lists: their first item), for dropping one at a time."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield prefix + (key,)
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list) and value:
        yield from _paths(value[0], prefix + (0,))


def _recorded_render(name, context) -> list:
    """One real docxtpl render of template ``name`` with the project's Jinja rules, recording every source
    docxtpl compiles on the way (body, headers, footers, core properties, footnotes): the compiled templates."""
    from docxtpl import DocxTemplate

    from pipeline.drafting.docx import jinja_environment

    environment = jinja_environment()
    compiled = []
    compile_source = environment.from_string

    def recording(source, *args, **kwargs):
        compiled.append(compile_source(source, *args, **kwargs))
        return compiled[-1]

    environment.from_string = recording
    DocxTemplate(str(REPO / "templates" / f"{name}.docx")).render(context, environment)
    return compiled


def _renders(compiled, context) -> bool:
    try:
        for template in compiled:
            template.render(context)
    except (jinja2.UndefinedError, TypeError):
        return False
    return True


@pytest.mark.parametrize("name", drafting.TEMPLATE_NAMES)
def test_dropping_any_value_of_the_context_fails_the_render(name):
    """Both ways: every documented value is used by the template (StrictUndefined catches its absence).
    Each part's XML is compiled once, in a real render, and each context with a value dropped is rendered
    through every compiled part: what docxtpl would render, without unzipping, patching and compiling the
    template again for each of the hundreds of values (16 s -> well under one)."""
    context = drafting.sample_context(name)
    compiled = _recorded_render(name, context)
    assert len(compiled) > 2 and _renders(compiled, context)     # body, footer and the core properties at least
    unused = []
    for path in _paths(context):
        broken = copy.deepcopy(context)
        holder = broken
        for key in path[:-1]:
            holder = holder[key]
        del holder[path[-1]]
        if _renders(compiled, broken):
            unused.append(path)
    # a list emptied of its only sampled item renders nothing: those paths are the list items themselves;
    # the spare values are kept for templates edited in Word before their elided and articled forms existed
    spare = [p for p in unused if ".".join(str(k) for k in p if not isinstance(k, int)) in contexts.SPARE_VALUES]
    assert [p for p in unused if not isinstance(p[-1], int) and p not in spare] == []
    # and the whole docxtpl render agrees: a dropped value fails it too
    first = next(iter(context))
    with pytest.raises((jinja2.UndefinedError, TypeError)):
        _recorded_render(name, {key: value for key, value in context.items() if key != first})


@pytest.mark.parametrize("name", drafting.TEMPLATE_NAMES)
def test_shipped_templates_use_explicit_cyrillic_fonts_and_languages(name):
    parts = xml_parts(REPO / "templates" / f"{name}.docx")
    for part in ("word/document.xml", "word/styles.xml"):
        assert "Theme=" not in parts[part].replace("w:themeColor", ""), part
    assert 'w:ascii="Times New Roman"' in parts["word/styles.xml"]
    assert 'w:val="it-IT"' in parts["word/document.xml"] and 'w:val="ru-RU"' in parts["word/document.xml"]
    assert "python-docx" not in parts["docProps/core.xml"]


# --- rendering --------------------------------------------------------------------------------------------
def test_protocol_with_the_sample_session(workspace):
    ws = Workspace.at(workspace)
    entry = drafting.render_protocol(ws, 25)
    path = workspace / entry["file"]
    text = assert_sound_docx(path)
    for value in ("venticinquesima", "двадцать пятого", "Bergamo", "Бергамо", "Polo Fieristico di via Lunga",
                  "Meccanica strumentale", "Машиностроение и оборудование", "nutriceutica", "«умные города»",
                  "26–28 novembre 2014", "dal 26 al 28 novembre 2014", "с 26 по 28 ноября 2014\u00a0г.",
                  "28 ноября 2014\u00a0г.", "nel primo semestre 2015; la città sarà definita successivamente.",
                  "в первом полугодии 2015\u00a0г.; город будет определен дополнительно.",
                  "Fatto a Bergamo il 28 novembre 2014 in due originali, ciascuno nelle lingue italiana e russa",
                  "Совершено в г.\u00a0Бергамо 28 ноября 2014\u00a0г. в двух экземплярах",
                  "Co-presidente italiano (da definire)", "Российский сопредседатель (уточняется)"):
        assert value.replace("\u00a0", " ") in text, value      # read as text: no-break spaces are spaces
    assert "TF25-PROT · v1 · BOZZA / ПРОЕКТ" in text
    document = docx.Document(str(path))
    assert "TF25-PROT · v1 · BOZZA / ПРОЕКТ" in document.sections[0].footer.paragraphs[0].text
    props = document.core_properties
    assert props.identifier == "TF25-PROT" and props.version == "1"
    assert "venticinquesima" in props.title and "Bergamo" in props.subject
    assert "TF25-PROT" in props.keywords and props.author.startswith("Task Force")
    assert "python-docx" not in " ".join([props.author, props.comments, props.title, props.last_modified_by])


@pytest.mark.parametrize("kind", ["agreement", "memorandum"])
def test_agreement_with_the_example_data(workspace, kind):
    ws = Workspace.at(workspace)
    entry = drafting.render_agreement(ws, 25, EXAMPLE, kind=kind)
    code = "AGR" if kind == "agreement" else "MOU"
    assert entry["reference"] == f"TF25-{code}-001" and entry["version"] == 1
    text = assert_sound_docx(workspace / entry["file"])
    data = example_data()
    if kind == "memorandum":
        data.pop("governing_law"), data.pop("disputes")
        assert "non crea obblighi giuridicamente vincolanti" in text
    else:
        assert "Camera Arbitrale di Milano" in text
    for party in data["parties"]:   # the basis is printed in the genitive ("на основании доверенности …")
        party["representative"].pop("basis", None)
    for value in flatten_values({k: data[k] for k in ("subject", "parties", "premises", "commitments")}):
        if value not in ("IT", "RU", "f", "m", "statute", "power_of_attorney"):   # keywords, not text
            assert value in text, value
    # the duration in figures and words; in Russian in the genitive after «в течение» (was "3 года")
    assert "3 (tre) anni" in text and "в течение 3 (трех) лет" in text
    assert "в лице генерального директора Джулии Бьянки, действующей на основании Устава" in text
    assert "между компанией «Меканика Оробика С.п.А.» и ООО «Волга Станки»" in text
    assert "За компанию «Меканика Оробика С.п.А.»" in text and "За ООО «Волга Станки»" in text
    assert "rappresentata da Giulia Bianchi, in qualità di amministratore delegato, munita" in text
    assert "Совершено в г. Бергамо 28 ноября 2014 г. в двух экземплярах" in text
    assert f"TF25-{code}-001 · v1 · BOZZA / ПРОЕКТ" in text


@pytest.mark.parametrize("kind", ["agreement", "memorandum"])
def test_hostile_values_come_out_literally(workspace, tmp_path, kind):
    ws = Workspace.at(workspace)
    data = hostile_data()
    entry = drafting.render_agreement(ws, 25, write_data(tmp_path, data), kind=kind)
    path = workspace / entry["file"]
    text = assert_sound_docx(path, allowed=(BRACES,))
    assert "Стороны, предоставившей информацию" in text or kind == "memorandum"   # three parties
    for value in (HOSTILE_NAME, HOSTILE_RU, BRACES, "ООО «Ёлка & Co» <тест>", LONG_NAME.strip(), "Й" * 300,
                  "prima riga\nseconda riga", "первая строка\nвторая строка", "a < b > c & d", "ё & Й < >"):
        assert value in text, value
    # the document is complete: its last article and the signatures come after the hostile values
    assert "Лингвистическая" not in text and ("Articolo 7 – Lingue" in text or "Articolo 5 – Lingue" in text)
    assert text.count("______________________________") == 3     # three parties: one line each, across both columns


def test_protocol_with_hostile_session_values_and_sixty_agreements(workspace, tmp_path):
    ws = Workspace.at(workspace)
    session = yaml.safe_load((workspace / "sessions" / "session-025.yaml").read_text(encoding="utf-8"))
    session["venue"] = {"it": HOSTILE_NAME, "ru": HOSTILE_RU}
    session["tables"][0]["outcomes"] = [{"it": BRACES, "ru": "итог\nвторая строка"}]
    session["projects"] = [{"it": "Progetto «Alfa» & <Beta>", "ru": "Проект «Альфа» & <Бета>"}]
    (workspace / "sessions" / "session-025.yaml").write_text(yaml.safe_dump(session, allow_unicode=True),
                                                               encoding="utf-8")
    drafting.render_agreement(ws, 25, write_data(tmp_path, hostile_data()))
    for n in range(2, 61):   # the other 59 straight into the register: rendering each adds nothing here
        register.append_entry(ws, register.DraftEntry.from_dict({"reference": f"TF25-AGR-{n:03d}", "session": 25, "kind": "agreement",
                                   "title": f"Accordo {n}", "parties": ["A", "B"], "sectors": [],
                                   "subject": f"oggetto numero {n}", "version": 1, "state": "final",
                                   "sha256": "0" * 64, "file": "x", "created_at": "2026-01-01T00:00:00+00:00"}))
    entry = drafting.render_protocol(ws, 25)
    assert len(entry["annex"]) == 60
    # reference codes in the body never break at a hyphen (U+2011)
    text = assert_sound_docx(workspace / entry["file"], allowed=(BRACES,)).replace("\u2011", "-")
    for value in (HOSTILE_NAME, HOSTILE_RU, BRACES, "итог\nвторая строка", "Progetto «Alfa» & <Beta>",
                  "Проект «Альфа» & <Бета>", "TF25-AGR-060", "oggetto numero 60", "TF25-AGR-001 tra " + HOSTILE_NAME):
        assert value in text, value
    assert "Совершено в г. Бергамо" in text and "60. Соглашение о сотрудничестве" in text


def test_order_switch_puts_russian_first(workspace):
    ws = Workspace.at(workspace)
    for order in ("it-ru", "ru-it"):
        entry = drafting.render_protocol(ws, 25, order=order)
        document = docx.Document(str(workspace / entry["file"]))
        first_cell = document.tables[0].rows[0].cells[0].text
        signature_cell = document.tables[1].rows[1].cells[0].text
        if order == "it-ru":
            assert first_cell.startswith("PROTOCOLLO") and signature_cell.startswith("Per la Parte italiana")
        else:
            assert first_cell.startswith("ПРОТОКОЛ") and signature_cell.startswith("За российскую сторону")
            assert "ПРОЕКТ / BOZZA" in document.sections[0].footer.paragraphs[0].text


def test_final_has_no_draft_mark(workspace):
    entry = drafting.render_agreement(Workspace.at(workspace), 25, EXAMPLE, final=True)
    footer = docx.Document(str(workspace / entry["file"])).sections[0].footer.paragraphs[0].text
    assert footer.startswith("TF25-AGR-001 · v1") and "BOZZA" not in footer and "ПРОЕКТ" not in footer
    assert entry["state"] == "final"


# --- validation -------------------------------------------------------------------------------------------
REQUIRED = ["subject", "parties", "commitments", "duration_months", "governing_law", "disputes"]


@pytest.mark.parametrize("key", REQUIRED)
def test_dropping_a_required_key_fails_naming_it(key):
    data = example_data()
    del data[key]
    result, findings = parse_agreement(data, "data.yaml")
    assert result is None
    assert any(f.message.startswith(f"{key}:") for f in findings), findings


@pytest.mark.parametrize("path", [("parties", 0, "seat"), ("parties", 1, "representative"),
                                  ("parties", 0, "representative", "role"), ("subject", "ru"),
                                  ("commitments", 1, "it"), ("parties", 1, "legal_form", "it")])
def test_dropping_a_nested_key_fails_naming_its_path(path):
    data = example_data()
    holder = data
    for key in path[:-1]:
        holder = holder[key]
    del holder[path[-1]]
    _, findings = parse_agreement(data, "data.yaml")
    expected = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path).lstrip(".")
    assert any(f.message.startswith(expected) for f in findings), (expected, findings)


def test_every_problem_is_reported_at_once():
    data = example_data()
    del data["subject"], data["disputes"]
    data["parties"][0]["country"] = "FR"
    data["duration_months"] = "three"
    _, findings = parse_agreement(data, "data.yaml")
    messages = " | ".join(f.message for f in findings)
    for expected in ("subject: missing", "disputes: missing", "parties[0].country: 'FR' is not one of IT, RU",
                     "duration_months: must be a whole number"):
        assert expected in messages


def test_control_characters_are_an_error_naming_the_field(workspace, tmp_path):
    data = example_data()
    data["parties"][1]["seat"]["ru"] = "Самара\x07"
    with pytest.raises(ValidationError) as err:
        drafting.render_agreement(Workspace.at(workspace), 25, write_data(tmp_path, data))
    assert "parties[1].seat.ru: contains control characters '\\x07'" in str(err.value)
    assert not (workspace / "drafts" / "TF25-AGR-001").exists()


def test_a_protocol_without_co_chairs_is_refused(workspace):
    session = yaml.safe_load((workspace / "sessions" / "session-025.yaml").read_text(encoding="utf-8"))
    session["co_chairs"] = session["co_chairs"][:1]
    (workspace / "sessions" / "session-025.yaml").write_text(yaml.safe_dump(session, allow_unicode=True), "utf-8")
    with pytest.raises(ValidationError) as err:
        drafting.render_protocol(Workspace.at(workspace), 25)
    assert "co_chairs: no Russia co-chair (RU)" in str(err.value)


# --- versions, register, diff -----------------------------------------------------------------------------
def test_versions_never_overwrite(workspace, tmp_path):
    ws = Workspace.at(workspace)
    source = write_data(tmp_path, example_data())
    first = drafting.render_agreement(ws, 25, source)
    first_bytes = (workspace / first["file"]).read_bytes()
    stray = workspace / "drafts" / "TF25-AGR-001" / "TF25-AGR-001-v2.docx"
    stray.write_bytes(b"a file someone put here by hand")
    second = drafting.render_agreement(ws, 25, source)
    assert (second["reference"], second["version"]) == ("TF25-AGR-001", 3)
    assert stray.read_bytes() == b"a file someone put here by hand"
    assert (workspace / first["file"]).read_bytes() == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first["sha256"]
    other = drafting.render_agreement(ws, 25, write_data(tmp_path, example_data(), "other.yaml"))
    assert other["reference"] == "TF25-AGR-002"
    again = drafting.render_agreement(ws, 25, EXAMPLE, reference="TF25-AGR-001")
    assert (again["reference"], again["version"]) == ("TF25-AGR-001", 4)
    entries = register.entries(ws)
    assert [(e.reference, e.version) for e in entries] == [
        ("TF25-AGR-001", 1), ("TF25-AGR-001", 3), ("TF25-AGR-002", 1), ("TF25-AGR-001", 4)]
    assert set(register.ENTRY_FIELDS) <= set(entries[0].as_dict())
    assert entries[0].parties[0] == "Meccanica Orobica S.p.A. / «Меканика Оробика С.п.А.»"
    assert entries[0].sectors == ["Meccanica strumentale"]


def test_a_reference_of_another_kind_or_session_is_refused(workspace):
    with pytest.raises(ValidationError, match="does not belong to a agreement of session 25"):
        drafting.render_agreement(Workspace.at(workspace), 25, EXAMPLE, reference="TF24-AGR-001")


def test_diff_shows_a_changed_article_in_both_languages(workspace, tmp_path):
    ws = Workspace.at(workspace)
    data = example_data()
    source = write_data(tmp_path, data)
    drafting.render_agreement(ws, 25, source)
    data["duration_months"] = 60
    data["commitments"].append({"it": "costituire un comitato misto", "ru": "создать совместный комитет"})
    write_data(tmp_path, data)
    drafting.render_agreement(ws, 25, source)
    result = drafting.diff_drafts(ws, "TF25-AGR-001")
    assert (result["old"], result["new"], result["identical"]) == (1, 2, False)
    italian = result["changes"]["it"]
    assert any("3 (tre) anni" in " ".join(c["old"]) and "5 (cinque) anni" in " ".join(c["new"]) for c in italian)
    # the list's last item ends with "."; the one before it now with ";"
    assert any(c["new"][-1:] == ["– costituire un comitato misto."] for c in italian)
    russian = result["changes"]["ru"]
    assert any("3 (трех) лет" in " ".join(c["old"]) and "5 (пяти) лет" in " ".join(c["new"]) for c in russian)
    assert not any("Articolo" in line for c in italian for line in c["old"] + c["new"])   # only what changed


def test_text_by_language_sorts_paragraphs_by_their_language_tag(workspace):
    entry = drafting.render_agreement(Workspace.at(workspace), 25, EXAMPLE)
    texts = text_by_language(workspace / entry["file"])
    assert "ACCORDO DI COOPERAZIONE" in texts["it"] and "СОГЛАШЕНИЕ О СОТРУДНИЧЕСТВЕ" in texts["ru"]
    assert not any(re.search("[А-Яа-я]", line) and "«" not in line for line in texts["it"][:3])


def test_parallel_renders_never_share_a_reference_or_version(workspace, tmp_path):
    sources = [write_data(tmp_path, example_data(), f"data-{n}.yaml") for n in range(4)]
    script = ("import sys; from pipeline.workspace import Workspace; from pipeline.drafting import render_agreement\n"
              "if __name__ == '__main__':\n"
              "    for path in sys.argv[2:]:\n"
              "        render_agreement(Workspace.at(sys.argv[1]), 25, path)\n"
              "        render_agreement(Workspace.at(sys.argv[1]), 25, path)\n")
    processes = [subprocess.Popen([sys.executable, "-c", script, str(workspace), *map(str, pair)], cwd=REPO)
                 for pair in (sources[:2], sources[2:])]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    entries = register.entries(Workspace.at(workspace))
    keys = [(e.reference, e.version) for e in entries]
    assert len(keys) == 8 and len(set(keys)) == 8
    assert sorted({e.reference for e in entries}) == [f"TF25-AGR-{n:03d}" for n in range(1, 5)]
    assert all(v in (1, 2) for _, v in keys)


# --- PDF ----------------------------------------------------------------------------------------------------
def test_pdf_without_libreoffice_is_a_clear_error(workspace, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(Exception) as err:
        drafting.render_protocol(Workspace.at(workspace), 25, pdf=True)
    assert "install the Debian package libreoffice-writer-nogui" in str(err.value)
    assert register.entries(Workspace.at(workspace)) == []


def test_pdf_with_libreoffice(workspace):
    require_tool("soffice")
    require_tool("pdftotext")
    entry = drafting.render_agreement(Workspace.at(workspace), 25, EXAMPLE, pdf=True, final=True)
    pdf = workspace / entry["pdf"]
    assert pdf.read_bytes().startswith(b"%PDF-") and entry["pdf_sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "TF25-AGR-001" in text and "ООО «Волга Станки»" in text and "Meccanica Orobica" in text
    # the keywords are whole values, not split at every space by LibreOffice ("sessione, 25, ...", issue 21)
    keywords = str(pypdf.PdfReader(str(pdf)).metadata["/Keywords"])
    assert [" ".join(keyword.split()) for keyword in keywords.split(", ")] == [
        "TF25-AGR-001", "sessione 25", "Meccanica strumentale"]
    from pipeline.pdf.text import _metadata

    assert _metadata(pypdf.PdfReader(str(pdf)))["keywords"] == "TF25-AGR-001, sessione 25, Meccanica strumentale"


def test_the_rendering_environment_compiles_a_source_once_and_keeps_the_safety_rules():
    from pipeline.drafting.docx import rendering_environment

    env = rendering_environment()
    source = "<w:t>{{ name }}</w:t>"
    first = env.from_string(source)
    assert env.from_string(source) is first and rendering_environment() is env
    assert first.render(name="A & B") == "<w:t>A &amp; B</w:t>"       # autoescape kept
    assert first.render(name="C") == "<w:t>C</w:t>"                    # no value kept from the render before
    with pytest.raises(jinja2.UndefinedError):                         # StrictUndefined kept
        first.render()
    for n in range(env.compiled_limit + 5):                            # bounded
        env.from_string(f"{{{{ x }}}} {n}")
    assert len(env._compiled) <= env.compiled_limit


def test_two_renders_of_the_same_template_give_each_its_own_values(workspace):
    ws = Workspace.at(workspace)
    first = drafting.render_agreement(ws, 25, EXAMPLE)
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["title"] = {"it": "Seconda intesa di prova", "ru": "Второе тестовое соглашение"}
    other = workspace / "other.yaml"
    other.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    second = drafting.render_agreement(ws, 25, other)
    assert "Seconda intesa di prova" in full_text(workspace / second["file"])
    assert "Seconda intesa di prova" not in full_text(workspace / first["file"])
