"""Valid Python that CPython compiles is analysed, however it is shaped: findings after
the odd construct prove the whole file was read, not just that no ACT000 came out."""

from __future__ import annotations

from pathlib import Path

import pytest

from actorlint.config import Settings
from actorlint.engine import check_files, jobs_for_paths

HANDLER = """
import time

import pykka


class Worker(pykka.ThreadingActor):
    def on_receive(self, message):
        time.sleep(1)
"""

SHAPES = {
    "form feed before an indented line": "class A:\n\x0c    def f(self): ...\n",
    "1,000 adjacent string literals": "x = (" + " ".join(['"a"'] * 1000) + ")\n",
    "a 500-operand or": "x = " + " or ".join(f"a{i}" for i in range(500)) + "\n",
    "a 400-deep conditional expression": "x = " + " if c else ".join(f"a{i}" for i in range(400)) + "\n",
    "a 600-operand sum": "x = " + " + ".join(f"a{i}" for i in range(600)) + "\n",
    # Deeper than the 1,000 levels the guard once allowed: LibCST parses it in a fraction
    # of a second (the budget, not a depth cap, decides what is too costly).
    "a 1,500-operand sum": "x = " + " + ".join(f"a{i}" for i in range(1500)) + "\n",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_valid_code_is_analysed(tmp_path: Path, shape: str) -> None:
    source = SHAPES[shape] + HANDLER
    compile(source, "shape.py", "exec")  # CPython accepts it
    path = tmp_path / "shape.py"
    path.write_text(source, encoding="utf-8")
    result = check_files(jobs_for_paths([path], tmp_path), Settings(root=tmp_path, select=("ACT101",)))
    assert not result.internal_errors
    line = source.split("\n").index("        time.sleep(1)") + 1  # not splitlines: it splits at \x0c
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("ACT101", line)]
