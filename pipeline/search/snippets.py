"""The highlighted snippet of a hit, in the language that matched."""
from __future__ import annotations

import re

from whoosh import highlight
from whoosh.analysis import RegexTokenizer, Token

from .. import translit
from ..cache import memo_table
from ..compare.signedtext import EDGE_LINES, clean_lines
from ..archive.reading import ArchiveReader
from ..index.analysis import CAPITALISED, CYRILLIC, WORD, fold_accents
from ..index.sections import find_sections
from .readable import LIMIT, in_language, lead as readable_lead, script_of, tidy

EXCERPT_WINDOW = 160
EXCERPT_PLACES = 3
TOKENS = re.compile(WORD)
WORD_RE = TOKENS
WORD_CACHE_LIMIT = 200_000      # analysed words remembered per field (the vocabulary of 10,000 documents fits)


class MarkFormatter(highlight.Formatter):
    def __init__(self, start: str, end: str, between: str = " … "):
        self.start, self.end, self.between = start, end, between

    def format_token(self, text, token, replace=False):
        return f"{self.start}{highlight.get_text(text, token, replace)}{self.end}"


# a word broken at a line's end: a hyphen after a letter, a lower-case letter of the same script on the next line
BROKEN_WORD = re.compile(r"(?<=[A-Za-zÀ-ÖØ-öø-ɏ])[-\u00ad\u2010\u2011]\n(?=[a-zß-öø-ÿ])|"
                         r"(?<=[Ѐ-ӿ])[-\u00ad\u2010\u2011]\n(?=[а-яёѐ-џ])")
# a dash the layout broke a line after (LibreOffice breaks after an en dash): "10–" / "12 aprile", "italo–" /
# "russa"; attached to the text on both sides, it joins them again. A dash with a space before it is a
# separator ("Articolo 3 –" / "Durata") and stays one.
BROKEN_DASH = re.compile(r"(?<=\S)([\u2013\u2014])\n(?=\S)")
_MIDDLE = "\x00"            # stands for a page's body lines while its edges are cleaned


def body_text(pages: list[str]) -> str:
    """The pages' text without what the PDF prints at each page's edges: page numbers ("2", "- 2 -", "Pagina
    2 di 5"), the drafts' footer (TF25-AGR-003 · v2 · 1) and running headers and footers, which a snippet
    would otherwise glue to the sentence before them (the comparison with the drafts finds them:
    pipeline/compare/signedtext.py, given here only each page's edge lines, its body standing in as one
    line: a page's middle is never taken out). A word the layout broke at a line's end ("sessio-" / "ne") is
    whole again, so that a snippet neither shows "sessio- ne" nor starts at "ne"; so is a range broken after
    its dash ("10–" / "12": "10–12", not "10– 12"). One line a body line."""
    per_page = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    edges = []
    for lines in per_page:
        if len(lines) > 2 * EDGE_LINES:
            lines = lines[:EDGE_LINES] + [_MIDDLE] + lines[-EDGE_LINES:]
        edges.append("\n".join(lines))
    kept, _removed = clean_lines(edges)
    out: list[str] = []
    for line in kept:
        if line.text == _MIDDLE:
            out += per_page[line.page][EDGE_LINES:-EDGE_LINES]
        else:
            out.append(line.text)
    return BROKEN_DASH.sub(r"\1", BROKEN_WORD.sub("", "\n".join(out)))


def snippet_source(ws, doc_id: str) -> str:
    """The text a hit's snippet is made from: the archived page texts of ``doc_id`` without page numbers,
    running headers and footers (``body_text``)."""
    return body_text(ArchiveReader(ws).page_texts(doc_id))


def snippet(hit, text: str, query_text: str, terms, mark: tuple[str, str] = ("**", "**"), title=None,
            lang_hint: str | None = None) -> tuple[str, str | None]:
    """A highlighted snippet in the language that matched (the Italian or Russian field), or on the names
    when some word of the query matched only through its transliteration key (Nizhniy -> Nižnij). It is
    made readable (pipeline/search/readable.py): the other language's parts left out, fragments cut at
    words and joined with " … ", the title not repeated at their start, at most about 240 characters.
    ``terms``: the (field, term) pairs the hit matched (cache.page_terms)."""
    matched: dict[str, set[str]] = {}
    for name, term in terms:
        if name in ("text_ru", "text_it", "keys", "section_titles"):   # others' terms may be binary (numbers)
            matched.setdefault(name, set()).add(term.decode("utf-8") if isinstance(term, bytes) else term)
    named = matched.pop("section_titles", set())
    words = len(re.findall(WORD, re.sub(r"\w+:\S+|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b", " ", query_text)))
    order = [("text_ru", "ru"), ("text_it", "it"), ("keys", None)]
    if "keys" in matched and max(len(matched.get("text_ru", ())), len(matched.get("text_it", ()))) < words:
        order.insert(0, ("keys", None))
    sections = find_sections(text)         # once for both languages
    for fieldname, lang in order:
        if fieldname in matched or (named and lang):
            in_section = section_snippet(hit, [s for s in sections if s.lang == lang], fieldname, lang,
                                         matched.get(fieldname, set()), named, mark, title)
            if in_section:
                return in_section, lang
        if fieldname in matched:
            source = in_language(text, lang) if lang else text
            found = highlights(hit, fieldname, _excerpt(source, fieldname, matched[fieldname]), top=2)
            if found:
                readable = tidy(found, mark, title)
                return readable, lang or ("ru" if CYRILLIC.search(found) else "it")
    return lead(text, title, lang_hint)


def section_snippet(hit, sections: list, fieldname: str, lang: str, terms: set[str], named: set[str],
                    mark: tuple[str, str], title=None) -> str | None:
    """The snippet from the section (of ``sections``, the text's in ``lang``) that matched best, named by its title ("Prossima
    sessione: La prossima sessione si terrà…"): the section whose title has the words of ``section:``
    (``named``), else the one with the most matched terms, a term in its title counting twice. None when the
    text has no section in that language or none has a matched word."""
    if not sections:
        return None

    def folded(value: str) -> str:
        lowered = _same_length_lower(value)
        return fold_accents(lowered) if lang == "it" else lowered

    def having(value: str, wanted: set[str]) -> set[str]:
        value = folded(value)
        return {term for term in wanted if re.search(r"\b" + re.escape(folded(term)), value)}

    best, best_score = None, 0
    for section in sections:
        score = 2 * len(having(section.title, terms)) + len(having(section.body, terms))
        if named:
            title_words = set(WORD_RE.findall(folded(section.title)))
            if not {folded(word) for word in named} <= title_words:
                continue
            score += 100
        if score > best_score:
            best, best_score = section, score
    if best is None or not best.body.strip():
        return None
    room = max(80, LIMIT - len(best.title) - 2)
    found = highlights(hit, fieldname, _excerpt(best.body, fieldname, terms), top=2) \
        if terms and fieldname in ("text_it", "text_ru") else ""
    body = tidy(found, mark, title, limit=room) if found else readable_lead(best.body, title, None, limit=room)
    return f"{best.title}: {body}" if body else None


def lead(text: str, title=None, lang: str | None = None) -> tuple[str, str | None]:
    """The start of the text without the title, in ``lang`` when the text has it (else in its first
    language), at most about 240 characters; and that language."""
    languages = {script_of(line) for line in text.splitlines()} - {None}
    chosen = lang if lang in languages else (script_of(text[:2000]) if len(languages) > 1 else None)
    if len(languages) > 1 and chosen is None:
        chosen = "it"
    return readable_lead(text, title, chosen if len(languages) > 1 else None), \
        (chosen if len(languages) > 1 else next(iter(languages), None))


def _excerpt(text: str, fieldname: str, terms: set[str]) -> str:
    """The parts of ``text`` around the first places where the matched terms occur, so that the highlighter
    (which re-analyses, and stems, whatever it is given) reads a few hundred characters, not the document.
    Falls back to the whole text when no place is found."""
    if fieldname == "keys":
        starts = [m.start() for m in CAPITALISED.finditer(text)
                  if any(_key(m.group(0)).startswith(term) for term in terms)][:EXCERPT_PLACES]
    else:
        lowered = _same_length_lower(text)   # stems are lower case; Italian ones are accent-folded too
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + ")")
        starts = _first_starts(pattern, lowered)
        if not starts and fieldname == "text_it":   # a stem whose accents were folded ("perche" for perché)
            starts = _first_starts(pattern, fold_accents(lowered))
    if not starts:
        return text
    pieces, last_end = [], -1
    for start in starts:
        begin, end = max(0, start - EXCERPT_WINDOW), min(len(text), start + EXCERPT_WINDOW)
        begin, end = _word_edges(text, begin, end)
        if begin <= last_end:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((begin, end))
        last_end = end
    return "\n".join(text[begin:end] for begin, end in pieces)


_KEYS: dict[str, str] = memo_table()       # capitalised word -> its transliteration key


def _key(word: str) -> str:
    found = _KEYS.get(word)
    if found is None:
        if len(_KEYS) >= WORD_CACHE_LIMIT:
            _KEYS.clear()
        found = _KEYS[word] = translit.key(word)
    return found


def _word_edges(text: str, begin: int, end: int, reach: int = 40) -> tuple[int, int]:
    """``begin`` and ``end`` moved out to the nearest whitespace (within ``reach``), so that no piece
    starts or ends inside a word."""
    low = begin
    while low > 0 and begin - low < reach and not text[low - 1].isspace():
        low -= 1
    high = end
    while high < len(text) and high - end < reach and not text[high].isspace():
        high += 1
    return (low if low == 0 or text[low - 1].isspace() else begin), \
        (high if high == len(text) or text[high].isspace() else end)


def _first_starts(pattern, text: str) -> list[int]:
    starts = []
    for match in pattern.finditer(text):
        starts.append(match.start())
        if len(starts) == EXCERPT_PLACES:
            break
    return starts


def _same_length_lower(text: str) -> str:
    """Lower case that keeps every character's position (a few characters lower to two)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else "".join(ch.lower()[0] for ch in text)


# --- highlighting with a per-word cache ----------------------------------------------------------------------
# Whoosh's highlighter runs the field's whole analyzer chain (tokenizer, lower case, script, stop words, accents,
# stemming: several generators and a Token per word) over every excerpt of every hit of every page, and
# expands the query's terms again for each hit. The analysers of our text fields are a tokenizer of WORD
# followed by filters that look at one token at a time, so a word's analysed form does not depend on its
# neighbours: it is computed once per field and remembered, and the query's terms once per page.

# fieldname -> word as written -> its analysed text, or None when the analyzer drops it (another script)
_ANALYSED: dict[str, dict[str, str | None]] = memo_table()


def highlights(hit, fieldname: str, text: str, top: int) -> str:
    """What ``hit.highlights(fieldname, text=text, top=top)`` returns (Whoosh's Highlighter.highlight_hit when
    it re-tokenises the text, which it does here: the search records no matched terms), with each word
    analysed once per process instead of once per occurrence; tests/test_search_start.py compares them."""
    results = hit.results
    analyzer = results.searcher.schema[fieldname].analyzer
    if not _word_by_word(analyzer):
        return hit.highlights(fieldname, text=text, top=top)
    words = _query_words(results, fieldname)
    highlighter = results.highlighter
    tokens = _merge_matched(_tokens(fieldname, analyzer, text, words))
    fragments = highlighter.fragmenter.fragment_tokens(text, tokens)
    fragments = highlight.top_fragments(fragments, top, highlighter.scorer, highlighter.order, minscore=1)
    return highlighter.formatter.format(fragments)


def _word_by_word(analyzer) -> bool:
    """The analyzer starts with a tokenizer of WORD (so that our regular expression finds the same words)."""
    items = getattr(analyzer, "items", None)
    return bool(items) and isinstance(items[0], RegexTokenizer) and items[0].expression.pattern == WORD \
        and not items[0].gaps


def _query_words(results, fieldname: str) -> frozenset:
    """The query's terms in ``fieldname`` (expanded), as highlight_hit reads them, once per page."""
    cache = results.__dict__.setdefault("_taskforce_words", {})
    words = cache.get(fieldname)
    if words is None:
        from_bytes = results.searcher.schema[fieldname].from_bytes
        words = cache[fieldname] = frozenset(from_bytes(term[1]) for term in
                                             results.query_terms(expand=True, fieldname=fieldname))
    return words


def _analysed(fieldname: str, analyzer, word: str) -> str | None:
    known = _ANALYSED.setdefault(fieldname, {})
    found = known.get(word, False)
    if found is False:
        texts = [token.text for token in analyzer(word, mode="index", removestops=False)]
        if len(texts) > 1:
            raise ValueError(f"the analyzer of {fieldname} makes {len(texts)} tokens of the word {word!r}")
        found = texts[0] if texts else None
        if len(known) >= WORD_CACHE_LIMIT:
            known.clear()
        known[word] = found
    return found


def _tokens(fieldname: str, analyzer, text: str, words: frozenset):
    """The tokens the analyzer makes of ``text`` (chars, index mode, stop words kept), each marked matched
    when its analysed text is one of ``words`` (highlight.set_matched_filter). One Token is reused, as
    Whoosh's tokenizer does: the fragmenter copies those it keeps."""
    token = Token(chars=True, removestops=False, mode="index")
    for match in TOKENS.finditer(text):
        analysed = _analysed(fieldname, analyzer, match.group())
        if analysed is None:
            continue
        token.text, token.startchar, token.endchar = analysed, match.start(), match.end()
        token.matched = analysed in words
        yield token


_merge_matched = highlight.Highlighter._merge_matched_tokens
