"""Accord's benchmarks: `python -m bench` (or `make bench`) writes BENCHMARKS.md and bench/results/latest.json."""
