"""``time_limited`` is typed: under ``mypy --strict`` decorated sync and async functions
and methods keep their signatures, the call form's outcome is ``Ok[T] | Exit | TimedOut``,
and the runtime itself has no error. Expected output checked by hand against the
sample's annotations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy")
if sys.version_info < (3, 10):
    pytest.skip("the sample uses match (Python 3.10+)", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "typing" / "uses_time_limited.py"
OUTCOME = ("actorlint_runtime._outcomes.Ok[{}] | actorlint_runtime._outcomes.Exit | "
           "actorlint_runtime._outcomes.TimedOut")


def _mypy(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, MYPYPATH=str(ROOT / "runtime" / "src"))
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--cache-dir", os.devnull, *args],
                          cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=300)


def test_decorated_functions_keep_their_signatures_under_strict_mypy() -> None:
    proc = _mypy(str(SAMPLE.relative_to(ROOT)))
    lines = [line.split(": ", 1)[1] for line in proc.stdout.splitlines() if line.startswith("tests/")]
    assert lines == [
        'note: Revealed type is "def (sku: str, quantity: int =) -> float"',
        'note: Revealed type is "def (amount: float) -> float"',
        'note: Revealed type is "def (url: str) -> typing.Coroutine[Any, Any, bytes]"',
        f'note: Revealed type is "{OUTCOME.format("float")}"',
        f'note: Revealed type is "{OUTCOME.format("bytes")}"',
        'error: Argument 1 to "price" has incompatible type "int"; expected "str"  [arg-type]',
        'error: Argument 1 to "add" of "Shop" has incompatible type "str"; expected "float"  [arg-type]',
    ], proc.stdout + proc.stderr


def test_the_runtime_passes_strict_mypy() -> None:
    proc = _mypy("-p", "actorlint_runtime")
    assert proc.returncode == 0, proc.stdout + proc.stderr
