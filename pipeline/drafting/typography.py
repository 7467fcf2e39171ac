"""Typography applied to a rendered document's body, where the values of the data cannot be trusted to have it.

* a no-break space before «г.» after a number (2015 г.), the typographic apostrophe in Italian runs
  (l’Accordo), reference codes that never break at a hyphen (U+2011; the footer keeps the plain code that
  the archive reads), no trailing spaces at the end of a paragraph;
* no line break inside a date or a date range (no-break spaces between day, month, year and «г.»; a word
  joiner, U+2060, after the dash of "10–11", where LibreOffice would break), nor after a one-letter
  preposition or conjunction (в, с, к, и, о, у, а; a, e, o, i, è);
* no hyphenation inside the names of parties and people and inside dates: their runs get the language
  "zxx" (no language: LibreOffice does not hyphenate it) and w:noProof (Word's "do not check spelling",
  which Word does not hyphenate either); a paragraph that is nothing but such a name is not hyphenated as a
  whole (w:suppressAutoHyphens) and keeps its language.

Text read back from the document (docx.text_by_language) drops the word joiners: a PDF's text has none.
"""
from __future__ import annotations

import copy
import re

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
WORD_JOINER = "\u2060"
NBSP = "\u00a0"

_YEAR_MARK = re.compile(r"(\d)[ \t]+(гг?\.)")
_APOSTROPHE = re.compile(r"(?<=[A-Za-zÀ-ÿ])'(?=[A-Za-zÀ-ÿ0-9])")
_REFERENCE = re.compile(r"\bTF\d{1,3}-(?:PROT|AGR|MOU)(?:-\d{3})?\b")
_MONTHS = ("gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre|"
           "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря")
# 28 novembre 2014, 1° gennaio 2015, 10–11 aprile 2019, 26–28 ноября 2014 г., 30 novembre – 2 dicembre 2014
_DATE = re.compile(rf"\b\d{{1,2}}°?(?:[–-]\d{{1,2}})?[ \u00a0]+(?:{_MONTHS})"
                   rf"(?:[ \u00a0]+[–-][ \u00a0]+\d{{1,2}}°?[ \u00a0]+(?:{_MONTHS}))?"
                   rf"(?:[ \u00a0]+\d{{4}}(?:[ \u00a0]+гг?\.)?)?")
_ONE_LETTER = re.compile(r"(?<![\w\-’'.])([вВсСкКиИоОуУаАaAeEoOiIèÈ]) (?=[\w«\"(])")


def _date_without_breaks(match: re.Match) -> str:
    text = match.group(0)
    text = re.sub(r"(\d)([–-])(\d)", f"\\1\\2{WORD_JOINER}\\3", text)      # 10–11: no break after the dash
    text = re.sub(r"[ \u00a0]+([–-])[ \u00a0]+", f"{NBSP}\\1 ", text)       # "novembre – 2": not before it
    return re.sub(r"(?<=[^\s–-]) (?=[^\s–-])", NBSP, text)


def typeset(text: str, italian: bool) -> str:
    """The no-break rules on one run's text."""
    text = _YEAR_MARK.sub(f"\\1{NBSP}\\2", text)
    text = _REFERENCE.sub(lambda m: m.group(0).replace("-", "\u2011"), text)
    if italian:
        text = _APOSTROPHE.sub("’", text)
    text = _DATE.sub(_date_without_breaks, text)
    return _ONE_LETTER.sub(f"\\1{NBSP}", text)


def polish(document, names: list[str] = ()) -> None:
    """Apply the rules above to the body of ``document``; ``names``: the names of parties and people that the
    document prints (in every form), never to be hyphenated."""
    body = document.element.body
    wanted = sorted({_plain(n) for n in names if n and len(n) > 2}, key=len, reverse=True)
    # a name as a whole word only ("Anna Volkova", not inside "Giovanna Volkova")
    spans = re.compile("|".join([rf"(?<!\w){re.escape(n)}(?!\w)" for n in wanted] + [_DATE.pattern])) \
        if wanted else _DATE
    for paragraph in body.iter(f"{W}p"):
        runs = []
        for run in list(paragraph.iter(f"{W}r")):
            lang = run.find(f"{W}rPr/{W}lang")
            italian = lang is not None and lang.get(f"{W}val") == "it-IT"
            texts = [t for t in run.findall(f"{W}t") if t.text]
            for t in texts:
                t.text = typeset(t.text, italian)
            if texts:
                runs.append(run)
        if not runs:
            continue
        last = [t for t in runs[-1].findall(f"{W}t") if t.text][-1]
        last.text = last.text.rstrip(" ")
        whole = "".join(t.text for run in runs for t in run.findall(f"{W}t"))
        _protect(paragraph, runs, whole, spans)


def _plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(WORD_JOINER, "")


def _protect(paragraph, runs, whole: str, spans: re.Pattern) -> None:
    """Give each name or date in the paragraph a run that is never hyphenated."""
    if not whole.strip():
        return
    plain_whole = _plain(whole).strip()
    for run in runs:
        texts = run.findall(f"{W}t")
        if len(texts) != 1 or run.find(f"{W}tab") is not None or run.find(f"{W}br") is not None:
            continue
        text = texts[0].text
        pieces, position = [], 0
        for match in spans.finditer(_plain(text)):
            # the plain text has the same length as the run's text except for word joiners: map through them
            start, end = _position(text, match.start()), _position(text, match.end())
            if start > position:
                pieces.append((text[position:start], False))
            pieces.append((text[start:end], True))
            position = end
        if not any(protected for _, protected in pieces):
            continue
        if position < len(text):
            pieces.append((text[position:], False))
        if len(runs) == 1 and _plain(text).strip() == plain_whole and len(pieces) == 1:
            _no_hyphens_in_paragraph(paragraph)
            continue
        for piece, protected in pieces:
            new = copy.deepcopy(run)
            for t in new.findall(f"{W}t"):
                t.text = piece
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            if protected:
                _no_language(new)
            run.addprevious(new)
        run.getparent().remove(run)


def _position(text: str, plain_index: int) -> int:
    """The index in ``text`` of the character at ``plain_index`` of its text without word joiners."""
    seen = 0
    for index, char in enumerate(text):
        if char == WORD_JOINER:
            continue
        if seen == plain_index:
            return index
        seen += 1
    return len(text)


# what follows an element in its parent, by the schema (Word rejects a document whose elements are out of order)
_AFTER_NO_PROOF = ("snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
                   "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
                   "eastAsianLayout", "specVanish", "oMath")
_AFTER_LANG = ("eastAsianLayout", "specVanish", "oMath")
_AFTER_SUPPRESS_HYPHENS = ("kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN",
                           "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
                           "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
                           "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def _child(parent, name: str, successors: tuple[str, ...]):
    """``parent``'s child ``w:name``, added in its place by the schema when missing."""
    from docx.oxml import OxmlElement

    found = parent.find(f"{W}{name}")
    if found is not None:
        return found
    element = OxmlElement(f"w:{name}")
    following = next((child for child in parent if child.tag in {f"{W}{s}" for s in successors}), None)
    if following is not None:
        following.addprevious(element)
    else:
        parent.append(element)
    return element


def _properties(element, name: str):
    """The properties (w:rPr of a run, w:pPr of a paragraph) of ``element``, made as its first child if missing."""
    from docx.oxml import OxmlElement

    found = element.find(f"{W}{name}")
    if found is None:
        found = OxmlElement(f"w:{name}")
        element.insert(0, found)
    return found


def _no_language(run) -> None:
    rpr = _properties(run, "rPr")
    _child(rpr, "noProof", _AFTER_NO_PROOF)
    _child(rpr, "lang", _AFTER_LANG).set(f"{W}val", "zxx")


def _no_hyphens_in_paragraph(paragraph) -> None:
    _child(_properties(paragraph, "pPr"), "suppressAutoHyphens", _AFTER_SUPPRESS_HYPHENS)
