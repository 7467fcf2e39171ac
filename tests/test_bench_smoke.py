"""A tiny run of the benchmark suite: it runs end to end and writes its table (numbers are not checked)."""
import pytest

from bench.run import main
from tests.conftest import require_tool


@pytest.mark.slow
def test_the_benchmark_suite_writes_its_results(tmp_path):
    require_tool("pdftotext")
    out = tmp_path / "RESULTS.md"
    assert main(["--smoke", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results")
    for figure in ("drafting a session pack", "ingest of text PDFs", "index rebuild, 40 docs", "query p95, 40 docs",
                   "whole `taskforce search` process", "peak memory of rebuild"):
        assert f"| {figure}" in text, figure
    assert "<!-- summary" not in text
    assert "### Rebuild" in text and "| cores |" in text
