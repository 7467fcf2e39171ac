import collections
import random

from bench import corpus as bench_corpus
from pipeline.demo import corpus
from pipeline.demo import text as prose
from pipeline.sessions.registry import parse_session


def test_generated_sessions_are_valid_and_alternate():
    rng = random.Random(7)
    sessions = [corpus.make_session(n, rng) for n in range(1, 31)]
    for data in sessions:
        session, findings = parse_session(data, f"session {data['number']}")
        assert findings == []
        assert session.next_session["country"] != session.country
    assert [s["country"] for s in sessions[:4]] == ["IT", "RU", "IT", "RU"]
    assert sessions[0]["start"].startswith("2002-1")
    assert sessions[24]["start"].startswith("2014-1")   # the 25th, autumn 2014, in Italy
    starts = [s["start"] for s in sessions]
    assert starts == sorted(starts)


def test_parties_are_bilingual_and_deterministic():
    first = [corpus.make_party(random.Random(3), country, 1) for country in ("IT", "RU")]
    again = [corpus.make_party(random.Random(3), country, 1) for country in ("IT", "RU")]
    assert first == again
    italian, russian = first
    assert italian["name"]["it"].endswith(("S.r.l.", "S.p.A."))
    assert russian["name"]["ru"].startswith(("ООО «", "АО «"))
    for party in first:
        for text in (party["name"], party["seat"], party["legal_form"], party["representative"]["name"]):
            assert set(text) == {"it", "ru"} and all(text.values())


def test_text_has_size_both_scripts_and_a_zipf_like_vocabulary():
    rng = random.Random(1)
    context = {key: {"it": "X", "ru": "Х"} for key in ("sector", "city", "date", "party_a", "party_b")}
    text = prose.bilingual_text(rng, 10_000, context)
    assert 4_500 < len(text["it"]) < 7_000 and 4_500 < len(text["ru"]) < 7_000
    assert sum(ch.isascii() for ch in text["it"]) > 0.95 * len(text["it"])
    assert sum("а" <= ch.lower() <= "я" for ch in text["ru"]) > 0.6 * len(text["ru"])
    words = prose.zipf_words(random.Random(2), "it", 50_000)
    counts = collections.Counter(words).most_common()
    assert len(counts) > 3_000                      # not a few hundred words repeated
    assert counts[0][1] > 10 * counts[99][1]        # a heavy head


def test_bench_generator_gives_records_and_pages():
    docs = list(bench_corpus.generate(45, seed=1, size=4_000))
    assert len(docs) == 45
    assert docs[0][0].type == "protocol" and docs[40][0].type == "protocol"
    assert {record.session for record, _ in docs} == {1, 2}
    assert len({record.doc_id for record, _ in docs}) == 45
    record, pages = docs[3]
    assert record.pages == len(pages) and record.signed_on.year == 2002


def test_invented_agreements_are_valid_drafting_data():
    import random

    from pipeline.drafting.agreements import parse_agreement
    from pipeline.demo.corpus import make_agreement, make_session

    rng = random.Random(3)
    session = make_session(25, rng)
    for index in range(20):
        data, findings = parse_agreement(make_agreement(rng, session, index), f"agreement {index}")
        assert findings == [] and data["sectors"][0] in [t["sector"]["it"] for t in session["tables"]]


def test_the_benchmark_corpus_as_pdfs_ingests_through_its_manifest(tmp_path):
    from click.testing import CliRunner

    from bench.corpus import write_pdfs
    from pipeline.cli import cli

    manifest = write_pdfs(tmp_path / "pdfs", 3, size=2000)
    home = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["--home", str(home), "init"]).exit_code == 0
    result = CliRunner().invoke(cli, ["--home", str(home), "ingest", "--manifest", str(manifest), "--json"])
    assert result.exit_code == 0, result.output
    assert '"archived": 3' in result.output
