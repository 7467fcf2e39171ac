"""The agreement data of the drafts register as the index reads it: each register line's reference and its
``agreement`` (DraftEntry.agreement in pipeline/drafting/register.py: the parties' names, countries and
seats, the duration in months). The lines are read here as the JSON they are, without importing the drafting
stage, which `taskforce search` must not load (tests/test_search_start.py): DraftEntry stays the one model of
a register line; tests/test_parties.py checks that the two agree on the file and the field."""
from __future__ import annotations

import json
from dataclasses import dataclass

from ..cache import ContentCache, file_key
from ..workspace import Workspace

REGISTER_NAME = "register.jsonl"        # drafting.register.REGISTER_NAME, in Workspace.drafts


@dataclass(frozen=True)
class AgreementData:
    reference: str
    agreement: dict


_READ = ContentCache("register agreement data", limit=4)


def agreement_data(ws: Workspace) -> list[AgreementData]:
    """The lines of the drafts register that carry agreement data, oldest first (a torn or foreign line is
    skipped, as the register's own reader does)."""
    path = ws.drafts / REGISTER_NAME
    key = file_key(path)
    if key is None:
        return []

    def read() -> list[AgreementData]:
        found = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(data, dict) and isinstance(data.get("agreement"), dict) and data.get("reference"):
                found.append(AgreementData(str(data["reference"]), data["agreement"]))
        return found
    return _READ.get(key, read)


def durations(ws: Workspace) -> dict[str, int]:
    """Each reference's duration in months, as its newest line's agreement data gives it."""
    found = {}
    for line in agreement_data(ws):
        months = line.agreement.get("duration_months")
        if isinstance(months, int):
            found[line.reference] = months
    return found
