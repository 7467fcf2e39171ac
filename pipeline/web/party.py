"""The party page (/party/ID): a party's names, seat, documents across sessions, partners and sectors, from
the documents the reader may see only (a party only hidden documents name answers 404, like a missing one);
the life of an agreement as one line (hits, document page)."""
from __future__ import annotations

import datetime as dt

from flask import Flask, abort, render_template

from ..vocab import AGREEMENT_STATUSES
from .filters import _date
from .language import _t, ui_lang
from .services import use_cases
from .visibility import reader


def life_line(life: dict | None) -> str:
    """"in vigore · in vigore dal 11 aprile 2003 · 240 mesi · fino al 10 aprile 2023" in the page's language."""
    if not life:
        return ""
    parts = [_t(f"status.{life['status']}")]
    if life.get("in_force_on"):
        parts.append(_t("life.from", date=_date(_iso(life["in_force_on"]))))
    if life.get("duration_months"):
        parts.append(_t("life.months", n=life["duration_months"]))
    parts.append(_t("life.until", date=_date(_iso(life["expires_on"]))) if life.get("expires_on") else _t("life.no_end"))
    return " · ".join(parts)


def _iso(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def register(app: Flask) -> None:
    app.jinja_env.globals.update(life_line=life_line, agreement_statuses=AGREEMENT_STATUSES,
                                 region_name=lambda key: use_cases().region_name(key, ui_lang()) if key else "")

    @app.get("/party/<party_id>")
    def party_page(party_id):
        if len(party_id) > 100:
            abort(404)
        page = use_cases().party_page(party_id, reader())
        if page is None:
            abort(404)
        return render_template("party.html", page=page, party=page["party"])
