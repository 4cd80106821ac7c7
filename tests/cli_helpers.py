"""Trees, sources and runners the command-line tests share (the ``run`` fixture is in
conftest.py). The expected diagnostics of these sources were checked by hand."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Union

from click.testing import Result

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# A Pykka actor whose handler sleeps (ACT101 on line 8, columns 9-22: `time.sleep(2)`)
# and a plain function asking it with no timeout (ACT201 on line 14, columns 12-24:
# `ref.ask("x")`).
WORKER = """\
import time

import pykka


class Worker(pykka.ThreadingActor):
    def on_receive(self, message):
        time.sleep(2)
        return message


def use():
    ref = Worker.start()
    return ref.ask("x")
"""
WORKER_ACT101 = 8
WORKER_ACT201 = 14

# The same shapes done right: nothing blocks in the handler, the ask has a timeout
# below the default call-timeout of 5 seconds.
CLEAN = """\
import pykka


class Doubler(pykka.ThreadingActor):
    def on_receive(self, message):
        return message * 2


def use():
    ref = Doubler.start()
    return ref.ask(21, timeout=1.0)
"""

# Only an ACT101, on line 8.
SLEEPER = """\
import time

import pykka


class Sleeper(pykka.ThreadingActor):
    def on_receive(self, message):
        time.sleep(2)
"""

# These tests exercise the command line on ACT101 and ACT201; the rules added later
# (ACT202 also reports the sleeping handler) are selected out so the expectations stay
# about the CLI, not about which rules exist.
DEFAULT_PYPROJECT = '[project]\nname = "demo"\n\n[tool.actorlint]\nselect = ["ACT1", "ACT201"]\n'

JSON_KEYS = {
    "code", "name", "message", "path", "line", "column", "end_line", "end_column",
    "severity", "fix", "url",
}


def write_tree(root: Path, files: Dict[str, Union[str, bytes]], pyproject: Optional[str] = DEFAULT_PYPROJECT) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``root``, plus a pyproject."""
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def codes_and_lines(result: Result) -> List[tuple]:
    """(path, line, code) of each text-format diagnostic line in stdout."""
    found = []
    for line in result.stdout.splitlines():
        match = re.match(r"^(.+?):(\d+):(\d+): (ACT\d{3}) ", line)
        if match:
            found.append((match.group(1), int(match.group(2)), match.group(4)))
    return found


def json_diagnostics(result: Result) -> List[dict]:
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def python_m_actorlint(args: Sequence[str], cwd: Path, input: Optional[bytes] = None) -> subprocess.CompletedProcess:
    """Run ``python -m actorlint`` as a real subprocess, importing this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PROJECT_ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    )
    return subprocess.run(
        [sys.executable, "-m", "actorlint", *args], cwd=cwd, env=env, input=input,
        capture_output=True, timeout=120, check=False,
    )
