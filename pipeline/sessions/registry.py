"""The session registry: one YAML file per session in the workspace's ``sessions/`` folder.

A session file names the session's number, dates, host country and city, and optionally its region,
venue, co-chairs, thematic tables, participants and next session. Every text that appears in a bilingual
document is given as ``{it: ..., ru: ...}``. See README.md, "Session files".
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..cache import ContentCache, content_key, folder_key
from .dates import format_range
from ..errors import ConflictError, Finding, NotFoundError, ValidationError
from .fields import FieldChecker
from ..fsutil import atomic_write_bytes
from ..vocab import COUNTRIES
from ..workspace import Workspace

COUNTRY_NAMES = {"IT": {"it": "Italia", "ru": "Италия"}, "RU": {"it": "Russia", "ru": "Россия"}}
TOP_FIELDS = ("number", "start", "end", "country", "city", "region", "venue", "co_chairs", "tables",
              "participants", "projects", "next_session")
CO_CHAIR_FIELDS = ("country", "name", "gender", "role", "institution")
TABLE_FIELDS = ("sector", "topics", "outcomes")
PARTICIPANT_FIELDS = ("country", "name")
NEXT_FIELDS = ("country", "city", "region", "period", "start", "end")
KEPT = 256   # session files' YAML and sessions kept per process, under their content's sha256
# Each caller gets its own copy: ingest looks the registry up file after file, and the web page labels its
# session facet at every request (parsing every YAML file per request would slow it).
_YAML = ContentCache("sessions.yaml", KEPT, copy=copy.deepcopy)
_SESSIONS = ContentCache("sessions.session", KEPT, copy=copy.deepcopy)
_BY_NUMBER = ContentCache("sessions.by_number", 8)


@dataclass
class Session:
    number: int
    start: dt.date
    end: dt.date
    country: str
    city: dict
    region: dict | None = None
    venue: dict | None = None
    co_chairs: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    participants: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    next_session: dict | None = None
    source: str = ""

    @property
    def year(self) -> int:
        return self.start.year

    def dates_text(self, lang: str) -> str:
        return format_range(self.start, self.end, lang)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat()
        data["dates"] = {lang: self.dates_text(lang) for lang in ("it", "ru")}
        if self.next_session:
            data["next_session"] = {key: (value.isoformat() if isinstance(value, dt.date) else value)
                                    for key, value in self.next_session.items()}
        return data

    def summary(self) -> dict:
        """One row of ``sessions list``."""
        return {
            "number": self.number,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "country": self.country,
            "city": f"{self.city['it']} / {self.city['ru']}",
            "tables": len(self.tables),
        }


def session_filename(number: int) -> str:
    return f"session-{number:03d}.yaml"


@functools.lru_cache(maxsize=1)
def _yaml():
    """PyYAML and its safe loader (libyaml's, about ten times faster, when PyYAML was built with it), except
    that dates stay text: YAML would turn `2015-11-31` into a ValueError with no field name, and our own date
    parser reports it as a finding on the field instead. Imported when a session file is first read, not by
    every command that imports the registry (a search reads no session file)."""
    import yaml

    class TextDatesLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        yaml_implicit_resolvers = {
            first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }

    return yaml, TextDatesLoader


def load_yaml(path: Path) -> object:
    return _parse_yaml(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder: give the path of a YAML file") from None


def _parse_yaml(path: Path, raw: bytes) -> object:
    """The YAML of a file's bytes; a process parses each content once (ingest looks up the sessions file
    after file) and gives each caller its own copy."""
    return _YAML.get(content_key(raw), lambda: _parse_text(path, raw))


def _parse_text(path: Path, raw: bytes) -> object:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValidationError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start}); save it as UTF-8") from None
    yaml, loader = _yaml()
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ValidationError(f"{path}: not valid YAML{where}: {problem}") from None


def parse_session(data: object, where: str) -> tuple[Session | None, list[Finding]]:
    """Validate one session's data; return the Session (or None) and every finding."""
    if data is None:
        return None, [Finding(where, "empty file: a session needs number, start, end, country and city")]
    check = FieldChecker(where)
    data = check.mapping(data, "", TOP_FIELDS)
    if data is None:
        return None, check.findings
    number = data.get("number")
    if number is None:
        check.problem("number", "missing")
    elif isinstance(number, bool) or not isinstance(number, int) or number < 1:
        check.problem("number", f"must be a whole number from 1, got {number!r}")
        number = None
    start = check.date(data.get("start"), "start")
    end = check.date(data.get("end"), "end")
    if start and end and end < start:
        check.problem("end", f"{end.isoformat()} is before the start {start.isoformat()}")
    country = check.choice(data.get("country"), "country", COUNTRIES)
    city = check.forms(data.get("city"), "city")
    region = check.bilingual(data.get("region"), "region", required=False)
    venue = check.bilingual(data.get("venue"), "venue", required=False)

    co_chairs = []
    for i, item in enumerate(check.listing(data.get("co_chairs"), "co_chairs")):
        path = f"co_chairs[{i}]"
        item = check.mapping(item, path, CO_CHAIR_FIELDS)
        if item is not None:
            co_chairs.append({
                "country": check.choice(item.get("country"), f"{path}.country", COUNTRIES),
                "name": check.forms(item.get("name"), f"{path}.name"),
                "gender": check.gender(item.get("gender"), f"{path}.gender"),
                "role": check.forms(item.get("role"), f"{path}.role", required=False),
                # the side's lead institution (ministry), with its Russian forms if the derived ones are wrong
                "institution": check.forms(item.get("institution"), f"{path}.institution", required=False),
            })
    tables = []
    for i, item in enumerate(check.listing(data.get("tables"), "tables")):
        path = f"tables[{i}]"
        item = check.mapping(item, path, TABLE_FIELDS)
        if item is not None:
            tables.append({
                "sector": check.bilingual(item.get("sector"), f"{path}.sector"),
                "topics": [check.bilingual(t, f"{path}.topics[{j}]")
                           for j, t in enumerate(check.listing(item.get("topics"), f"{path}.topics"))],
                "outcomes": [check.bilingual(t, f"{path}.outcomes[{j}]")
                             for j, t in enumerate(check.listing(item.get("outcomes"), f"{path}.outcomes"))],
            })
    participants = []
    for i, item in enumerate(check.listing(data.get("participants"), "participants")):
        path = f"participants[{i}]"
        item = check.mapping(item, path, PARTICIPANT_FIELDS)
        if item is not None:
            participants.append({
                "country": check.choice(item.get("country"), f"{path}.country", COUNTRIES),
                "name": check.bilingual(item.get("name"), f"{path}.name"),
            })
    projects = [check.bilingual(p, f"projects[{i}]")
                for i, p in enumerate(check.listing(data.get("projects"), "projects"))]
    next_session = None
    raw_next = check.mapping(data.get("next_session"), "next_session", NEXT_FIELDS, required=False)
    if raw_next is not None:
        next_session = {
            "country": check.choice(raw_next.get("country"), "next_session.country", COUNTRIES),
            # the city may be left out while it is not decided: the Protocol says so
            "city": check.forms(raw_next.get("city"), "next_session.city", required=False),
            "region": check.bilingual(raw_next.get("region"), "next_session.region", required=False),
            "period": check.forms(raw_next.get("period"), "next_session.period", required=False),
            "start": check.date(raw_next.get("start"), "next_session.start", required=False),
            "end": check.date(raw_next.get("end"), "next_session.end", required=False),
        }
        if country and next_session["country"] == country:
            check.problem("next_session.country", "sessions alternate between Italy and Russia: the next session "
                          f"should be held in {'RU' if country == 'IT' else 'IT'}, not {country}")
    if check.findings:
        return None, check.findings
    return Session(number=number, start=start, end=end, country=country, city=city, region=region,
                   venue=venue, co_chairs=co_chairs, tables=tables, participants=participants,
                   projects=projects, next_session=next_session, source=where), []


def read_session_file(path: Path, data: object = None) -> Session:
    """The session of ``path`` (``data``: its YAML, when already read). A valid file read from disk is
    parsed once per content and process; each caller gets its own copy."""
    if data is None:
        raw = _read_bytes(path)
        return _SESSIONS.get(content_key(raw, str(path)), lambda: _valid_session(path, _parse_yaml(path, raw)))
    return _valid_session(path, data)


def _valid_session(path: Path, data: object) -> Session:
    session, findings = parse_session(data, str(path))
    if findings:
        raise ValidationError(f"{path} is not a valid session file ({len(findings)} problem(s)):", findings)
    return session


def _session_files(ws: Workspace) -> list[Path]:
    if not ws.sessions.is_dir():
        return []
    return sorted(p for p in ws.sessions.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def list_sessions(ws: Workspace) -> list[Session]:
    """Every session of the registry, by number. A broken file is an error: run ``sessions check``."""
    sessions = []
    problems = []
    for path in _session_files(ws):
        try:
            sessions.append(read_session_file(path))
        except ValidationError as err:
            problems.extend(err.findings or [Finding(str(path), err.message)])
    if problems:
        raise ValidationError("the session registry has invalid files; fix them (see 'taskforce sessions check'):",
                              problems)
    return sorted(sessions, key=lambda s: s.number)


def get_session(ws: Workspace, number: int) -> Session:
    """Session ``number``: its file is looked for under its usual name first (session-NNN.yaml), then in
    every file of the registry; each file is read once."""
    usual = ws.sessions / session_filename(number)
    files = _session_files(ws)
    for path in sorted(files, key=lambda p: p != usual):
        data = load_yaml(path)
        if isinstance(data, dict) and data.get("number") == number:
            return read_session_file(path, data)
    known = ", ".join(str(s.number) for s in readable_sessions(ws)) or "none"
    raise NotFoundError(f"no session {number} in {ws.sessions} (sessions registered: {known}); "
                        f"add it with 'taskforce sessions add FILE'")


def readable_sessions(ws: Workspace) -> list[Session]:
    """The sessions whose files are valid, skipping broken ones (for lookups that must not fail on them)."""
    found = []
    for path in _session_files(ws):
        try:
            found.append(read_session_file(path))
        except (ValidationError, NotFoundError):
            continue
    return sorted(found, key=lambda s: s.number)


def sessions_by_number(ws: Workspace) -> dict[int, Session]:
    """The readable sessions by number, shared by the callers of a process until a file of the registry
    changes (the search page labels its session facet with them at every request): read, never change them."""
    key = folder_key(ws.sessions)
    if key is None:
        return {}
    return _BY_NUMBER.get(key, lambda: {session.number: session for session in readable_sessions(ws)})


def add_session(ws: Workspace, path: Path, replace: bool = False) -> Session:
    """Validate a session file and copy it into the registry as ``session-NNN.yaml``."""
    session = read_session_file(Path(path))
    target = ws.sessions / session_filename(session.number)
    existing = [p for p in _session_files(ws) if _number_of(p) == session.number]
    if existing and not replace:
        raise ConflictError("session.exists", number=session.number, path=existing[0], field="replace")
    others = [s for s in readable_sessions(ws) if s.number != session.number]
    overlaps = [s for s in others if s.start <= session.end and session.start <= s.end]
    if overlaps:
        raise ValidationError(f"session {session.number} ({session.start} – {session.end}) overlaps "
                              f"session {overlaps[0].number} ({overlaps[0].start} – {overlaps[0].end}); check the dates")
    atomic_write_bytes(target, Path(path).read_bytes())
    for old in existing:
        if old != target:
            old.unlink()
    session.source = str(target)
    return session


def registered_file(ws: Workspace, number: int) -> Path | None:
    """The registry's file of session ``number`` (its usual name first), valid or not; None when no file
    says that number: what editing a session replaces, even a broken file being corrected."""
    usual = ws.sessions / session_filename(number)
    return next((path for path in sorted(_session_files(ws), key=lambda p: p != usual)
                 if _number_of(path) == number), None)


def _number_of(path: Path):
    try:
        data = load_yaml(path)
    except (ValidationError, NotFoundError):
        return None
    return data.get("number") if isinstance(data, dict) else None


def check_sessions(ws: Workspace) -> dict:
    """Validate every session file and the registry as a whole; report every problem at once."""
    findings: list[Finding] = []
    sessions: list[Session] = []
    for path in _session_files(ws):
        try:
            session, problems = parse_session(load_yaml(path), str(path))
        except (ValidationError, NotFoundError) as err:
            findings.append(Finding(str(path), err.message.replace(f"{path}: ", "", 1)))
            continue
        findings.extend(problems)
        if session:
            sessions.append(session)
    by_number: dict[int, Session] = {}
    for session in sorted(sessions, key=lambda s: (s.number, s.source)):
        if session.number in by_number:
            findings.append(Finding(session.source, f"number: {session.number} is also used by "
                                                    f"{by_number[session.number].source}"))
        else:
            by_number[session.number] = session
    ordered = sorted(sessions, key=lambda s: (s.start, s.number))
    for i, first in enumerate(ordered):
        for second in ordered[i + 1:]:
            if second.start > first.end:
                break
            if second.number != first.number:
                findings.append(Finding(second.source, f"start: session {second.number} "
                                        f"({second.start} – {second.end}) overlaps session {first.number} "
                                        f"({first.start} – {first.end}) in {first.source}"))
    warnings = announcement_warnings(by_number)
    return {"files": len(_session_files(ws)), "sessions": len(by_number),
            "problems": [f.as_dict() for f in findings], "ok": not findings,
            "warnings": [w.as_dict() for w in warnings]}


def announcement_warnings(by_number: dict[int, Session]) -> list[Finding]:
    """Where a session's ``next_session`` (what its Protocol announced) disagrees with the next session as
    registered: a warning naming both, not a problem (a venue announced may change; the Protocol said what
    it said), so that whoever keeps the registry looks at which of the two is wrong."""
    warnings = []
    for number, session in sorted(by_number.items()):
        announced, held = session.next_session, by_number.get(number + 1)
        if not announced or held is None:
            continue
        where = f"{session.source}: next_session"
        about = f"session {number} announces"
        then = f"session {held.number} ({held.source})"
        if announced.get("country") and announced["country"] != held.country:
            warnings.append(Finding(f"{where}.country", f"{about} a session in {announced['country']}, but "
                                                        f"{then} is in {held.country}"))
        city = announced.get("city")
        if city and not any(_folded(city.get(lang)) == _folded(held.city.get(lang)) for lang in ("it", "ru")):
            warnings.append(Finding(f"{where}.city", f"{about} {city['it']}, but {then} is in {held.city['it']}"))
        for key, actual in (("start", held.start), ("end", held.end)):
            if announced.get(key) and announced[key] != actual:
                warnings.append(Finding(f"{where}.{key}", f"{about} the {key} {announced[key].isoformat()}, but "
                                                          f"{then} {key}s on {actual.isoformat()}"))
    return warnings


def _folded(text: str | None) -> str:
    return " ".join((text or "").casefold().split())

