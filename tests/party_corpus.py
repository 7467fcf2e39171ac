"""A small archive for the party register, the life of the agreements and the sectors by any name: four
agreements and a Protocol with parties in both scripts, seats known from the drafts register (two parties
in Kazan, Tatarstan), durations from the register and from the text, and one restricted agreement whose
party, seat (Tatarstan), sector and status exist nowhere else."""
from __future__ import annotations

from pathlib import Path

from conftest import SEARCH_SESSIONS, ingest_documents
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.drafting.register import DraftEntry, append_entry
from pipeline.workspace import Workspace

MEBEL = {"it": "OOO «Sylvamebel»", "ru": "ООО «Сылвамебель»"}
ROCCA = {"it": "Roccabrisa Arredamenti S.r.l.", "ru": "«Роккабриза Арредаменти С.р.л.»"}
OROBICA = {"it": "Meccanica Orobica S.p.A.", "ru": "«Мекканика Оробика С.п.А.»"}
SECRET = {"it": "OOO «Tajnodrev»", "ru": "ООО «Тайнодрев»"}
VOLGA = {"it": "Volga Trans OOO", "ru": "ООО «Волга Транс»"}
KAZAN = {"it": "Kazan (Tatarstan)", "ru": "Казань (Республика Татарстан)"}
BERGAMO = {"it": "Bergamo (Lombardia)", "ru": "Бергамо (Ломбардия)"}


def label(name: dict) -> str:
    return f"{name['it']} / {name['ru']}"


FOREVER = ("Il presente Accordo entra in vigore alla data della firma e ha una durata di 20 (venti) anni.\n\n"
           "Настоящее Соглашение вступает в силу с даты подписания и действует в течение 20 (двадцати) лет.")
SHORT = ("Il presente Accordo entra in vigore alla data della firma e ha una durata di 2 (due) anni.\n\n"
         "Настоящее Соглашение вступает в силу с даты подписания и действует в течение 2 (двух) лет.")
LATER = ("Il presente Accordo entra in vigore il 1 settembre 2015 e ha una durata di 3 (tre) anni.\n\n"
         "Настоящее Соглашение вступает в силу 1 сентября 2015 г. и действует в течение 3 (трех) лет.")

PUBLIC_DOCUMENTS = [
    # in force until 2034 (register: 240 months; its text says nothing of the duration)
    ("mebel.pdf", ["--session", 24, "--type", "agreement", "--title", "Accordo mobili Kazan", "--ref", "TF24-AGR-001",
                   "--party", label(MEBEL), "--party", label(ROCCA), "--sector", "Sistema casa",
                   "--signed-on", "2014-04-17"],
     ["Accordo sulla produzione di mobili. Соглашение о производстве мебели."]),
    # the Russian party by its Russian name only (a variant), 20 years by its text: in force
    ("arredo.pdf", ["--session", 25, "--type", "memorandum", "--title", "Memorandum arredo", "--party", MEBEL["ru"],
                    "--party", label(OROBICA), "--sector", "Sistema casa", "--signed-on", "2014-11-28"],
     [FOREVER]),
    # two years from the signature: expired
    ("macchine.pdf", ["--session", 25, "--type", "agreement", "--title", "Accordo macchine", "--ref", "TF25-AGR-002",
                      "--party", label(OROBICA), "--party", label(ROCCA), "--sector", "Meccanica strumentale",
                      "--signed-on", "2014-11-27"],
     [SHORT]),
    # in force from 1 March 2015 for three years: expired since 2018
    ("later.pdf", ["--session", 26, "--type", "agreement", "--title", "Accordo logistica", "--party",
                   "Volga Trans OOO", "--sector", "Logistica e trasporti", "--signed-on", "2015-05-21"],
     [LATER]),
    ("protocol.pdf", ["--session", 26, "--type", "protocol", "--title", "Protocollo della sessione 26",
                      "--signed-on", "2015-05-20"], ["Protocollo della sessione. Протокол заседания."]),
]
HIDDEN_DOCUMENTS = [
    ("secret.pdf", ["--session", 26, "--type", "agreement", "--title", "Accordo riservato legno", "--ref",
                    "TF26-AGR-003", "--party", label(SECRET), "--sector", "Segreti del legno",
                    "--signed-on", "2015-05-22", "--confidentiality", "restricted"],
     ["Accordo riservato. Il presente Accordo entra in vigore il 1 gennaio 2099."]),
]


def _register(home: Path) -> None:
    ws = Workspace.at(home)
    for reference, session, parties, months in (
            ("TF24-AGR-001", 24, [(MEBEL, "RU", KAZAN), (ROCCA, "IT", BERGAMO)], 240),
            ("TF25-AGR-002", 25, [(OROBICA, "IT", BERGAMO), (ROCCA, "IT", BERGAMO)], 24),
            # the restricted agreement's data is the only source of Volga Trans's seat: a reader who may not
            # see it must not find Volga Trans's public letter by --region Tatarstan
            ("TF26-AGR-003", 26, [(SECRET, "RU", KAZAN), (VOLGA, "RU", KAZAN)], 12)):
        append_entry(ws, DraftEntry(
            reference=reference, session=session, kind="agreement", title="Accordo", version=1, state="final",
            file=f"drafts/{reference}.docx", sha256="0" * 64, created_at="2014-01-01T00:00:00Z",
            parties=[label(name) for name, _, _ in parties],
            agreement={"parties": [{"name": name, "country": country, "seat": seat} for name, country, seat in parties],
                       "duration_months": months}))


def party_workspace(root: Path, hidden: bool = True) -> Path:
    """A workspace in ROOT/ws with sessions 24-26, the drafts register's agreement data and the documents
    (the restricted one last, with ``hidden``)."""
    import yaml

    home = root / "ws"
    assert CliRunner().invoke(cli, ["--home", str(home), "init", "--sample"]).exit_code == 0
    for number, data in SEARCH_SESSIONS.items():
        (home / "sessions" / f"session-{number:03d}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                                       encoding="utf-8")
    _register(home)
    ingest_documents(home, root, PUBLIC_DOCUMENTS + (HIDDEN_DOCUMENTS if hidden else []))
    return home
