"""The archive's append-only, hash-chained event log (PREMIS-style events), ``archive/events.jsonl``.

One JSON object per line::

    {"event_id": "…uuid…", "type": "ingestion", "time": "2025-03-15T09:12:44Z", "agent": "maria",
     "object": "TFA-000001", "outcome": "success", "detail": "…", "files": {"TFA-000001/original.pdf": "<sha256>"},
     "prev_hash": "<sha256 of the previous line's bytes, or 64 zeros for the first line>"}

``files`` (on ingestion and metadata-modification events) records the SHA-256 of every file the event
created: the fixity check compares the archive against it. Each line carries the hash of the line before
it, so an edited or deleted line breaks the chain; ``events.head`` holds the number of lines and the hash
of the last one, so that lines cut off the end are detected too.

Appending is done by the archive, under its lock: several events in one ``write`` (a process killed in
the middle of a write system call either wrote all of it or nothing), then the head, atomically.
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import uuid
from pathlib import Path

from ..errors import Finding
from ..fsutil import append_durably, atomic_write_json, checkpoint, storage_error
from .layout import HEAD_NAME, LOG_NAME

GENESIS = "0" * 64

# PREMIS 3 event types used by the archive
INGESTION = "ingestion"
MESSAGE_DIGEST = "message digest calculation"
METADATA_EXTRACTION = "metadata extraction"
SIGNATURE_VALIDATION = "digital signature validation"
FIXITY_CHECK = "fixity check"
METADATA_MODIFICATION = "metadata modification"
DISSEMINATION = "dissemination"
DRAFT_COMPARISON = "draft comparison"     # the signed text compared with its approved draft
POLICY_ASSIGNMENT = "policy assignment"   # an access level decided against another source (a lowering)
# Taken out of view, the bytes kept (PREMIS has deaccession for removal; nothing is removed here), and
# replaced by a successor: each recorded beside the metadata modification that writes it into the sidecar
WITHDRAWAL = "withdrawal"
SUPERSESSION = "supersession"
EVENT_TYPES = (INGESTION, MESSAGE_DIGEST, METADATA_EXTRACTION, SIGNATURE_VALIDATION, FIXITY_CHECK,
               METADATA_MODIFICATION, DISSEMINATION, POLICY_ASSIGNMENT, DRAFT_COMPARISON, WITHDRAWAL, SUPERSESSION)


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def agent() -> str:
    """The OS user running the command."""
    try:
        return getpass.getuser()
    except Exception:  # no name for this uid (a container): the number is still an agent
        return f"uid {os.getuid()}"


def new_event(event_type: str, obj: str | None, outcome: str, detail: str, files: dict | None = None,
              findings: list[dict] | None = None, actor: str | None = None) -> dict:
    """One event; ``findings`` (a fixity check's typed findings: kind, where, message) are kept with it, so
    that a document's page can say what the last check found in that document."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    event = {"event_id": str(uuid.uuid4()), "type": event_type, "time": utc_now(), "agent": actor or agent(),
             "object": obj, "outcome": outcome, "detail": detail}
    if files:
        event["files"] = dict(files)
    if findings:
        event["findings"] = list(findings)
    return event


def line_hash(line: bytes) -> str:
    """The hash a line's successor carries: SHA-256 of the line's bytes without its newline."""
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def _encode(event: dict) -> bytes:
    return json.dumps(event, ensure_ascii=False, sort_keys=True).encode("utf-8")


class EventLog:
    def __init__(self, folder: Path):
        self.path = Path(folder) / LOG_NAME
        self.head_path = Path(folder) / HEAD_NAME

    # --- reading ---

    def raw_lines(self) -> list[bytes]:
        """Every line of the log, newline kept (a torn last line has none)."""
        if not self.path.is_file():
            return []
        return self.path.read_bytes().splitlines(keepends=True)

    def events(self) -> list[dict]:
        """Every event that parses, oldest first (broken lines are left out: :meth:`check` reports them)."""
        found = []
        for line in self.raw_lines():
            try:
                event = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
            if isinstance(event, dict):
                found.append(event)
        return found

    def read_head(self) -> dict | None:
        try:
            head = json.loads(self.head_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (json.JSONDecodeError, UnicodeDecodeError, OSError):
            return {"broken": True}
        return head if isinstance(head, dict) else {"broken": True}

    def check(self) -> list[Finding]:
        """Every break in the chain: a line that is not JSON, a prev_hash that does not match the line
        before (a line edited, inserted or deleted), a head that does not match the last line."""
        where = LOG_NAME
        findings = []
        previous = GENESIS
        lines = self.raw_lines()
        for number, line in enumerate(lines, start=1):
            if not line.endswith(b"\n"):
                findings.append(Finding(where, f"line {number} is incomplete (no end of line)"))
            try:
                event = json.loads(line)
                if not isinstance(event, dict):
                    raise ValueError
            except (ValueError, UnicodeDecodeError):
                findings.append(Finding(where, f"line {number} is not a JSON event: the log was edited or damaged"))
                previous = line_hash(line)
                continue
            if event.get("prev_hash") != previous:
                findings.append(Finding(where, f"line {number} does not follow line {number - 1}: its prev_hash "
                                               f"does not match (a line was edited, inserted or deleted)"
                                        if number > 1 else
                                        "line 1 does not start the chain: a line before it was deleted"))
            previous = line_hash(line)
        head = self.read_head()
        if head is None:
            if lines:
                findings.append(Finding(HEAD_NAME, "missing, but the event log has lines"))
        elif head.get("broken"):
            findings.append(Finding(HEAD_NAME, "is not valid JSON"))
        elif head.get("lines") != len(lines) or head.get("hash") != (line_hash(lines[-1]) if lines else GENESIS):
            findings.append(Finding(HEAD_NAME, f"records {head.get('lines')} line(s) ending in hash "
                                               f"{str(head.get('hash'))[:12]}…, the log has {len(lines)}: lines were "
                                               f"deleted or edited at the end"))
        return findings

    # --- writing (the caller holds the archive lock) ---

    def append(self, events: list[dict]) -> None:
        """Chain ``events`` onto the log in one write, fsync it, then move the head."""
        if not events:
            return
        lines = self.raw_lines()
        if not lines and self.read_head() is None:
            # the head exists before the first line: a log with lines and no head was tampered with
            self.write_head(0, GENESIS)
        previous = line_hash(lines[-1]) if lines else GENESIS
        count = len(lines)
        data = b""
        for event in events:
            line = _encode(dict(event, prev_hash=previous))
            data += line + b"\n"
            previous = line_hash(line)
            count += 1
        try:
            append_durably(self.path, data)
        except OSError as err:
            raise storage_error(err, f"the event log {self.path}", "the log is as it was before") from None
        checkpoint("events-appended")
        try:
            self.write_head(count, previous)
        except OSError as err:
            raise storage_error(err, f"the event log head {self.head_path}", "the events are logged; the next "
                                "command that changes the archive moves the head") from None

    def write_head(self, lines: int, last_hash: str) -> None:
        atomic_write_json(self.head_path, {"lines": lines, "hash": last_hash}, mode=0o644)

    def recover(self) -> list[str]:
        """After a crash: drop a torn last line the head does not cover, and move the head forward over
        complete lines appended after it. Returns what was done."""
        done = []
        lines = self.raw_lines()
        head = self.read_head()
        if head is None and not lines:
            return done
        head_lines = head.get("lines", 0) if head and not head.get("broken") else None
        if lines and not lines[-1].endswith(b"\n") and (head_lines is None or head_lines < len(lines)):
            keep = sum(len(line) for line in lines[:-1])
            with open(self.path, "r+b") as handle:
                handle.truncate(keep)
                os.fsync(handle.fileno())
            lines = lines[:-1]
            done.append("removed a torn last line of the event log")
        if head is None or head_lines is None:
            return done  # no head to move: the fixity check reports it
        if head_lines < len(lines):
            # the head is behind: a crash between the append and the head; only forward, and only if
            # the head's line is where it says
            covered = lines[head_lines - 1] if head_lines else None
            if (line_hash(covered) if covered else GENESIS) == head.get("hash"):
                self.write_head(len(lines), line_hash(lines[-1]))
                done.append(f"moved the event log head over {len(lines) - head_lines} line(s)")
        return done

    def known_ids(self) -> set[str]:
        return {event.get("event_id") for event in self.events()}
