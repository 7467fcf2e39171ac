"""Benchmarks of taskforce: never part of the timed tests. See bench/RESULTS.md."""
