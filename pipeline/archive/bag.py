"""Export of archived documents as a BagIt bag (RFC 8493), made and then validated with bagit-python.

The bag holds, for each document, ``data/<doc_id>/original.pdf``, every metadata revision, the page texts
and ``events.jsonl`` with that document's events; SHA-256 and SHA-512 manifests. It is built in a hidden
folder beside the destination and renamed into place when complete, then validated in place.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
from pathlib import Path

from .. import __version__
from . import eventlog
from ..errors import ConflictError, NotFoundError, TaskforceError
from .eventlog import new_event
from .layout import ORIGINAL, TEXT_FOLDER, sha256_file, sidecar_name

SOURCE_ORGANIZATION = "Italy-Russia Task Force on SMEs and industrial districts"


def export_bag(store, destination: Path, session: int | None = None) -> dict:
    import bagit   # third-party, imported on use: only an export needs it, and every command would pay its import

    destination = destination.expanduser().absolute()
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise ConflictError(f"{destination} exists and is not an empty folder: choose a new folder for the bag")
    records, problems = store.records()
    if problems:
        raise TaskforceError("cannot export: some sidecars are broken; run 'taskforce archive verify'",
                             findings=problems)
    chosen = [record for record in records if session is None or record.session == session]
    if not chosen:
        raise NotFoundError("no documents to export" + (f" for session {session}" if session else "")
                            + f" in the archive {store.root}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    build = destination.parent / f".{destination.name}.partial-{os.getpid()}"
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir()
    events = store.log.events()
    files = 0
    try:
        for record in chosen:
            source = store.folder_of(record.doc_id)
            target = build / record.doc_id
            (target / TEXT_FOLDER).mkdir(parents=True)
            shutil.copyfile(source / ORIGINAL, target / ORIGINAL)
            digest, _ = sha256_file(target / ORIGINAL)
            if digest != record.sha256:
                raise TaskforceError(f"{record.doc_id}/{ORIGINAL} does not match its recorded SHA-256: "
                                     f"run 'taskforce archive verify'; nothing was exported")
            for revision in store.revisions(source):
                shutil.copyfile(source / sidecar_name(revision), target / sidecar_name(revision))
            for page in sorted((source / TEXT_FOLDER).iterdir()):
                shutil.copyfile(page, target / TEXT_FOLDER / page.name)
            own = [event for event in events if event.get("object") == record.doc_id]
            (target / "events.jsonl").write_text(
                "".join(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n" for event in own),
                encoding="utf-8")
            files += sum(1 for path in target.rglob("*") if path.is_file())
        info = {
            "Source-Organization": SOURCE_ORGANIZATION,
            "External-Description": f"taskforce archive export: {len(chosen)} document(s)"
                                    + (f" of session {session}" if session else ""),
            "Bagging-Date": dt.date.today().isoformat(),
            "Bag-Software-Agent": f"taskforce {__version__} with bagit-python",
            "Internal-Sender-Identifier": ", ".join(record.doc_id for record in chosen),
        }
        logging.getLogger("bagit").setLevel(logging.WARNING)
        try:
            bagit.make_bag(str(build), info, checksums=["sha256", "sha512"])
        except (bagit.BagError, OSError, RuntimeError) as err:
            raise TaskforceError(f"cannot write the bag: {err}") from None
        if destination.exists():
            destination.rmdir()  # empty, checked above
        os.rename(build, destination)
    finally:
        shutil.rmtree(build, ignore_errors=True)
    try:
        bagit.Bag(str(destination)).validate()
    except bagit.BagError as err:
        details = "; ".join(map(str, getattr(err, "details", None) or [])) or str(err)
        raise TaskforceError(f"the bag {destination} was written but does not validate: {details}") from None
    with store.locked():
        store.log.append([new_event(eventlog.DISSEMINATION, None, "success",
                                    f"{len(chosen)} document(s) exported as a validated BagIt bag to {destination}: "
                                    + ", ".join(record.doc_id for record in chosen))])
    return {"bag": str(destination), "documents": len(chosen), "files": files,
            "doc_ids": [record.doc_id for record in chosen]}
