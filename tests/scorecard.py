"""The reliability scorecard: docs/RELIABILITY.md, written from a run of the reliability tests.

    python -m tests.scorecard          # runs tests/test_faults.py, test_concurrency.py, test_fuzz.py

Each reliability test takes the ``score`` fixture and counts the cases it tries under one row of ROWS
(``score("sigkill", 1)`` per trial, or ``score.case("queries")`` per Hypothesis example). A plain pytest
run counts too but writes nothing; this command runs the three files with a plugin that collects the
counts and the outcome of every test, then writes the table: kind of fault or input, cases tried, what
the software promises, and the result.
"""
from __future__ import annotations

import datetime as dt
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "RELIABILITY.md"
FILES = ["tests/test_faults.py", "tests/test_concurrency.py", "tests/test_fuzz.py", "tests/test_web_throttle.py",
         "tests/test_web_redirect.py", "tests/test_web_sessions.py", "tests/test_web_csv.py",
         "tests/test_web_serve.py"]
COMMAND = "python -m tests.scorecard"

# key: (section, kind of fault or input, what the software promises)
ROWS = {
    "sigkill": ("Faults", "SIGKILL of `taskforce ingest` during a batch (crash hook at a random step and file, "
                "or a random delay)",
                "`archive verify` clean afterwards; every file fully archived or absent; the next run archives "
                "the rest; `index status` consistent after the `index rebuild` it advises"),
    "enospc": ("Faults", "Disk full (ENOSPC, short writes) while writing the original, a sidecar, the event log, "
               "the drafts register or the index",
               "a clear `Error:` naming what could not be written; nothing half-written; nothing archived "
               "damaged; the next run completes"),
    "permission": ("Faults", "Permission denied while writing the archive, a sidecar, the event log or the index",
                   "a clear `Error:`; nothing half-written; nothing archived damaged"),
    "damaged-index": ("Faults", "Damaged index: a segment file deleted or truncated, the schema file or a lock "
                      "file left behind by a dead process",
                      "search says what happened and that `taskforce index rebuild` repairs it; rebuild does"),
    "damaged-workspace": ("Faults", "Damaged workspace: a sidecar with invalid JSON, a missing PDF, an edited "
                          "event line",
                          "`archive verify` names each; list, show, search and ingest keep working"),
    "concurrent-ingest": ("Concurrency", "Four processes ingesting overlapping folders into one archive",
                          "every distinct file stored once, no duplicate ids, event chain intact, index "
                          "consistent"),
    "search-during-rebuild": ("Concurrency", "Searches running while the index is rebuilt",
                              "results or a clear \"index busy\" error, never a traceback"),
    "pdf-mutations": ("Hostile input", "Mutated PDFs (Hypothesis: bit flips, truncations, spliced objects, "
                      "inserted bytes)",
                      "archived or rejected with a reason within the time limit; never a traceback or a hang"),
    "pdf-bombs": ("Hostile input", "Deeply nested, cyclic and decompression-bomb PDFs",
                  "rejected or archived within the time and memory limits"),
    "names": ("Hostile input", "Metadata and names: path separators, `..`, NUL and control characters, very long "
              "values, NFC/NFD, right-to-left marks (titles, parties, references, file names, quarantine)",
              "never a write outside the workspace; a clear error or a safe normalised value"),
    "templates": ("Hostile input", "Session and agreement data with Jinja syntax, XML special characters, Word "
                  "field codes",
                  "printed literally in the .docx; the document stays complete"),
    "queries": ("Hostile input", "Queries: random text, unbalanced quotes and brackets, huge queries, unknown "
                "fields, bad filters",
                "results or a clear error, never a traceback"),
    "manifests": ("Hostile input", "Manifests: wrong columns, bad encodings, duplicate rows, unparsable dates, "
                  "random CSV",
                  "a clear error before anything is ingested, or that row's file rejected with its reason"),
    "web-throttle": ("Web attacks", "Sign-in floods: 20 simultaneous `POST /login` for one name, posts with a "
                     "forged CSRF token and new names, thousands of names against the throttle's table, a forged "
                     "`X-Forwarded-For`",
                     "at most 5 attempts per name and per address in 15 minutes reach the password check, "
                     "however parallel; forged posts leave no trace; the table stays bounded; "
                     "`X-Forwarded-For` counts only with `serve --trusted-proxy`"),
    "web-redirect": ("Web attacks", "Open redirects: `next=` with `//host`, `/\\host`, `/%09/host`, schemes, "
                     "encoded slashes and backslashes, whitespace, control and invisible characters, CR/LF, to "
                     "`/lang/CODE` and through a sign-in",
                     "a redirect only to a path of this site, else to `/`; a CR or LF is a 400 page, never a 500"),
    "web-sessions": ("Web attacks", "Replayed session cookies: saved before a logout (and on another device), "
                     "before `users add --replace`, before `users remove` (and the name added again)",
                     "the replayed cookie is signed out: no restricted document is found"),
    "web-csv": ("Web attacks", "Spreadsheet formulas in CSV exports: a PDF whose own /Title is "
                "`=HYPERLINK(...)`, parties starting with `@`, sectors with `+`, places with `-`",
                "every such cell starts with `'` in the web page's `format=csv` and in `search --csv`; numbers "
                "stay numbers"),
    "web-server": ("Web attacks", "`taskforce serve` itself: its `Server` header, a 200 KB request body, "
                   "Ctrl+C",
                   "waitress, not a development server; `Server: taskforce` with no version; 413 for the body; "
                   "no traceback"),
}

_counts: dict[str, int] = defaultdict(int)
_tests: dict[str, set[str]] = defaultdict(set)


class Score:
    """What the ``score`` fixture gives a test: ``score(key, n)`` counts n cases under ROWS[key]."""

    def __init__(self, nodeid: str):
        self.nodeid = nodeid

    def __call__(self, key: str, cases: int = 1) -> None:
        if key not in ROWS:
            raise KeyError(f"unknown scorecard row {key!r}")
        _counts[key] += cases
        _tests[key].add(self.nodeid)

    case = __call__


@pytest.fixture
def score(request) -> Score:
    return Score(request.node.nodeid)


class Collector:
    """The pytest plugin of ``python -m tests.scorecard``: outcome and duration of every test."""

    def __init__(self):
        self.outcomes: dict[str, str] = {}
        self.durations: dict[str, float] = defaultdict(float)

    def pytest_runtest_logreport(self, report):
        self.durations[report.nodeid] += report.duration
        if report.failed:
            self.outcomes[report.nodeid] = "failed"
        elif report.skipped and report.nodeid not in self.outcomes:
            self.outcomes[report.nodeid] = "skipped"
        elif report.when == "call" and report.passed and report.nodeid not in self.outcomes:
            self.outcomes[report.nodeid] = "passed"


def render(collector: Collector, seconds: float) -> str:
    lines = [
        "# Reliability scorecard",
        "",
        "What the reliability tests tried against taskforce, and what came of it. The numbers are from the last "
        f"run of `{COMMAND}`, which runs `{'`, `'.join(FILES)}` and rewrites this file; do not edit it by hand.",
        "",
        f"Last run: {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, Python "
        f"{platform.python_version()} on {platform.system()} {platform.machine()}, {seconds:.0f} s in all.",
        "",
    ]
    section = None
    for key, (group, kind, promise) in ROWS.items():
        if group != section:
            section = group
            lines += ["", f"## {group}", "", "| fault or input | cases tried | promise | result | tests |",
                      "| --- | ---: | --- | --- | --- |"]
        tests = sorted(_tests.get(key, ()))
        outcomes = [collector.outcomes.get(test, "not run") for test in tests]
        if not tests:
            result = "not run"
        elif all(outcome == "passed" for outcome in outcomes):
            result = f"kept ({len(tests)} test(s) passed)"
        else:
            bad = sum(1 for outcome in outcomes if outcome != "passed")
            result = f"**BROKEN**: {bad} of {len(tests)} test(s) did not pass"
        functions: dict[str, int] = {}
        for test in tests:
            function = test.split("::")[-1].split("[")[0]
            functions[function] = functions.get(function, 0) + 1
        names = ", ".join(f"`{name}`" + (f" ×{count}" if count > 1 else "") for name, count in functions.items())
        lines.append(f"| {kind} | {_counts.get(key, 0)} | {promise} | {result} | {names} |")
    lines += ["", "## Bugs found and fixed", "", BUGS.strip(), ""]
    return "\n".join(lines)


# Kept by hand: each bug these tests found, fixed at its root, with the test that found it (still run).
BUGS = """
| bug | fixed in | found by |
| --- | --- | --- |
| A short write on a full disk left half an event line under a head that covered it: the chain stayed broken for good. The drafts register had the same flaw, and a torn line there swallowed the next entry. | `fsutil.append_durably` (write every byte, or cut back), used by `eventlog` and `register` | `test_short_write_of_the_event_log_leaves_no_torn_line`, `test_write_failure_of_the_drafts_register` |
| Disk full or permission denied while ingesting gave a bare `Error: No space left on device` without saying what was or was not stored; the files archived earlier in the batch were left out of the index. | `StorageError` from `archive`, `search`, `drafting`; the CLI indexes what was archived before the batch stopped | `test_write_failure_during_ingest` |
| A draft whose register entry could not be written stayed on disk as a version nobody knew of. | `drafting.render._store_version` removes it | `test_write_failure_of_the_drafts_register` |
| A damaged index: a truncated segment printed `Aborted!` (click reads EOFError as Ctrl-D), a truncated table of contents a `struct.error` traceback, a deleted segment a bare "No such file". | `IndexDamagedError` advising `taskforce index rebuild`; `index status` reports it | `test_damaged_index_is_reported_and_rebuild_repairs_it` |
| A file name that is not UTF-8 (`caf\\xe9.pdf`) stopped the batch with a `UnicodeEncodeError` traceback while writing the sidecar. | `fields.safe_name` for records, logs and messages | `test_hostile_file_names_and_values_stay_in_the_workspace` |
| Control characters (NUL, BEL, escape sequences), right-to-left overrides and 100,000-character values were archived as typed; file names with escape sequences were printed raw to the terminal. | `fields.clean_value` in `archive.Given` (refused) and `resolve_metadata` (cleaned) | `test_typed_metadata_is_refused_or_made_safe`, `test_hostile_file_names_and_values_stay_in_the_workspace` |
| A rejected file whose name was near the 255-byte limit crashed the batch: `NAME.reason.txt` did not fit. | `archive._fitting_name` | `test_hostile_file_names_and_values_stay_in_the_workspace` |
| A query of one 100,000-character word ran for 236 s (the "Did you mean" edit-distance search). | `search.MAX_QUERY`, `MAX_SUGGESTED_WORD` | `test_hostile_queries` |
| A query typed with a combining accent (NFD: `Е` + U+0308) found nothing. | NFC in `search.search` and `document_fields`; schema version 2 | `test_nfc_and_nfd_find_each_other` |
| Manifests: a cell over the csv module's limit gave a `csv.Error` traceback; a column given twice let one silently win; a row with extra or missing values silently lost or shifted them. | `archive.read_manifest` | `test_bad_manifests_stop_before_anything_is_ingested`, `test_bad_manifest_rows_reject_only_their_file` |
| 20 simultaneous sign-ins for one name (19 wrong passwords, 1 right) gave 19×401 and 1×302, never a 429: the throttle checked before the password and counted after it. Every posted name took an entry, even with a failed CSRF check, with no bound. | `web.app.LoginThrottle.attempt` (counted before the check, under one lock; bounded table) | issue 13 item 5; `test_parallel_sign_ins_cannot_beat_the_limit`, `test_posts_that_fail_the_csrf_check_are_not_remembered` |
| `GET /lang/ru?next=/%09/evil.com` redirected to `//evil.com` (browsers drop the tab), also through a sign-in's `next`; a newline in `next` was a 500. | `web.app._local_path` | issue 13 item 6; `test_language_switch_never_redirects_off_site`, `test_a_newline_in_next_is_a_400_page` |
| A cookie saved before logout, before a password change or before the account was removed and added again still found restricted documents. | session token in `web/users.json` (`users.session_token`, `end_sessions`), checked by `web.app.current_user` | issue 13 item 7; `test_logout_ends_every_session_of_the_user` and the two after it |
| A PDF's own /Title `=HYPERLINK(...)` came out as a live formula in the web CSV and in `search --csv`. | `csvsafe.safe_cell`, used by both exports | issue 13 item 8; `test_web_csv_neutralises_formulas`, `test_cli_csv_neutralises_formulas` |
| `serve` ran Werkzeug's development server, whose `Server` header named the Werkzeug and Python versions. | `cli.web.serve` with waitress | issue 13 item 9; `test_serve_runs_waitress_without_versions` |
"""


def main(argv: list[str]) -> int:
    collector = Collector()
    started = time.perf_counter()
    status = pytest.main(["-q", "-p", "no:cacheprovider", *FILES, *argv], plugins=[collector])
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(render(collector, time.perf_counter() - started), encoding="utf-8")
    print(f"wrote {DOC.relative_to(REPO)}")
    return int(status)


if __name__ == "__main__":
    # run as tests.scorecard, the module the tests' fixture counts into (not as a second copy, __main__)
    sys.path.insert(0, str(REPO))
    from tests import scorecard

    sys.exit(scorecard.main(sys.argv[1:]))
