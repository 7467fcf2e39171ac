"""Metadata read from the text (issue 24 item 2): old Protocols' scans without a reference code, in both
languages; an uncertain reading is rejected naming what was found; --dry-run archives nothing."""
import json

import pytest
import yaml

from pipeline.archive.proposals import propose_metadata, session_mentions
from pipeline.demo.pdfmake import text_to_pdf
from pipeline.workspace import Workspace

OLD_PROTOCOL = [
    "PROTOCOLLO\ndella VII Sessione della Task Force italo-russa sulle piccole e medie imprese\n\n"
    "tra il Ministero dello Sviluppo Economico della Repubblica Italiana e il Ministero dello Sviluppo "
    "Economico della Federazione Russa, di seguito denominati le Parti.\n\n"
    "Le Parti hanno esaminato i risultati della cooperazione.\n\nFatto a Roma il 27 novembre 2009",
    "ПРОТОКОЛ\nседьмого заседания Российско-Итальянской рабочей группы по малым и средним предприятиям\n\n"
    "между Министерством экономического развития Российской Федерации и Министерством экономического "
    "развития Итальянской Республики, далее Стороны.\n\nСовершено в г. Риме 27 ноября 2009 г.",
]


@pytest.fixture
def registry(workspace):
    (workspace / "sessions" / "session-007.yaml").write_text(yaml.safe_dump({
        "number": 7, "start": "2009-11-26", "end": "2009-11-27", "country": "IT",
        "city": {"it": "Roma", "ru": "Рим"}}, allow_unicode=True), encoding="utf-8")
    return Workspace.at(workspace)


@pytest.mark.parametrize("text, number", [
    ("PROTOCOLLO DELLA VII SESSIONE", 7), ("Protocollo della settima sessione", 7),
    ("Протокол седьмого заседания", 7), ("по итогам седьмой сессии", 7), ("della XXV Sessione", 25),
    ("Протокол двадцать пятого заседания", 25), ("la venticinquesima riunione", 25), ("la 12ª sessione", 12),
    ("итоги 3-го заседания", 3), ("Протокол XIV заседания", 14)])
def test_session_ordinals_in_words_roman_numerals_and_figures(text, number):
    assert [found[1] for found in session_mentions(text)] == [number]


def test_no_ordinal_no_session():
    assert session_mentions("Vi sessione? La sessione plenaria; заседание рабочей группы") == []


def test_an_old_protocol_in_both_languages(registry):
    proposals = propose_metadata(registry, OLD_PROTOCOL, ["ocr", "ocr"])
    assert proposals.values["session"] == 7 and proposals.certain("session")
    assert proposals.sources["session"].startswith("read from the text: «VII Sessione» and «седьмого заседания»")
    assert "falls in session 7" in proposals.sources["session"]
    assert proposals.values["type"] == "protocol" and proposals.certain("type")
    assert proposals.values["parties"] == ["Ministero dello Sviluppo Economico della Repubblica Italiana",
                                           "Ministero dello Sviluppo Economico della Federazione Russa"]
    assert proposals.values["title"].startswith("PROTOCOLLO della VII Sessione")
    assert proposals.values["title_ru"].startswith("ПРОТОКОЛ седьмого заседания")
    assert (proposals.values["place"], str(proposals.values["signed_on"])) == ("Roma", "2009-11-27")
    assert proposals.values["languages"] == ["it", "ru"]


@pytest.mark.parametrize("heading, kind", [
    ("Accordo di cooperazione tra la Camera A e la Camera B", "agreement"),
    ("Соглашение о сотрудничестве между Палатой А и Палатой Б", "agreement"),
    ("Memorandum d’intesa tra la Regione X e la Regione Y", "memorandum"),
    ("Меморандум о взаимопонимании между Областью А и Областью Б", "memorandum"),
    ("Lettera di intenti", "letter"), ("Письмо о намерениях", "letter"),
    ("Progetto pilota per le PMI", "project"), ("Проект сотрудничества", "project")])
def test_type_from_the_heading_in_both_languages(registry, heading, kind):
    proposals = propose_metadata(registry, [heading + "\n\nTesto del documento."])
    assert proposals.values["type"] == kind


def test_the_title_is_the_first_heading_with_its_continuation(registry):
    assert propose_metadata(registry, ["Lettera\nGentile collega, le scrivo."]).values["title"] == "Lettera"
    assert propose_metadata(registry, ["PROTOCOLLO\nDELLA VII SESSIONE\nDELLA TASK FORCE\nTesto"]
                            ).values["title"] == "Protocollo della VII sessione della task force"
    assert propose_metadata(registry, ["Protocollo\ndella VII Sessione\nRoma"]).values["title"] == \
        "Protocollo della VII Sessione"


def test_parties_in_russian(registry):
    proposals = propose_metadata(registry, ["Соглашение\n\nмежду Торгово-промышленной палатой Казани и "
                                            "Конфиндустрией Бергамо, далее Стороны"])
    assert proposals.values["parties"] == ["Торгово-промышленной палатой Казани", "Конфиндустрией Бергамо"]


def test_two_sessions_in_the_heading_are_ambiguous(registry):
    proposals = propose_metadata(registry, ["Protocollo della VII sessione\nin attuazione della sesta sessione"])
    assert proposals.values["session"] == 7 and not proposals.certain("session")
    assert proposals.ambiguities["session"] == ["6 (read from the text: «sesta sessione»)"]


def test_ingest_without_session_and_type_archives_an_old_protocol(run, registry, tmp_path):
    # the scanner's title in the PDF's metadata: the text's heading is the document's title
    pdf = text_to_pdf(tmp_path / "scan.pdf", OLD_PROTOCOL, title="Scan0001", print_title=False, reproducible=True)
    result = run("ingest", pdf, "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(run("archive", "show", "TFA-000001", "--json").output)
    assert (shown["session"], shown["type"]) == (7, "protocol")
    assert shown["metadata_sources"]["session"].startswith("read from the text: «VII Sessione»")
    assert shown["metadata_sources"]["type"] == "read from the text: «PROTOCOLLO» and «ПРОТОКОЛ»"
    assert shown["title"] == "PROTOCOLLO della VII Sessione della Task Force italo-russa sulle piccole e medie imprese"
    assert shown["metadata_sources"]["title"].startswith("read from the text: the first heading")


def test_an_uncertain_reading_is_rejected_with_what_was_found(run, registry, tmp_path):
    pdf = text_to_pdf(tmp_path / "letter.pdf", ["Lettera\n\nGentile collega, a seguito della sesta sessione e "
                                                "della settima sessione le scrivo. Saluti."], reproducible=True)
    result = run("ingest", pdf)
    assert result.exit_code == 1
    assert ("session not certain from the text (found: session 6 (read from the text: «sesta sessione», "
            "confidence 0.9), or 7 (read from the text: «settima sessione»); type letter (read from the text: "
            "«Lettera», confidence 0.9)); confirm or correct it with --session 6 (or a manifest row)"
            ) in " ".join(result.stderr.split())
    assert run("archive", "list", "--json").output.strip() in ("[]", "")
    nothing = text_to_pdf(tmp_path / "note.pdf", ["Appunti senza indizi."], reproducible=True)
    assert "session and type unknown: give --session N" in run("ingest", nothing).stderr


def test_dry_run_prints_the_proposals_and_archives_nothing(run, registry, tmp_path):
    pdf = text_to_pdf(tmp_path / "scan.pdf", OLD_PROTOCOL, reproducible=True)
    result = run("ingest", "--dry-run", pdf)
    assert result.exit_code == 0, result.output
    assert f"archive   {pdf}" in result.output or "archive   scan.pdf" in result.output
    assert "  session: 7  (read from the text: «VII Sessione»" in result.output
    assert "Dry run: nothing archived; 1 would be archived" in result.output
    data = json.loads(run("ingest", "--dry-run", pdf, "--json").output)
    assert data["archived"] == 0 and data["files"][0]["proposals"]["values"]["session"] == 7
    assert not list((registry.home / "archive").glob("TFA-*"))


@pytest.mark.slow
def test_a_scanned_old_protocol_is_read_through_ocr_and_archived(run, registry, tmp_path):
    """A real scan (an image per page, no text layer): OCR reads it, and its session and type come from that."""
    from pipeline.demo.pdfmake import scan_pdf

    typed = text_to_pdf(tmp_path / "typed.pdf", OLD_PROTOCOL, reproducible=True)
    scan = scan_pdf(typed, tmp_path / "scan-2009.pdf")
    result = run("ingest", scan)
    assert result.exit_code == 0, result.output
    shown = json.loads(run("archive", "show", "TFA-000001", "--json").output)
    assert (shown["session"], shown["type"], shown["text_source"]) == (7, "protocol", "ocr")
    assert shown["metadata_sources"]["session"].startswith("read from the text: «VII Sessione»")
