"""Reading a query (Whoosh syntax, checked and explained when malformed) and the filters of a request."""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable

from whoosh import matching, qparser, query

from .. import translit
from ..errors import DateFormatError, ValidationError
from ..index.analysis import WORD
from ..index.life import STATUSES
from ..sessions.dates import parse_bound
from ..vocab import COUNTRIES, DOCUMENT_TYPES, LANGUAGES, SORTS
from . import records, sectors
from .budget import check_slop
from .request import SearchRequest

FIELD_ALIASES = {"party_keys": ["party", "parties"], "sector_words": ["sector", "sectors"], "text_it": ["it"],
                 "text_ru": ["ru"],
                 "languages": ["lang"], "reference": ["ref"], "section_titles": ["section"]}
QUERY_FIELDS = ("session", "year", "type", "sector", "party", "ref", "lang", "country", "confidentiality", "it",
                "ru", "section", "doc_id", "reference", "sectors", "parties", "languages", "text_it", "text_ru", "keys")
FIELD_IN_QUERY = re.compile(r'(?:^|[\s(])(\w+):(?=\S)')
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}

MAX_QUERY = 2000        # characters: a query is typed, not pasted from a document


def parse_query(schema, text: str):
    if len(text) > MAX_QUERY:
        raise ValidationError("query.too_long", field="query", length=len(text), limit=MAX_QUERY)
    problem = syntax_problem(text)
    if problem:
        raise ValidationError(problem[0], field="query", value=text, **problem[1])
    unknown = sorted({name for name in FIELD_IN_QUERY.findall(_without_phrases(text)) if name not in QUERY_FIELDS})
    if unknown:
        raise ValidationError("query.unknown_field", field="query", value=text,
                              names=", ".join(repr(u + ":") for u in unknown), known=", ".join(QUERY_FIELDS[:11]))
    parser = qparser.MultifieldParser(["text_it", "text_ru", "keys"], schema,
                                      fieldboosts={"text_it": 1.0, "text_ru": 1.0, "keys": 0.6})
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    parser.add_plugin(qparser.GtLtPlugin())
    try:
        parsed = parser.parse(text)
    except Exception as err:   # Whoosh raises assorted exception types on bad syntax
        raise ValidationError("query.syntax", field="query", value=text,
                              detail=f"{err}; check quotes, brackets and field:value pairs") from None
    errors = [q.error for q in _subqueries(parsed) if getattr(q, "error", None)]
    if errors:
        raise ValidationError("query.syntax", field="query", value=text, detail=str(errors[0]))
    if parsed is query.NullQuery and text.strip():
        raise ValidationError("query.no_words", field="query", value=text)
    check_slop(parsed)
    return parsed.accept(lambda q: _sector_by_any_name(_names_by_prefix(_phrase_as_words(schema, q))))


def _sector_by_any_name(q):
    """sector:legno, sector:мебель: a word the synonym table gives for a sector also finds the documents of
    that sector (its names' words, either language)."""
    if isinstance(q, query.Term) and q.fieldname == "sector_words":
        # a word of a sector's own name finds it already (sector:logistica): only the other names are added
        names = [words for pair in sectors.sectors_named(q.text) for words in
                 (re.findall(WORD, sectors.folded(name)) for name in pair.values()) if q.text not in words]
        if names:
            return query.Or([q, *(query.And([query.Term("sector_words", word, boost=q.boost) for word in words])
                                  for words in names)])
    return q


PHRASE_OR_RANGE = re.compile(r'"[^"]*"|[\[{][^\]}]*[\]}]')
QUERY_TOKEN = re.compile(r"[()]|[^\s()]+")
BINARY = {"AND", "OR", "ANDNOT", "ANDMAYBE"}


def syntax_problem(text: str) -> tuple[str, dict] | None:
    """What is wrong with the query's quotes, brackets and AND/OR/NOT (an error code and its parameters), or
    None. Whoosh reads a malformed
    query as best it can (``accordo AND`` searches the word "and"), which answers another question than the
    one asked; these mistakes are reported instead. A query without words is left to the parser."""
    if not re.search(r"\w", text):
        return None
    if text.count('"') % 2:
        return "query.quote_open", {}
    depth, operand_expected, last = 0, True, None
    for token in QUERY_TOKEN.findall(PHRASE_OR_RANGE.sub(" phrase ", text)):
        if token == "(":
            depth += 1
            operand_expected = True
        elif token == ")":
            if not depth:
                return "query.bracket_unopened", {}
            if operand_expected:
                return ("query.bracket_empty_after", {"word": last}) if last in BINARY | {"NOT"} else \
                    ("query.bracket_empty", {})
            depth -= 1
        elif token in BINARY:
            if operand_expected:
                return "query.operator_before", {"word": token}
            operand_expected = True
        elif token == "NOT":
            operand_expected = True
        else:
            operand_expected = False
        last = token
    if depth:
        return "query.bracket_open", {}
    if operand_expected:
        return "query.operator_after", {"word": last}
    return None


def _phrase_as_words(schema, q):
    """A phrase on a field indexed without positions (the parties' names, the ID-like fields) is the
    conjunction of its words: party:"Volga Trans" finds the documents with both words among their parties."""
    if isinstance(q, query.Phrase) and not schema[q.fieldname].format.supports("positions"):
        return query.And([_names_by_prefix(query.Term(q.fieldname, word, boost=q.boost)) for word in q.words])
    return q


def _without_phrases(text: str) -> str:
    return re.sub(r'"[^"]*"', " ", text)


def _subqueries(q):
    yield q
    for child in q.children():
        yield from _subqueries(child)


class KeyPrefix(query.Prefix):
    """Whoosh's Prefix, matched the same way however the index is split into segments. Whoosh expands a
    prefix in each segment, matches a lone term with the bare term (its boost dropped), and three terms or
    more, in an index under 5,000 documents, with a preloaded array union whose scores differ from the
    binary union's: a name's score then depended on the segments (a rebuild in two processes, an index
    grown by ingests). Here: the term with the boost, or the binary union of the terms with the boost."""

    def matcher(self, searcher, context=None):
        words = [word for word in self._btexts(searcher.reader()) if word]
        if not words:
            return matching.NullMatcher()
        if len(words) == 1:
            return query.Term(self.fieldname, words[0], boost=self.boost).matcher(searcher, context)
        union = query.Or([query.Term(self.fieldname, word) for word in words], boost=self.boost)
        union.matcher_type = query.Or.DEFAULT_MATCHER
        return union.matcher(searcher, context)


def _names_by_prefix(q):
    """A query word on the transliteration key matches keys starting with it: Tatarstan -> Татарстаном."""
    if isinstance(q, query.Term) and q.fieldname in ("keys", "party_keys"):
        prefix = translit.query_prefix(q.text)
        if prefix:
            return KeyPrefix(q.fieldname, prefix, boost=q.boost)
    return q


def _key_words(text: str, fieldname: str) -> list:
    keys = [translit.key(word) for word in re.findall(WORD, text)]
    terms = []
    for k in filter(None, keys):
        prefix = translit.query_prefix(k)
        terms.append(KeyPrefix(fieldname, prefix) if prefix else query.Term(fieldname, k))
    return terms


def _day(value: str, name: str, end: bool) -> dt.datetime:
    date = parse_bound(value, field=name, end=end)      # a month: its first day, or its last for an end
    return dt.datetime.combine(date, dt.time.max if end else dt.time.min)


# the request's values chosen from a list: (data path, attribute, allowed values, how a value is folded)
CHOICES = (("sort", "sort", SORTS, str), ("type", "type", DOCUMENT_TYPES, str), ("status", "status", STATUSES, str),
           ("country", "country", COUNTRIES, str.upper), ("lang", "lang", LANGUAGES, str))


def request_problems(request: SearchRequest) -> list[ValidationError]:
    """Every problem of a request's values, each an error naming its field (``sort``, ``from``, ...): the one
    validation of a search, whichever front end parsed it. The query's own syntax is checked when it is
    read (parse_query)."""
    problems = []
    for path, name, allowed, fold in CHOICES:
        value = getattr(request, name)
        if value is not None and fold(value) not in allowed:
            problems.append(ValidationError("value.choice", field=path, value=value, allowed=", ".join(allowed)))
    for path, name in (("limit", "limit"), ("page", "page")):
        if getattr(request, name) < 1:
            problems.append(ValidationError("value.at_least_one", field=path, value=getattr(request, name)))
    days = {}
    for path, name in (("from", "date_from"), ("to", "date_to")):
        if getattr(request, name):
            try:
                days[path] = parse_bound(getattr(request, name), field=path, end=path == "to")
            except DateFormatError as err:
                problems.append(err)
    if len(days) == 2 and days["to"] < days["from"]:
        problems.append(ValidationError("search.date_order", field="to", value=request.date_to, start_field="from",
                                        start=request.date_from))
    if request.party and not _key_words(request.party, "party_keys"):
        problems.append(ValidationError("search.party_letters", field="party", value=request.party))
    if request.differs and not request.reader.sees_comparisons:
        problems.append(ValidationError("search.staff_only", field="differs"))
    return problems


def build_filters(request: SearchRequest, searcher, register=None) -> query.Query | None:
    """The request's filters as one query. ``register``: the party register (search/records.py), with
    which --party matches any variant of a party's name and --region the parties seated there."""
    parts = []
    if request.session is not None:
        parts.append(query.Term("session", request.session))
    if request.sessions:
        low, high = request.sessions
        parts.append(query.NumericRange("session", low, high))
    if request.year is not None:
        parts.append(query.Term("year", request.year))
    if request.date_from or request.date_to:
        start = _day(request.date_from, "from", end=False) if request.date_from else None
        stop = _day(request.date_to, "to", end=True) if request.date_to else None
        if start and stop and stop < start:
            raise ValidationError("search.date_order", field="to", value=request.date_to, start_field="from",
                                  start=request.date_from)
        parts.append(query.DateRange("signed_on", start, stop))
    if request.type:
        parts.append(query.Term("type", request.type))
    if request.party:
        words = _key_words(request.party, "party_keys")
        if not words:
            raise ValidationError("search.party_letters", field="party", value=request.party)
        by_variant = records.party_filter(register or [], request.party)
        parts.append(query.Or([query.And(words), by_variant]) if by_variant else query.And(words))
    if request.region:
        parts.append(records.region_filter(register or [], request.region,
                                           lambda: visible_regions(searcher, request, register or [])))
    if request.status:
        parts.append(records.status_filter(request.status, request.today))
    if request.sector:
        labels = matching_labels(searcher, "sectors", request.sector)
        if not labels:       # a filter that finds nothing says which sectors there are (the reader's only)
            raise ValidationError("search.sector_unknown", field="sector", value=request.sector,
                                  sectors="; ".join(visible_sectors(searcher, request)) or "-")
        parts.append(query.Or([query.Term("sectors", label) for label in labels]))
    if request.country:
        parts.append(query.Term("country", request.country.upper()))
    if request.lang:
        parts.append(query.Term("languages", request.lang))
    if request.differs:
        if not request.reader.sees_comparisons:
            raise ValidationError("search.staff_only", field="differs")
        parts.append(query.Term("differs", "yes"))
    return query.And(parts) if parts else None


def visible_regions(searcher, request: SearchRequest, register) -> list[str]:
    """The regions of the parties of the documents the reader may see ("Tatarstan / Республика Татарстан")."""
    allowed = request.allowed()
    visible = None if allowed is None else set(searcher.docs_for_query(allowed))
    reader, keys = searcher.reader(), set()
    for value in searcher.lexicon("party_names"):
        if visible is None or any(d in visible for d in reader.postings("party_names", value).all_ids()):
            keys.add(value.decode("utf-8") if isinstance(value, bytes) else value)
    ids = {party.region for party in register if party.region and keys & set(party.keys)}
    return sorted(f"{records.region_label(i, 'it')} / {records.region_label(i, 'ru')}" for i in ids)


def visible_sectors(searcher, request: SearchRequest) -> list[str]:
    """The sectors of the documents the reader may see, each with its names from the synonym table
    ("Sistema casa / Дом и интерьер") when the table knows it; a sector only hidden documents have is not
    among them."""
    allowed = request.allowed()
    visible = None if allowed is None else set(searcher.docs_for_query(allowed))
    reader, shown = searcher.reader(), []
    for value in searcher.lexicon("sectors"):
        label = value.decode("utf-8") if isinstance(value, bytes) else value
        if visible is not None and not any(d in visible for d in reader.postings("sectors", value).all_ids()):
            continue
        names = sectors.sectors_named(label)
        shown.append(f"{names[0]['it']} / {names[0]['ru']}" if names else label)
    return sorted(set(shown))


def matching_labels(searcher, fieldname: str, wanted: str) -> list[str]:
    """The indexed labels (kept as written) that start with ``wanted`` or have each of its words, ignoring
    case and accents: Logistica, 'logistica e' and trasporti all give 'Logistica e trasporti'. A label
    equal to ``wanted`` is the only one (a facet's link must find what its count says)."""
    match = label_matcher(wanted)
    labels, exact = [], []
    for value in searcher.lexicon(fieldname):
        label = value.decode("utf-8") if isinstance(value, bytes) else value
        kind = match(label)
        if kind == "exact":
            exact.append(label)
        elif kind:
            labels.append(label)
    return exact or labels


def label_matcher(wanted: str) -> Callable[[str], str | None]:
    """How a label matches ``wanted``, ignoring case and accents: "exact", "partial" (it starts with
    ``wanted`` or has each of its words), "synonym" (``wanted`` names the label's sector in the synonym
    table, in either language: legno, мебель -> Sistema casa / Дом и интерьер) or None."""
    wanted_folded = _folded(wanted)
    wanted_words = set(re.findall(WORD, wanted_folded))
    synonyms = sectors.names_of(wanted)

    def match(label: str) -> str | None:
        folded = _folded(label)
        if not wanted_words:
            return None
        if folded == wanted_folded:
            return "exact"
        if folded.startswith(wanted_folded) or wanted_words <= set(re.findall(WORD, folded)):
            return "partial"
        if folded in synonyms:
            return "synonym"
        return None
    return match


_folded = sectors.folded


def both(first, second):
    """The conjunction of two filters, either of which may be None."""
    if first is None or second is None:
        return second if first is None else first
    return query.And([first, second])
