"""The fast indexing path (pipeline/index/fastfield.py) gives exactly the postings of the analyzer chains:
the same terms, frequencies, weights and encoded positions, on the test corpus, on a generated corpus and on
awkward text (stop words first, other scripts in between, accents, ё, capitals, digits, underscores)."""
import pytest
from whoosh import fields, formats

from bench import corpus as bench_corpus
from pipeline.index import analysis
from pipeline.index.fastfield import LanguageText
from pipeline.archive.document import Document
from pipeline.index.schema import SCHEMA_VERSION, build_schema, document_fields
from tests.conftest import SEARCH_DOCUMENTS

AWKWARD = [
    "", "   ", "la", "Il e la Kazan", "e perché PERCHÉ perche responsabilità Responsabilita città",
    "Ёлка ёж и в на Казань Кремль ЁЖИК", "l'accordo dell’Unione 2024 art_5 A1 x", "İstanbul Straße Ærø œuvre façade",
    "и и и слово и слово", "Москва Milano москва MILANO 12 345 дом_1 Ñandú", "a" * 50 + " " + "б" * 50,
    "la la accordo la accordo", "в в в", "Il Protocollo — протокол «Газпром» e l’ENI",
]


def reference_postings(field, value):
    """What Whoosh's own TEXT field makes of ``value`` with the same analyzer and format."""
    plain = fields.TEXT(analyzer=field.analyzer, phrase=isinstance(field.format, formats.Positions))
    return sorted(plain.index(value))


def fast_postings(field, value):
    return sorted(field.index(value))


def values_of_the_test_corpus():
    for name, options, pages in SEARCH_DOCUMENTS:
        yield "\n\n".join(pages)


def values_of_a_generated_corpus(count=40):
    for record, pages in bench_corpus.generate(count, seed=3, size=4000):
        text = "\n\n".join(pages)
        fields_ = document_fields(Document.from_record(record), text, None)
        yield fields_["text_it"]
        yield fields_["text_ru"]
        yield text                                   # the whole bilingual text too (not only one script)


@pytest.mark.parametrize("name", ["text_it", "text_ru"])
def test_fast_path_gives_the_analyzers_postings(name):
    field = build_schema()[name]
    assert isinstance(field, LanguageText)
    values = [*AWKWARD, *values_of_the_test_corpus(), *values_of_a_generated_corpus()]
    compared = 0
    for value in values:
        expected = reference_postings(field, value)
        assert fast_postings(field, value) == expected, value[:80]
        compared += len(expected)
    assert compared > 5000                          # the corpora were really read


def test_fast_path_positions_follow_the_stop_filter():
    """The stop filter numbers the first word kept as the tokenizer did and each later one as the previous
    plus one: 'Il e la Kazan' -> kazan at 3 (not 0); 'la la accordo la accordo' -> accord at 2 and 3."""
    field = build_schema()["text_it"]
    postings = {term.decode(): field.format.decode_positions(value) for term, _, _, value in field.index(
        "la la accordo la accordo")}
    assert postings == {"accord": [2, 3]}
    assert {t.decode(): field.format.decode_positions(v) for t, _, _, v in field.index("Il e la Kazan")} == \
        {"kazan": [3]}


def test_other_values_go_through_the_analyzer():
    field = build_schema()["text_ru"]
    assert sorted(field.index("Казань", mode="index")) == reference_postings(field, "Казань")
    with pytest.raises(ValueError):
        list(field.index(42))


def test_no_spelling_field_and_the_schema_version_moved():
    assert "words" not in build_schema()           # the vocabulary file instead (tests/test_vocabulary.py)
    assert build_schema()["text_it"].scorable and build_schema()["text_ru"].scorable   # BM25F needs them
    assert SCHEMA_VERSION >= 6
    assert analysis.WORD == r"\w+"
