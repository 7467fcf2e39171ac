"""The demo: a complete sample workspace built through the real code paths.

Sessions are generated (the 25th session's sample file is kept as it is); each session's agreements and
Protocol are rendered from the templates, turned into PDFs (LibreOffice when installed, otherwise a PDF of the
rendered text made with reportlab), some are signed with a demo key made on the spot, some become image-only
scans, a few are marked restricted; everything is ingested from a manifest CSV, as an archivist would with
``taskforce ingest --manifest``, through the same library call (:func:`pipeline.usecases.ingest`, which also
indexes it), and example searches are run.

Nothing here writes the archive or the index directly. Every name and text is invented.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import functools
import random
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import docx
import yaml

from . import corpus
from .. import usecases
from ..access import Level, is_restricted
from ..archive.metadata import Given
from ..archive.store import Archive
from ..compare.comparison import verdict
from ..drafting.agreements import parse_agreement
from ..drafting.docx import SOFFICE_NAMES, convert_many_to_pdf, text_by_language
from ..drafting import render_agreement, render_protocol
from ..errors import ConflictError, ToolFailedError, ValidationError
from ..fsutil import atomic_write_text
from ..pdf.sandbox import parser_context, usable_cpus
from ..search import SearchRequest, search
from ..sessions.registry import get_session, readable_sessions, session_filename
from ..translit import CYRILLIC
from ..vocab import DEFAULT_CONFIDENTIALITY
from ..workspace import SAMPLE_SESSIONS, Workspace, init_workspace
from .pdfmake import make_demo_signer, scan_pdf, sign_pdf, text_to_pdf

MARKER = ".taskforce-demo"
ORIGINALS = "demo-originals"
SIGNED_SHARE = 4          # one document in SIGNED_SHARE is digitally signed
SOFFICE_MIN_SHARE = 20    # drafts a LibreOffice process must have to be worth its start-up (a few seconds)
ENGLISH = {"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya", "й": "y",
           "ы": "y", "ь": "", "ъ": "", "ё": "yo"}


@dataclass
class DemoOptions:
    sessions: int = 25
    agreements: int = 6
    seed: int = 1
    scans: int = 2
    force: bool = False
    jobs: int | None = None   # files the ingest prepares at once (None: the usable CPUs)


def _no_progress(label: str, items):
    return items


def has_real_archive(ws: Workspace) -> bool:
    """True when the archive holds documents and the workspace was not made by the demo."""
    if (ws.home / MARKER).exists() or not ws.archive.is_dir():
        return False
    return any(entry.is_dir() and not entry.name.startswith(".") for entry in ws.archive.iterdir())


def build_demo(ws: Workspace, options: DemoOptions, progress=_no_progress, say=lambda text: None) -> dict:
    """Build the demo workspace. ``progress(label, items)`` wraps each stage's items (a progress bar);
    ``say(text)`` reports a stage that has no items to count."""
    if options.sessions < 1 or options.agreements < 0 or options.scans < 0:
        raise ValidationError("demo.counts", field="sessions", fields=["agreements", "scans"])
    if has_real_archive(ws) and not options.force:
        raise ConflictError("demo.real_archive", path=ws.archive, home_field="home", field="force")
    archived = _archived(ws) if (ws.home / MARKER).exists() else 0
    if archived and not options.force:
        say("The demo workspace is already built; running the example searches again.")
        return {"built": False, "home": str(ws.home), "sessions": len(readable_sessions(ws)),
                "documents": archived, "searches": run_example_searches(ws)}
    init_workspace(ws.home)
    atomic_write_text(ws.home / MARKER, "This workspace was built by 'taskforce demo': every document, company "
                                        "and person in it is invented.\n")
    rng = random.Random(options.seed)
    scans = options.scans
    missing = [name for name in ("pdftoppm", "tesseract") if not shutil.which(name)]
    if scans and missing:
        say(f"{' and '.join(missing)} not installed: no paper scans in this demo (install the Debian packages "
            f"poppler-utils tesseract-ocr tesseract-ocr-ita tesseract-ocr-rus to see OCR at work)")
        scans = 0
    numbers = write_sessions(ws, options.sessions, rng)
    drafts = render_drafts(ws, numbers, options.agreements, rng, progress)
    forms = derived_forms_summary(drafts)
    pdfs = make_pdfs(ws, drafts, progress, say, options.jobs)
    originals = prepare_originals(ws, drafts, pdfs, scans, rng, progress, options.jobs)
    mistakes = add_comparison_cases(ws, drafts, originals, say)
    manifest = write_manifest(ws, originals)
    say(f"Ingesting {len(originals)} signed originals from {manifest}, as 'taskforce ingest --manifest' does "
        f"(text, OCR of the scans, signatures, index)…")
    ingest = run_ingest(ws, manifest, progress, say, options.jobs)
    letters = ingest_letters(ws, corpus.make_letters(numbers, random.Random(options.seed)))
    return {"built": True, "letters": letters, "home": str(ws.home), "sessions": len(numbers), "drafts": len(drafts),
            "signed": sum(1 for o in originals if o["how"] == "signed"),
            "scans": sum(1 for o in originals if o["how"] == "scan"),
            "restricted": sum(1 for o in originals if is_restricted(o["entry"]["confidentiality"])),
            "forms": forms, "ingest": ingest["summary"], "comparison": comparison_findings(ws, mistakes),
            "searches": run_example_searches(ws)}


def add_comparison_cases(ws: Workspace, drafts: list[dict], originals: list[dict], say) -> dict:
    """Two originals the archive must notice: an agreement whose signed text changed one clause after its
    final draft (its Article 3, the duration), and the first session's Protocol arriving as a draft PDF (a new
    draft version, BOZZA / ПРОЕКТ in its footer) instead of the signed text. One LibreOffice run for both."""
    born_digital = [o for o in originals if o["how"] == "born-digital"]
    # an agreement, not a memorandum: only the agreement's template has the duration clause changed below
    agreement = next((o for o in born_digital if o["entry"]["kind"] == "agreement"), None)
    protocol = next((o for o in born_digital if o["entry"]["kind"] == "protocol"), None)
    if agreement is None or protocol is None:
        return {}
    folder = ws.home / ORIGINALS / "unsigned"
    changed = folder / f"{agreement['entry']['reference']}-signed-changed.docx"
    document = docx.Document(str(ws.home / agreement["entry"]["file"]))
    clause = next(p for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
                  if p.text.startswith("Il presente Accordo entra in vigore"))
    for run in clause.runs:
        run.text = re.sub(r"durata di .*? ann[io]", "durata di 10 (dieci) anni", run.text)
    document.save(str(changed))
    draft = render_protocol(ws, protocol["entry"]["session"], final=False)
    sources = [changed, ws.home / draft["file"]]
    say("Two originals for the comparison with the approved drafts: an agreement whose signed text changed a "
        "clause, a Protocol sent as a draft PDF…")
    if any(shutil.which(name) for name in SOFFICE_NAMES):
        made = convert_many_to_pdf(sources, folder / "comparison")
    else:
        made = [text_to_pdf(folder / f"{source.stem}.pdf", ["\n\n".join(text_by_language(source)["it"]),
                                                             "\n\n".join(text_by_language(source)["ru"])],
                            footer=footer) for source, footer in
                zip(sources, [f"{agreement['entry']['reference']} · v{agreement['entry']['version']}",
                              f"{draft['reference']} · v{draft['version']} · BOZZA / ПРОЕКТ"])]
    for original, pdf in zip((agreement, protocol), made):
        shutil.copyfile(pdf, original["path"])
    return {"changed_clause": agreement["entry"]["reference"], "draft_pdf": protocol["entry"]["reference"]}


def comparison_findings(ws: Workspace, mistakes: dict) -> dict:
    """What ingest found about the two planted originals: their ids, verdicts and warnings."""
    records, _ = usecases.list_documents(ws)
    found = {}
    for case, reference in mistakes.items():
        record = next((r for r in records if r.reference == reference), None)
        if record is not None:
            found[case] = {"doc_id": record.doc_id, "reference": reference,
                           "draft": verdict(record.draft_comparison), "warnings": record.warnings}
    return found


def write_sessions(ws: Workspace, count: int, rng: random.Random) -> list[int]:
    """Session files 1..count; existing files (the sample 25th among them) are kept as they are."""
    ws.sessions.mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        target = ws.sessions / session_filename(number)
        sample = SAMPLE_SESSIONS / session_filename(number)
        data = corpus.make_session(number, rng)   # drawn even when unused, so that the seed fixes every session
        if target.exists():
            continue
        if sample.exists():
            shutil.copyfile(sample, target)
        else:
            atomic_write_text(target, "# Generated by 'taskforce demo': an invented session.\n" +
                              yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return list(range(1, count + 1))


def render_drafts(ws: Workspace, numbers: list[int], agreements: int, rng: random.Random, progress) -> list[dict]:
    """Final versions of the agreements of every session, then each session's Protocol (whose annex lists
    them)."""
    rendered = []
    for number in progress("Drafting", numbers):
        session = get_session(ws, number)
        raw_session = {"tables": session.tables}
        for index in range(agreements):
            serial = len(rendered)   # across sessions, so that one agreement in eight is restricted
            data, findings = parse_agreement(corpus.make_agreement(rng, raw_session, serial, restricted_share=8),
                                             f"demo agreement {number}.{index}")
            if findings:   # the generator and the schema disagree: a bug, not a user error
                raise ToolFailedError(f"the demo generator made invalid agreement data: {findings[0]}")
            data["source"] = f"demo:{number}:{index}"
            rendered.append(render_agreement(ws, number, data, final=True))
        rendered.append({**render_protocol(ws, number, final=True), "confidentiality": Level.PUBLIC.value})
    return rendered


def derived_forms_summary(drafts: list[dict]) -> dict:
    """How the drafts' Russian case forms were made: derived (dictionary, rule, indeclinable…) and the ones the
    analyser could not derive (printed as guesses and flagged for staff), with those fields."""
    counts: dict[str, int] = {}
    not_derived = []
    for entry in drafts:
        for form in entry.get("forms") or []:
            counts[form["source"]] = counts.get(form["source"], 0) + 1
            if form["source"] == "unknown":
                not_derived.append(f"{entry['reference']}: {form['field']}")
    return {"by_source": counts, "total": sum(counts.values()), "not_derived": len(not_derived),
            "doubtful": counts.get("doubtful", 0), "not_derived_fields": not_derived[:20]}


def make_pdfs(ws: Workspace, drafts: list[dict], progress, say, jobs: int | None = None) -> list[Path]:
    """One PDF per draft: LibreOffice when installed, else reportlab from its text. LibreOffice converts
    on one thread, so the drafts are shared among ``jobs`` processes (default: the usable CPUs), each with its
    own profile and its start-up paid once."""
    folder = ws.home / ORIGINALS / "unsigned"
    folder.mkdir(parents=True, exist_ok=True)
    sources = [ws.home / entry["file"] for entry in drafts]
    if any(shutil.which(name) for name in SOFFICE_NAMES):
        ticks = iter(progress("PDF (LibreOffice)", sources))
        next(ticks, None)   # the bar appears (0 done) while LibreOffice starts
        parts = max(1, min(jobs or usable_cpus(), len(sources) // SOFFICE_MIN_SHARE or 1))
        shares = [sources[start::parts] for start in range(parts)]
        counts = [0] * parts
        state = {"shown": 0}
        lock = threading.Lock()

        def advance(part: int, count: int) -> None:   # LibreOffice process ``part`` has written ``count`` PDFs
            with lock:
                counts[part] = count
                while state["shown"] < sum(counts):
                    next(ticks, None)
                    state["shown"] += 1

        with concurrent.futures.ThreadPoolExecutor(max_workers=parts) as pool:
            futures = [pool.submit(convert_many_to_pdf, share, folder, None, functools.partial(advance, part))
                       for part, share in enumerate(shares)]
            made_by_part = [future.result() for future in futures]
        for _ in ticks:   # let the progress bar finish
            pass
        made = {path.stem: path for share in made_by_part for path in share}
        return [made[source.stem] for source in sources]
    say("LibreOffice is not installed: making the PDFs from the drafts' text with reportlab")
    made = []
    for entry, source in progress("PDF (reportlab)", list(zip(drafts, sources))):
        text = text_by_language(source)
        # the draft's text opens with its title, in each language: printed once, as the draft has it
        made.append(text_to_pdf(folder / f"{source.stem}.pdf", ["\n\n".join(text["it"]), "\n\n".join(text["ru"])],
                                footer=f"{entry['reference']} · v{entry['version']}", title=entry["title"],
                                print_title=False))
    return made


def prepare_originals(ws: Workspace, drafts: list[dict], pdfs: list[Path], scans: int, rng: random.Random,
                      progress, jobs: int | None = None) -> list[dict]:
    """The 'signed originals' an archivist receives: some digitally signed, ``scans`` of them paper scans.
    Signing (pyHanko, pure Python) and scanning run in ``jobs`` processes (default: the usable CPUs), forked
    from the parsers' server, which has pyHanko loaded already."""
    folder = ws.home / ORIGINALS
    key, cert = make_demo_signer(ws.home / ORIGINALS / "demo-signer", "Task Force demo signer (invented)")
    agreements = [i for i, entry in enumerate(drafts) if entry["kind"] != "protocol"]
    scanned = set(rng.sample(agreements, min(scans, len(agreements))))
    work = {}
    for i, (entry, pdf) in enumerate(zip(drafts, pdfs)):
        target = folder / f"{entry['reference']}.pdf"
        if i in scanned:
            work[i] = ("scan", scan_pdf, (pdf, target), {})
        elif i % SIGNED_SHARE == 0:
            work[i] = ("signed", sign_pdf, (pdf, target, key, cert),
                       {"reason": "Firma / Подпись", "location": "Task Force demo"})
        else:
            work[i] = ("born-digital", shutil.copyfile, (pdf, target), {})
    workers = min(jobs or usable_cpus(), sum(1 for how, *_ in work.values() if how != "born-digital"))
    with contextlib.ExitStack() as stack:
        pool = (stack.enter_context(concurrent.futures.ProcessPoolExecutor(workers, mp_context=parser_context()))
                if workers > 1 else None)
        pending = {i: pool.submit(call, *args, **keywords) for i, (how, call, args, keywords) in work.items()
                   if pool is not None and how != "born-digital"}
        originals = []
        for i in progress("Signing and scanning", range(len(drafts))):
            how, call, args, keywords = work[i]
            if i in pending:
                pending.pop(i).result()
            else:
                call(*args, **keywords)
            originals.append({"path": folder / f"{drafts[i]['reference']}.pdf", "entry": drafts[i], "how": how})
    return originals


def write_manifest(ws: Workspace, originals: list[dict]) -> Path:
    """The manifest CSV an archivist hands to ``taskforce ingest --manifest``; the rest of the metadata comes
    from the drafts register through the reference code printed in each PDF."""
    path = ws.home / ORIGINALS / "manifest.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "session", "type", "ref", "confidentiality"])
        writer.writeheader()
        for item in originals:
            entry = item["entry"]
            writer.writerow({"file": str(item["path"]), "session": entry["session"], "type": entry["kind"],
                             "ref": entry["reference"], "confidentiality": entry.get("confidentiality", DEFAULT_CONFIDENTIALITY)})
    return path


def run_ingest(ws: Workspace, manifest: Path, progress=_no_progress, say=lambda text: None,
               jobs: int | None = None) -> dict:
    """Ingest the manifest's files exactly as ``taskforce ingest --manifest`` does, in this process;
    ``progress`` wraps the files as they are done, ``say`` tells when the index update starts. The report
    as ``ingest --json`` prints it."""
    rows = sum(1 for _ in csv.reader(manifest.read_text(encoding="utf-8").splitlines())) - 1
    done = iter(progress("Ingesting", range(rows)))
    next(done, None)   # the bar appears (0 done) before the first file

    def step(outcome, position, total):
        next(done, None)
        if position == total:
            for _ in done:   # let the progress bar finish before the index stage is announced
                pass
            say("Updating the search index…")

    report = usecases.ingest(ws, [], Given(), manifest=manifest, on_each=step, jobs=jobs)
    for _ in done:   # let the progress bar finish
        pass
    if report.rejected:
        first = report.rejected[0]
        raise ToolFailedError(f"the demo's ingest rejected {len(report.rejected)} file(s), e.g. {first.file}: "
                              f"{first.reason}")
    if report.index_error:
        raise ToolFailedError(f"the demo's ingest: {report.index_error}")
    return report.as_dict()


def ingest_letters(ws: Workspace, letters: list[dict]) -> int:
    """Archive the one-language letters (corpus.make_letters) as an archivist would: a PDF each, ingested with
    its session, type, title and language (no draft, no reference); public."""
    folder = ws.home / ORIGINALS / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    archived = 0
    for number, letter in enumerate(letters, 1):
        pdf = text_to_pdf(folder / f"letter-{number}-{letter['lang']}.pdf", [letter["text"]], title=letter["title"],
                          reproducible=True)
        report = usecases.ingest(ws, [pdf], Given(session=letter["session"], type="letter", title=letter["title"],
                                                  languages=[letter["lang"]], confidentiality=Level.PUBLIC.value))
        if report.rejected:
            raise ToolFailedError(f"the demo's ingest rejected the letter {pdf}: {report.rejected[0].reason}")
        archived += 1
    return archived


def _archived(ws: Workspace) -> int:
    return len(Archive(ws).records()[0])


def english_romanisation(text: str) -> str:
    """Нижний Новгород -> Nizhniy Novgorod: the spelling an English text would use (not the Italian one)."""
    out = []
    for ch in text:
        low = ch.lower()
        latin = ENGLISH.get(low, CYRILLIC.get(low, ch))
        out.append(latin.capitalize() if ch != low and latin else latin)
    return "".join(out)


def example_searches(ws: Workspace) -> list[tuple[str, dict]]:
    return [
        ("Italian, stemmed: 'accordi' also finds 'accordo'", {"query": "accordi cooperazione"}),
        ("Russian, stemmed: 'соглашения' also finds 'соглашение', 'соглашений'", {"query": "соглашения"}),
        _name_search([s.city for s in readable_sessions(ws) if s.country == "RU"]),
        ("Filtered and faceted: agreements of sessions held in Russia", {"query": "", "type": "agreement",
                                                                        "country": "RU", "facets": True}),
    ]


def _name_search(russian_cities: list[dict]) -> tuple[str, dict]:
    """A Russian city written as an English text would (Nizhniy Novgorod, where the Italian text has Nižnij
    Novgorod), or else in Cyrillic: either way the other spellings are found through the transliteration key."""
    for city in russian_cities:
        english = english_romanisation(city["ru"])
        if english.lower() != city["it"].lower():
            return (f"A name in another romanisation: '{english}' finds '{city['it']}' and '{city['ru']}'",
                    {"query": english})
    city = russian_cities[0] if russian_cities else {"it": "Kazan", "ru": "Казань"}
    return f"A name in Cyrillic: '{city['ru']}' also finds '{city['it']}'", {"query": city["ru"]}


def run_example_searches(ws: Workspace) -> list[dict]:
    results = []
    for label, arguments in example_searches(ws):
        found = search(ws, SearchRequest(limit=3, **arguments))
        results.append({"label": label, "arguments": arguments, "result": found})
    return results
