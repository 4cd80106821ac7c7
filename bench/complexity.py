"""What LibCST costs per construct, and how well actorlint's pre-parse guard predicts it.

Each case is a generated file (``import pykka`` so that it is analysed in full) analysed in
a fresh process with the budget lifted; the wall time and peak RSS of that process are
set against the cost actorlint predicts (``actorlint/complexity.py``), in tokens of
ordinary code. Ordinary code is the standard library's top-level modules, concatenated.

    python bench/complexity.py                  # every case, a table on stdout
    python bench/complexity.py --cases chain    # cases whose name contains "chain"
    python bench/complexity.py --guard          # also time actorlint's guard on each file
    python bench/complexity.py --json out.json

Weights: a construct's time per squared level divided by ordinary code's time per token
(and the same for memory); the larger of the two is its weight in ``_WEIGHT_SQUARED``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actorlint import complexity  # noqa: E402

_CHILD = r"""
import resource, sys, time
from actorlint.analyse import FileJob, analyse
source = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
facts = analyse(FileJob(sys.argv[1], "case.py", "case", False, source), max_file_tokens=10**12)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(seconds, (peak - before) * 1024, len(facts.errors))
"""


def ordinary_code(limit: int) -> str:
    """About ``limit`` characters of the standard library's own modules, one after another."""
    folder = Path(sysconfig.get_paths()["stdlib"])
    chunks: List[str] = ["import pykka\n"]
    size = 0
    for path in sorted(folder.glob("*.py")):
        try:
            text = path.read_text(encoding="utf-8")
            ast.parse(text)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        text = "\n".join(line for line in text.splitlines() if not line.startswith("from __future__"))
        chunks.append(text + "\n")
        size += len(text)
        if size > limit:
            break
    return "".join(chunks)


def _lines(line: Callable[[int], str], length: int, count: int = 10) -> str:
    return "import pykka\n" + (line(length) + "\n") * count


CASES: Dict[str, Tuple[Callable[[int], str], Tuple[int, ...]]] = {
    "chain-subscript": (lambda n: "x = a" + "[0]" * n, (500, 1000, 2000)),
    "chain-call": (lambda n: "x = f" + "()" * n, (1000, 2000)),
    "chain-attribute": (lambda n: "x = a" + ".b" * n, (1000, 2000)),
    "chain-plus": (lambda n: "x = a" + " + a" * n, (1000, 2000)),
    "chain-or": (lambda n: "x = a" + " or a" * n, (1000, 2000)),
    "nested-ifelse": (lambda n: "x = a" + " if b else a" * n, (450, 900)),
    "nested-power": (lambda n: "x = a" + " ** a" * n, (450, 900)),
    "nested-not": (lambda n: "x = " + "not " * n + "a", (900, 1800)),
    "nested-lambda": (lambda n: "x = " + "lambda: " * n + "a", (450, 900)),
}


def measure(source: str) -> Tuple[float, int, int]:
    """Seconds, peak bytes and ACT000 count of analysing ``source`` in a fresh process."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False, encoding="utf-8") as handle:
        handle.write(source)
    try:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        out = subprocess.run([sys.executable, "-c", _CHILD, handle.name], capture_output=True, text=True,
                             env=env, check=True).stdout.split()
    finally:
        os.unlink(handle.name)
    return float(out[0]), int(out[1]), int(out[2])


def predicted(source: str) -> float:
    """actorlint's predicted cost of ``source``, in tokens of ordinary code."""
    return complexity.count_tokens(source) + complexity.chain_cost(ast.parse(source))


def guard_seconds(source: str) -> float:
    """What actorlint's guard costs on ``source`` (the default budget)."""
    start = time.perf_counter()
    complexity.pre_parse_problem(source, complexity.DEFAULT_MAX_FILE_TOKENS, lambda: ast.parse(source))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default="", help="only cases whose name contains this")
    parser.add_argument("--guard", action="store_true", help="also time the guard on each file")
    parser.add_argument("--json", help="write the rows here")
    options = parser.parse_args()

    base = ordinary_code(1_000_000)
    seconds, memory, _ = measure(base)
    tokens = complexity.count_tokens(base)
    per_token = (seconds / tokens, memory / tokens)
    rows = [{"case": "ordinary-1MB", "length": None, "seconds": seconds, "peak_mb": memory / 2**20,
             "predicted_tokens": predicted(base), "weight": None}]
    print(f"ordinary code: {tokens:,} tokens, {seconds:.2f} s, {memory / 2**20:.0f} MB: "
          f"{per_token[0] * 1e6:.1f} us and {per_token[1] / 1024:.2f} KB per token")
    print(f"{'case':18} {'length':>6} {'seconds':>8} {'peak MB':>8} {'predicted':>10} {'as ordinary':>11} "
          f"{'weight':>7}" + ("  guard s" if options.guard else ""))
    for name, (line, lengths) in CASES.items():
        if options.cases not in name:
            continue
        for length in lengths:
            source = _lines(line, length)
            seconds, memory, errors = measure(source)
            squared = 10 * length * length
            weight = max(seconds / per_token[0], memory / per_token[1]) / squared
            equivalent = max(seconds / per_token[0], memory / per_token[1])
            row = {"case": name, "length": length, "seconds": seconds, "peak_mb": memory / 2**20,
                   "predicted_tokens": predicted(source), "measured_tokens": equivalent, "weight": weight}
            rows.append(row)
            extra = f"  {guard_seconds(source):7.3f}" if options.guard else ""
            print(f"{name:18} {length:6} {seconds:8.2f} {memory / 2**20:8.0f} {row['predicted_tokens']:10,.0f} "
                  f"{equivalent:11,.0f} {weight:7.4f}{extra}" + ("  (ACT000)" if errors else ""))
    if options.json:
        Path(options.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
