"""The researchers' additions to the pages (issue 25): plurals in the page's language ("2 originali" /
"2 оригинала"), and why a hit was found in the other language."""
from __future__ import annotations

from urllib.parse import parse_qsl

from markupsafe import Markup

from . import i18n
from .language import ui_lang


def _plural(key: str, n: int, **values) -> str:
    return i18n.plural(key, ui_lang(), n, **values)


def query_of(back: str) -> str:
    """The query of the search a document page was reached from (its 'back' parameter): its words are marked
    in the document's text."""
    return dict(parse_qsl(back or "")).get("q", "")[:MAX_MARKED_QUERY]


MAX_MARKED_QUERY = 500


def register(app) -> None:
    app.jinja_env.globals.update(plural=_plural)
    app.jinja_env.filters.update(title_lines=title_lines)


def title_lines(document, untitled: str = "") -> Markup:
    """A document's title with both languages, the page's first at full size and the other on a smaller
    line below it (style.css clamps both on a phone): a bilingual title no longer fills a phone's first
    screen. The " / " between them stays in the text (copying the title, reading the page without styles)."""
    pair = document.titles
    if not pair.complete:
        return Markup("{}").format(document.title or untitled)
    first = ui_lang()
    other = next(lang for lang in i18n.LANGUAGES if lang != first)
    return Markup('<span class="title-first" lang="{}">{}</span><span class="title-sep"> / </span>'
                  '<span class="title-other" lang="{}">{}</span>').format(
        first, getattr(pair, first), other, getattr(pair, other))
