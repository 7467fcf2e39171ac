"""The search page's parameters: the SearchRequest of a query string, its messages in the page's language,
the active filters, facet labels, and the links that keep the current search."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from flask import g, request, url_for

from ..archive.document import Document
from ..errors import DateFormatError
from ..search import SearchRequest
from ..search.labels import sector_name
from ..search.query import label_matcher
from ..sessions.registry import sessions_by_number
from . import formats, i18n
from .filters import MARK, _local
from .language import _t, ui_lang
from .services import use_cases
from .signin import current_user
from .site import _ws
from .visibility import address_of, reader, shown_hits

PER_PAGE = 10
FACET_PARAM = {"session": "session", "year": "year", "type": "type", "sectors": "sector", "country": "country",
               "status": "status", "regions": "region", "parties": "party"}
SEARCH_PARAMS = ("q", "session", "session_from", "session_to", "year", "from", "to", "type", "sector", "party",
                 "region", "status", "country", "lang", "sort")
# Parameters of staff only: a visitor's links never carry them, and a visitor's request with one is a 400
STAFF_PARAMS = ("differs",)
# Labels of the search parameters in the page's messages
PARAM_LABEL = {"session": "field.session", "session_from": "search.session_from", "session_to": "search.session_to",
               "year": "field.year", "page": "field.page", "type": "field.type", "country": "field.country",
               "lang": "field.lang", "sort": "sort", "format": "field.format", "from": "field.from",
               "to": "field.to", "region": "field.region", "status": "field.status", "sector": "field.sector",
               "party": "field.party"}


def _params() -> tuple[str, ...]:
    """The search parameters the reader's links keep: a visitor's, without the staff's."""
    return SEARCH_PARAMS + (STAFF_PARAMS if current_user() else ())


def _back_query() -> str:
    """The query string of the search a page was reached from (the 'back' parameter), search parameters only."""
    params = _params()
    kept = [(key, value) for key, value in parse_qsl(request.args.get("back", ""))
            if key in params + ("page",) and value][:len(params) + 1]
    return urlencode(kept)


def _doc_url(item, back: str | None = None) -> str:
    """The document page's address (of a hit, a record or a public id), carrying the search it is reached from
    (``back``: a query string)."""
    address = item if isinstance(item, str) else address_of(item)
    return url_for("document_page", doc_id=address, **({"back": back} if back else {}))


def _url_with(endpoint: str = "search_page", drop: tuple = (), **changes) -> str:
    """The current search's URL with some parameters changed (None removes one); page resets unless given."""
    args = {key: value for key, value in request.args.items() if key in _params() + ("page",) and value}
    args.pop("page", None)
    for key in drop:
        args.pop(key, None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return url_for(endpoint) + ("?" + urlencode(args) if args else "")


def _search_query() -> str:
    """The current search's parameters as a query string (what a document link carries back)."""
    return urlencode([(key, value) for key, value in request.args.items()
                      if key in _params() + ("page",) and value])


@dataclass(frozen=True)
class FieldError:
    """A message of the page about one of its form fields (``field``: the field's name, None for the whole
    request); the page shows it in the list of problems and next to the field."""

    field: str | None
    text: str

    def __str__(self) -> str:
        return self.text


# The form field of each data path of a search request the library's errors name (the others are the same)
FORM_FIELD = {"query": "q"}


def field_error(err) -> FieldError:
    """A library error about a search request as the page says it: in the reader's language, naming the
    field by its label, placed at the form field its data path names."""
    name = FORM_FIELD.get(err.field, err.field) if err.field else None
    return FieldError(name, i18n.error_message(err, ui_lang(), lambda path: _t(PARAM_LABEL.get(path, path))))


def _int_arg(name: str, errors: list, low: int = 1, high: int = 10 ** 6) -> int | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        errors.append(FieldError(name, _t("err.number", field=_t(PARAM_LABEL.get(name, name)), value=value, low=low,
                                          high=high)))
        return None
    return int(value)


def search_request(errors: list, **extra):
    """The SearchRequest of the query string; problems go to ``errors`` (the page shows them). The page only
    parses (text to numbers, the form's words to the request's): the library checks the values
    (request_problems), once for every front end."""

    args = request.args

    def text(name: str, size: int = 200) -> str | None:
        return args.get(name, "").strip()[:size] or None

    low, high = _int_arg("session_from", errors), _int_arg("session_to", errors)
    sessions = None
    if low or high:
        sessions = (low or 1, high or 10 ** 6)
        if sessions[0] > sessions[1]:
            errors.append(FieldError("session_from", _t("err.session_range", low=low, high=high)))
    query_text = args.get("q", "").strip()[:1000]
    sort = text("sort", 100) or ("relevance" if query_text else "newest")
    if sort in ("relevance", "date"):       # an empty query has no relevance; 'date' is the older 'oldest'
        sort = "oldest" if sort == "date" else "relevance" if query_text else "newest"
    options = dict(
        differs=_differs(args.get("differs", "").strip(), errors),
        query=query_text, session=_int_arg("session", errors), sessions=sessions,
        year=_int_arg("year", errors, 1900, 2999), date_from=text("from", 100), date_to=text("to", 100),
        type=text("type", 100), party=text("party"), region=text("region"), status=text("status", 100), sector=sector_key(args.get("sector", "").strip()[:200]),
        country=text("country", 100), lang=text("lang", 100), sort=sort,
        page=_int_arg("page", errors) or 1, limit=PER_PAGE, facets=True, reader=reader(),
        mark=MARK, snippet_lang=ui_lang())
    options.update(extra)
    search_req = SearchRequest(**options)
    errors.extend(field_error(problem) for problem in use_cases().check_search(search_req))
    return search_req


def _differs(value: str, errors: list) -> bool:
    """differs=1: only the signed documents whose text differs from their approved draft. Staff only (the
    library refuses it to a visitor, a 400 saying so, whatever the documents: never a list that would tell
    which public documents differ); an empty value is no filter, as for every parameter."""
    if not value:
        return False
    if value != "1" and reader().sees_comparisons:      # a visitor hears that the filter is for staff
        errors.append(FieldError("differs", _t("err.choice", field=_t("field.differs"), value=value[:100],
                                               allowed="1")))
        return False
    return True


def run_search(search_req) -> dict:
    result = use_cases().search(search_req)
    return {**result, "hits": shown_hits(result["hits"])}


def active_filters(search_req) -> list[tuple[str, str, tuple]]:
    """(label, value, parameters to drop) of each filter in force, for the 'remove' links."""
    found = []
    args = request.args
    for name, label in (("session", "field.session"), ("year", "field.year"), ("type", "field.type"),
                        ("sector", "field.sector"), ("party", "field.party"), ("region", "field.region"),
                        ("status", "field.status"), ("country", "field.country"),
                        ("lang", "field.lang"), ("from", "field.from"), ("to", "field.to")):
        value = args.get(name, "").strip()
        if value:
            shown = _t(f"type.{value}") if name == "type" else _t(f"country.{value.upper()}") \
                if name == "country" else _t(f"lang.{value}") if name == "lang" else \
                sector_label(value) if name == "sector" else \
                facet_label("status", value) if name == "status" else \
                facet_label("regions", value) if name == "region" else \
                facet_label("session", value) if name == "session" else value     # as its facet says
            if name in ("from", "to"):      # the date read (a month: its first or last day), in the page's words
                try:
                    shown = formats.date_text(formats.read_date(value, end=name == "to"), ui_lang())
                except DateFormatError:
                    shown = value
            found.append((_t(label), shown, (name,)))
    if search_req.differs:
        found.append((_t("field.differs"), _t("differs.value"), ("differs",)))
    if search_req.sessions:
        found.append((_t("field.sessions"), f"{args.get('session_from', '')}–{args.get('session_to', '')}",
                      ("session_from", "session_to")))
    return found


def facet_label(name: str, key: str) -> str:
    if name == "type":
        return _t(f"type.{key}")
    if name == "country":
        return _t(f"country.{key}")
    if name == "session":
        info = sessions_by_number(_ws()).get(int(key)) if str(key).isdigit() else None
        return f"{key} · {_local(info.city)} {info.year}" if info else str(key)
    if name == "sectors":
        return sector_label(key)
    if name == "status":
        return _t(f"status.{key}") if f"status.{key}" in i18n.TEXT else key
    if name == "regions":
        return use_cases().region_name(key, ui_lang())
    if name == "parties":
        return use_cases().party_name(key, ui_lang(), reader())
    return key


def reader_sector_names() -> dict:
    """The sectors' names in both languages as the documents this reader may see give them (once a request)."""
    if "sector_names" not in g:
        g.sector_names = use_cases().sector_names(reader())
    return g.sector_names


def sector_key(typed: str) -> str | None:
    """The sector filter as typed, or the one sector whose name in either language it is (or starts, or has
    every word of): the index matches the sector as archived, so that "Машиностроение" on the Russian page
    finds what "Meccanica strumentale" finds. Several sectors so named: the text as typed."""
    if not typed:
        return None
    match = label_matcher(typed)
    exact, partial = set(), set()
    for key, names in reader_sector_names().items():
        for name in (key, *names.values()):
            kind = match(name)
            if kind == "exact":
                exact.add(key)
            elif kind:
                partial.add(key)
    found = exact or partial
    return next(iter(found)) if len(found) == 1 else typed


def sector_label(key: str, names: dict | None = None) -> str:
    """A sector facet key in the page's language (the key itself when no visible document names it)."""
    return sector_name(reader_sector_names() if names is None else names, key, ui_lang())


def document_sectors(document: Document) -> list[str]:
    """A document's sectors in the page's language: its own names first, else what the other documents the
    reader may see call the sector, else the sector as recorded."""
    names, lang = reader_sector_names(), ui_lang()
    shown = []
    for index, key in enumerate(document.sectors):
        own = document.sector_name(index)
        facet_key = key.replace(",", " ")          # the index's key of a sector with a comma
        shown.append(getattr(own, lang) or (sector_label(facet_key, names) if facet_key in names
                                            else own.text(lang) or key))
    return shown
