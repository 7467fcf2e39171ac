"""The browser's intake (issue 24 item 1) as use cases: stage uploaded PDFs (and a manifest) outside the
archive, prepare each one for review (the ingest's steps, nothing written to the archive), then discard a
file or confirm it.

Confirming calls :func:`pipeline.usecases.archiving.ingest`, the use case of ``taskforce ingest``, with the
archivist's corrections as its options and the file's manifest row as a one-row manifest: what is archived
is what ``taskforce ingest FILE --session …`` (``--manifest``) would archive, under the name the browser
gave the file.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import time
from pathlib import Path
from typing import BinaryIO

from ..archive import staging
from ..archive.batch import read_manifest
from ..archive.metadata import Given
from ..archive.review import review_file
from ..archive.store import Archive
from ..compare.draftcheck import check_text
from ..errors import NotFoundError, TaskforceError, ValidationError
from ..pdf.text import ExtractLimits
from ..workspace import Workspace
from . import archiving

CONFIRM_MANIFEST = "confirm.csv"

log = logging.getLogger("taskforce.intake")


def stage(ws: Workspace, uploads: list[tuple[str, BinaryIO]], manifest: bytes | None, user: str) -> str:
    """Stage the uploaded files [(the user's name, a stream of its bytes)] and manifest; the batch's id. A manifest that
    cannot be read is a ValidationError naming the field ``manifest`` (nothing is staged)."""
    ws.require()
    batch_id = staging.new_batch(ws, uploads, manifest, user)
    folder = staging.batch_folder(ws, batch_id)
    if manifest is not None:
        try:
            manifest_rows(folder)
        except TaskforceError as err:
            discard_batch(ws, batch_id)
            raise ValidationError("intake.manifest", field="manifest", reason=err.message) from None
    return batch_id


def manifest_rows(folder: Path) -> dict[str, tuple[Given | None, str | None]]:
    """{the file name a manifest row names: (its metadata, its error)}; matched with the uploads by name."""
    if not (folder / staging.MANIFEST).is_file():
        return {}
    return {file.name: (given, error) for file, given, _, error in read_manifest(folder / staging.MANIFEST)
            if file is not None}


def prepare_batch(ws: Workspace, batch_id: str, limits: ExtractLimits | None = None) -> None:
    """Prepare every file of the batch still waiting, one after the other, writing the progress (file n of m)
    and each review into the batch's state. Returns at once when another thread or process prepares it."""
    folder = staging.batch_folder(ws, batch_id)
    limits = limits or ExtractLimits()
    with staging.preparing(folder) as mine:
        if not mine:
            return
        rows = manifest_rows(folder)
        archive = Archive(ws)
        waiting = [item for item in staging.read_state(folder)["files"] if item["status"] in ("waiting", "preparing")]
        for item in waiting:
            with staging.changing(folder) as state:
                state["progress"] = {"file": item["n"], "files": len(state["files"]), "name": item["name"],
                                     "started": time.time()}
                _item(state, item["n"])["status"] = "preparing"
            given, row_error = rows.get(item["name"], (None, None))
            layers = [(given, "manifest")] if given else []
            try:
                review = review_file(ws, limits, folder / staging.file_name(item["n"]), item["name"], layers,
                                     archive.duplicate_of, archive.archived_with_reference, check_text)
            except OSError as err:
                review = {"status": "damaged", "warnings": [{"code": "damaged", "reason": err.strerror or str(err)}]}
            except Exception as err:   # a batch goes on: this file is explained, not prepared again at each view
                log.exception("preparing %s (file %s of intake batch %s) failed", item["name"], item["n"], batch_id)
                review = {"status": "damaged", "warnings": [{"code": "damaged", "reason": type(err).__name__}]}
            earlier = next((other["n"] for other in staging.read_state(folder)["files"]
                            if other["n"] < item["n"] and (other.get("review") or {}).get("sha256") == review.get("sha256")),
                           None)
            if earlier is not None and review["status"] != "duplicate":
                review.update(status="duplicate", warnings=[{"code": "duplicate_in_batch", "file": earlier}])
            if row_error:
                review.setdefault("warnings", []).append({"code": "manifest_row", "reason": row_error})
            with staging.changing(folder) as state:
                entry = _item(state, item["n"])
                entry.update(status=review["status"], review=review, manifest=bool(given))
        with staging.changing(folder) as state:
            state["progress"] = {"file": len(state["files"]), "files": len(state["files"]), "done": True}


def _item(state: dict, number: int) -> dict:
    found = next((item for item in state["files"] if item["n"] == number), None)
    if found is None:
        raise NotFoundError("intake.no_file", file=number)
    return found


def batch(ws: Workspace, batch_id: str) -> dict:
    """The batch's state (its files, each with its review once prepared) and whether it is being prepared."""
    folder = staging.batch_folder(ws, batch_id)
    state = staging.read_state(folder)
    state["preparing"] = staging.is_preparing(folder)
    state["waiting"] = any(item["status"] in ("waiting", "preparing") for item in state["files"])
    return state


def batches(ws: Workspace) -> list[dict]:
    return staging.batches(ws)


def save_corrections(ws: Workspace, batch_id: str, corrections: dict[int, dict]) -> None:
    """Keep what the archivist typed for each file {n: {field: text}} until it is confirmed."""
    folder = staging.batch_folder(ws, batch_id)
    with staging.changing(folder) as state:
        for number, typed in corrections.items():
            entry = next((item for item in state["files"] if item["n"] == number), None)
            if entry is not None and entry["status"] not in ("archived", "discarded"):
                entry["typed"] = typed


def discard(ws: Workspace, batch_id: str, number: int) -> None:
    """Take a staged file out of the batch: its bytes are removed, nothing reaches the archive."""
    folder = staging.batch_folder(ws, batch_id)
    with staging.changing(folder) as state:
        entry = _item(state, number)
        if entry["status"] in ("waiting", "preparing"):
            raise ValidationError("intake.not_ready", field=f"files[{number}]")
        if entry["status"] != "archived":
            entry["status"] = "discarded"
        staging.remove_file(folder, number)
    _remove_if_done(folder)


def confirm(ws: Workspace, batch_id: str, number: int, corrections: Given) -> archiving.IngestReport:
    """Archive staged file ``number`` through the ingest use case, with ``corrections`` (the fields the
    archivist changed or filled in) as its options, above the file's manifest row as ``--manifest`` would.
    The batch's state records the outcome; an archived file leaves the staging area."""
    folder = staging.batch_folder(ws, batch_id)
    state = staging.read_state(folder)
    entry = _item(state, number)
    if entry["status"] != "ready":
        raise ValidationError("intake.not_ready", field=f"files[{number}]")
    path = folder / staging.file_name(number)
    given, _ = manifest_rows(folder).get(entry["name"], (None, None))
    names = {path: entry["name"]}
    if given is not None:
        manifest = folder / CONFIRM_MANIFEST
        staging._write_private(manifest, one_row_manifest(path.name, given))
        report = archiving.ingest(ws, [], corrections, manifest=manifest, names=names, jobs=1)
        manifest.unlink(missing_ok=True)
    else:
        report = archiving.ingest(ws, [path], corrections, names=names, jobs=1)
    outcome = report.outcomes[0]
    with staging.changing(folder) as state:
        entry = _item(state, number)
        if entry["status"] == "archived":    # a second confirm of the same file at the same time: the first stands
            pass
        elif outcome.outcome == "archived":
            entry.update(status="archived", doc_id=outcome.doc_id)
            staging.remove_file(folder, number)
        elif outcome.outcome == "duplicate":
            entry.update(status="duplicate", doc_id=outcome.doc_id)
        else:
            entry["rejected"] = outcome.reason
    _remove_if_done(folder)
    return report


def _remove_if_done(folder: Path) -> None:
    """A batch whose every file is archived or discarded leaves the staging area."""
    with staging.preparing(folder) as mine:
        if mine:
            staging.remove_batch_if_done(folder, staging.read_state(folder))


def discard_batch(ws: Workspace, batch_id: str) -> None:
    folder = staging.batch_folder(ws, batch_id)
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()


def one_row_manifest(file: str, given: Given) -> bytes:
    """A manifest naming ``file`` with the values of ``given`` (its row read back gives the same Given)."""
    row = {"file": file, "session": given.session, "type": given.type, "title": given.title,
           "party": ";".join(given.parties), "sector": ";".join(given.sectors),
           "signed_on": given.signed_on.isoformat() if isinstance(given.signed_on, dt.date) else None,
           "place": given.place, "lang": ",".join(given.languages), "confidentiality": given.confidentiality,
           "ref": given.reference, "password": given.password, "title_ru": given.title_ru, "place_ru": given.place_ru}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(row.keys())
    writer.writerow(["" if value is None else value for value in row.values()])
    return buffer.getvalue().encode("utf-8")

