"""The demo's generator at benchmark scale: many documents of realistic bilingual text (~10 KB each).

    generate(count, seed=1, size=10_000) -> iterator of (DocumentRecord, pages)
        documents spread over sessions (about 40 per session), with metadata as the archive would record it
        and the text split into pages of about 3 KB; Italian and Russian text with a Zipf-like vocabulary.
    sessions_for(count, seed=1) -> list of session dicts (the registry's YAML shape) those documents use.
    register_sessions(ws, count, seed=1) writes them into a workspace's sessions/ folder.
    write_jsonl(path, count, seed=1, size=10_000) writes one JSON object per document:
        {"record": DocumentRecord.as_dict(), "pages": [...]}, for index-only benchmarks.

Usage: python -m bench.corpus OUT.jsonl --count 1000 [--seed 1] [--size 10000]
       python -m bench.corpus OUT-FOLDER --pdf --count 1000    (PDFs and a manifest for `taskforce ingest`)
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
from pathlib import Path

import yaml

from pipeline.demo import corpus
from pipeline.demo import text as prose
from pipeline.archive.record import DocumentRecord
from pipeline.sessions.registry import session_filename

DOCS_PER_SESSION = 40
PAGE_SIZE = 3000
TYPES = ("agreement",) * 6 + ("memorandum",) * 3 + ("letter", "project")


def sessions_for(count: int, seed: int = 1) -> list[dict]:
    rng = random.Random(f"sessions-{seed}")
    needed = max(1, -(-count // DOCS_PER_SESSION))
    return [corpus.make_session(number, rng) for number in range(1, needed + 1)]


def register_sessions(ws, count: int, seed: int = 1) -> list[dict]:
    ws.sessions.mkdir(parents=True, exist_ok=True)
    found = sessions_for(count, seed)
    for data in found:
        path = ws.sessions / session_filename(data["number"])
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return found


def _pages(text: str) -> list[str]:
    pages, current = [], ""
    for paragraph in text.split("\n\n"):
        if current and len(current) + len(paragraph) > PAGE_SIZE:
            pages.append(current)
            current = ""
        current = f"{current}\n\n{paragraph}" if current else paragraph
    return pages + ([current] if current else [])


def generate(count: int, seed: int = 1, size: int = 10_000):
    rng = random.Random(seed)
    sessions = sessions_for(count, seed)
    for n in range(count):
        session = sessions[n // DOCS_PER_SESSION]
        start = dt.date.fromisoformat(session["start"])
        signed_on = start + dt.timedelta(days=rng.randrange(3))
        table = rng.choice(session["tables"])
        sector_index = next(i for i, (sector, _) in enumerate(corpus.SECTORS) if sector == table["sector"])
        kind = "protocol" if n % DOCS_PER_SESSION == 0 else rng.choice(TYPES)
        parties = [corpus.make_party(rng, "IT", sector_index), corpus.make_party(rng, "RU", sector_index)]
        context = {"sector": table["sector"], "city": session["city"],
                   "date": {"it": signed_on.isoformat(), "ru": signed_on.isoformat()},
                   "party_a": parties[0]["name"], "party_b": parties[1]["name"]}
        text = prose.bilingual_text(rng, size, context)
        title = (f"Protocollo della {session['number']}ª sessione" if kind == "protocol" else
                 f"{kind.capitalize()} — {parties[0]['name']['it']} / {parties[1]['name']['it']}")
        pages = _pages(text["it"]) + _pages(text["ru"])
        body = "\f".join(pages).encode("utf-8")
        record = DocumentRecord(
            doc_id=f"B{n + 1:06d}", session=session["number"], type=kind, title=title,
            sha256=hashlib.sha256(body).hexdigest(), size=len(body), filename=f"bench-{n + 1:06d}.pdf",
            reference=f"TF{session['number']}-PROT" if kind == "protocol" else None,
            parties=[f"{p['name']['it']} / {p['name']['ru']}" for p in parties],
            sectors=[table["sector"]["it"]], signed_on=signed_on, place=session["city"]["it"],
            languages=["it", "ru"], confidentiality=rng.choices(("public", "internal", "restricted"), (85, 10, 5))[0],
            pages=len(pages), text_source="text", page_sources=["text"] * len(pages),
            ingested_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).isoformat())
        yield record, pages


def write_jsonl(path: Path, count: int, seed: int = 1, size: int = 10_000) -> int:
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for record, pages in generate(count, seed, size):
            out.write(json.dumps({"record": record.as_dict(), "pages": pages}, ensure_ascii=False) + "\n")
            written += 1
    return written


def write_pdfs(folder: Path, count: int, seed: int = 1, size: int = 10_000) -> Path:
    """One text PDF per document in ``folder`` (reference code in the footer) and ``manifest.csv`` with the
    metadata, ready for ``taskforce ingest --manifest``."""
    import csv

    from pipeline.demo.pdfmake import text_to_pdf

    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.csv"
    with open(manifest, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "session", "type", "title", "party", "sector", "signed_on", "place",
                         "confidentiality"])
        for record, pages in generate(count, seed, size):
            text_to_pdf(folder / record.filename, pages, footer=record.reference or record.doc_id, title=record.title)
            writer.writerow([record.filename, record.session, record.type, record.title, ";".join(record.parties),
                             ";".join(record.sectors), record.signed_on.isoformat(), record.place,
                             record.confidentiality])
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a benchmark corpus as JSON lines (record and pages of "
                                                 "each document) or, with --pdf, as PDFs and a manifest.")
    parser.add_argument("out", type=Path, help="the .jsonl file, or with --pdf the folder")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--pdf", action="store_true", help="write PDFs and manifest.csv into the folder OUT")
    args = parser.parse_args()
    if args.pdf:
        print(f"{args.count} PDFs and their manifest written to {write_pdfs(args.out, args.count, args.seed, args.size)}")
    else:
        print(f"{write_jsonl(args.out, args.count, args.seed, args.size)} documents written to {args.out}")


if __name__ == "__main__":
    main()
