"""Benchmarks of taskforce: never part of the timed tests. ``python -m bench`` (bench/run.py) runs them all and
writes bench/RESULTS.md."""
import json
import resource


def summary(figure: str, value: float, unit: str, baseline: str | None = None,
            baseline_value: float | None = None, better: str = "higher") -> None:
    """One row of RESULTS.md's summary table, printed as an HTML comment that bench/run.py collects."""
    row = {"figure": figure, "value": value, "unit": unit, "baseline": baseline, "baseline_value": baseline_value,
           "better": better}
    print(f"<!-- summary {json.dumps(row, ensure_ascii=False)} -->")


def peak_rss_mib() -> tuple[float, float]:
    """Peak resident memory (MiB) of this process and of its largest waited-for child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children
