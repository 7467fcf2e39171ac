"""Cross-language search: each word of the query is also looked for as its translations in the other language
(the term table learned from the drafts: pipeline/index/terms.py), so that an Italian query finds a document
that exists only in Russian, and a Russian query one only in Italian. A translation weighs less than the word
itself; a hit found only through one says so ("trovato in russo come «мебель»")."""
from __future__ import annotations

from whoosh import query

CROSS_BOOST = 0.5       # a translation's weight beside the word as typed
FIELDS = {"text_it": ("it", "text_ru"), "text_ru": ("ru", "text_it")}


def expand(q, table: dict) -> tuple:
    """``q`` with each term of a language field ORed with its translations, and what was added:
    {(field, stem): (source field, source stem, word as written)}."""
    added: dict = {}
    if not table.get("it") and not table.get("ru"):
        return q, added

    def visit(leaf):
        if isinstance(leaf, query.Term) and leaf.fieldname in FIELDS:
            lang, other = FIELDS[leaf.fieldname]
            text = leaf.text.decode("utf-8") if isinstance(leaf.text, bytes) else leaf.text
            translations = table.get(lang, {}).get(text)
            if translations:
                terms = [leaf]
                for stem, form, _dice in translations:
                    added.setdefault((other, stem), (leaf.fieldname, text, form))
                    terms.append(query.Term(other, stem, boost=leaf.boost * CROSS_BOOST))
                return query.Or(terms)
        return leaf
    return q.accept(visit), added


def found_as(matched: list, added: dict) -> dict | None:
    """Why a hit was found through the other language: {"lang": "ru", "words": ["мебель"]}, when it matched a
    translation and not the word it translates; None otherwise."""
    have = {(name, term.decode("utf-8") if isinstance(term, bytes) else term) for name, term in matched}
    words: dict[str, list[str]] = {}
    for (name, stem), (source_field, source_stem, form) in added.items():
        if (name, stem) in have and (source_field, source_stem) not in have:
            words.setdefault(name, [])
            if form not in words[name]:
                words[name].append(form)
    if not words:
        return None
    name = next(iter(words))
    return {"lang": FIELDS[name][0], "words": words[name]}


def own_terms(matched: list, added: dict) -> list:
    """The terms a hit's snippet is made from: those of the query's own words when it matched any in a language
    field (the snippet then shows the language the query was typed in), else every matched one (a hit found
    only through the other language shows the translations it matched)."""
    if not added:
        return matched
    own = [(name, term) for name, term in matched
           if (name, term.decode("utf-8") if isinstance(term, bytes) else term) not in added]
    return own if any(name in FIELDS for name, _term in own) else matched
