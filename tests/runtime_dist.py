"""Build the ``actorlint-runtime`` distribution (``runtime/``) the way pip does, for tests
that install it somewhere: alone in a fresh environment, or as actorlint's dependency in
pre-commit's hook environment (it is found there through ``PIP_FIND_LINKS``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def build_runtime_wheel(out: Path) -> Path:
    """The wheel of ``runtime/``, built by pip (an isolated build, as an installer runs it)."""
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out),
         str(ROOT / "runtime")],
        capture_output=True, text=True, timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(f"building the runtime wheel failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    [wheel] = out.glob("actorlint_runtime-*.whl")
    return wheel
