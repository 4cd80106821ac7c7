"""Benchmarks; ``bench.corpus`` is importable by tests (``pythonpath = ["."]``)."""
