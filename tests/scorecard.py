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
         "tests/test_web_serve.py", "tests/test_confidentiality.py", "tests/test_archive_access.py",
         "tests/test_protocol_annex.py", "tests/test_search_budget.py", "tests/test_previews.py",
         "tests/test_web_public_ids.py", "tests/test_web_limits.py"]
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
    "conf-web": ("Confidentiality", "Every anonymous web route asked the same questions with and without a "
                 "restricted and an internal document in the archive: search pages (20 queries × 7 filters, "
                 "pages, sorts), `format=json` and `format=csv` exports, facets, suggestions, scores, session "
                 "pages, the timeline, statistics and their charts, document pages, PDF addresses by id and "
                 "by number",
                 "identical answers (leaks found: 0): a hidden document changes no count, score, facet, "
                 "suggestion, export, chart or page, and its addresses answer the same 404 as an id that "
                 "never existed"),
    "conf-cli": ("Confidentiality", "`taskforce search` without `--include-restricted` asked the same questions "
                 "with and without a restricted document (JSON, facets, pages, sorts)",
                 "identical hits, totals, pages, facets and suggestions (leaks found: 0); scores come from "
                 "the whole index there (the command line runs with the workspace's files in hand)"),
    "conf-sources": ("Confidentiality", "Where a confidentiality level comes from: a restricted draft rendered "
                     "to PDF and ingested without an option, a manifest saying public, an explicit option "
                     "lowering it, the Protocol's annex of a session with a restricted agreement",
                     "the more restrictive source wins unless the option is explicit (then a `policy "
                     "assignment` event is logged); a public Protocol names no restricted agreement"),
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
    "web-slop": ("Web attacks", "Costly queries (issue 26): phrases with a slop of 11 to 1,000,000 "
                 "(`\"accordo cooperazione\"~1000`) on the web page (HTML, JSON, CSV; Italian and Russian) and the "
                 "command line, a wildcard standing for more words than allowed, searches past their time (the "
                 "collector, with and without a filter, and the snippets' phrase check)",
                 "refused at once with a message naming the limit (the web page: 400, in its language; the command "
                 "line: exit 2); past 5 s a search stops with a clear error; eight `~1000` at once leave a normal "
                 "search under 0.1 s (bench/bench_web.py `--slop-only`)"),
    "web-images": ("Web attacks", "Page images of a 200 × 200-inch page and of a 100,000 × 100,000-pixel image, "
                   "asked by a search list, the document page and their own addresses, twice; six at once",
                   "neither list nor document page renders; each image is rendered at most once (a failure is "
                   "remembered and answered with a placeholder); a page image stays within 12 million pixels; two "
                   "renders at a time at most; ingest warns about the huge page"),
    "web-ids": ("Web attacks", "Identifiers (issue 26): an archive with a restricted document ingested between "
                "public ones against one without it; hidden, missing and archive ids (`TFA-000003`, `3`) as a "
                "visitor's addresses, with every suffix",
                "the public sees the same ids, addresses and references in both (public ids from each "
                "original's SHA-256; `TFA-…` for staff only); a hidden and a missing address take one path: "
                "no record read, the same 404"),
    "web-odd-ids": ("Web attacks", "Odd addresses: `/doc/²`, `/doc/①/thumb.png`, `/doc/³/page/1.png`, ids of "
                    "4,300+ digits, Arabic-Indic digits, upper-case or short public ids, `/session/²`, anonymous "
                    "and signed in",
                    "a 404 page; no traceback, in the page or the log"),
    "web-slow": ("Web attacks", "Slow clients and the rest (issue 26): waitress's settings, the session cookie "
                 "over HTTPS (with `--secure-cookies`, behind `--trusted-proxy`, a forged `X-Forwarded-Proto`), "
                 "a chart asked in a loop, `GET /lang/CODE` and a forged post from another site",
                 "idle connections closed after 15 s, 500 at once (header and body timeouts are the proxy's: "
                 "README, \"Deploying\"); the cookie Secure over HTTPS only when trusted; a chart drawn once per "
                 "state of the archive, reader and language; no GET changes the session"),
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
| `/?q="accordo cooperazione industriale"~1000` took 426 s of CPU (the phrase matched again for the snippet); eight `~1000` at once made a normal search wait 62 s. | `search.budget` (slop at most 10, wildcards at most 1,000 words, a 5 s deadline in the collector and the snippets' phrase check) | issue 26 item 1; `test_a_phrase_with_too_much_slop_is_refused_naming_the_limit`, `test_the_collector_stops_at_the_deadline` |
| A failed `pdftoppm` was never remembered (a 200 × 200-inch page rendered again for 30 s at each request, 1.9 GB each); the document page made the thumbnail before answering (30 s for a 100,000-pixel image). | `web.previews` (size read first, 12 million pixels at most, memory and CPU limits in the child, a `.failed` file and a placeholder, two renders at once), `web.images.available` | issue 26 item 2; `test_the_document_page_never_waits_for_an_image_and_none_is_made_twice` |
| The public listing's ids skipped exactly the hidden documents; hidden ids answered their 404 slower than missing ones (the record was read before the access check). | public ids (`archive.layout.public_id_of`), looked up in the reader's index (`search.lookup`) by `web.visibility` | issue 26 item 3; `test_the_public_sees_the_same_ids_and_references_with_a_hidden_document_ingested_between`, `test_a_hidden_address_takes_the_path_of_a_missing_one_and_reads_no_record` |
| `/doc/²`, `/doc/①/thumb.png` and ids of 4,300+ digits answered 500 with a traceback in the log each. | `web.visibility` (ASCII digits of bounded length, or a public id, else 404 before anything is read) | issue 26 item 4; `test_odd_addresses_are_404_pages_and_no_traceback` |
| `GET /lang/CODE` changed the session (another site could switch a visitor's language); charts were drawn again at every request; the cookie could never be Secure. | `web.app.switch_language` (a post with CSRF), `web.charts`, `web.cookies` | issue 26 item 6; `test_no_get_changes_the_language`, `test_a_chart_is_drawn_once_until_the_archive_changes`, `test_the_session_cookie_is_secure_over_https` |
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
