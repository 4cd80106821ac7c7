"""ACT202's fix adds its import where isort and Ruff put it: a module that ``ruff check
--select I`` found sorted is still sorted after ``--fix``. Ruff is the oracle (a test
dependency); each header below is realistic and clean under it before the fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from actorlint.cli import cli

HANDLER = """

class Feed(pykka.ThreadingActor):
    def on_receive(self, message):
        time.sleep(1)
"""

# An in-house framework (declared in config) imported first-party or relative: the module
# has no third-party section until the fix adds one.
BUS_HANDLER = """

class Feed(Actor):
    def handle_price(self, message):
        time.sleep(1)
"""
BUS_CONFIG = """[tool.actorlint.frameworks.bus]
actor-bases = ["shop.bus.Actor"]
handlers = ["handle_*"]
"""

HEADERS = {
    "stdlib and a plain third-party import": """
        import time

        import pykka
    """,
    "a third-party from-import sorted after ours": """
        import time

        import pykka
        from pykka import ActorRef
    """,
    "future, docstring, stdlib, third-party, first-party": '''
        """Price feeds."""

        from __future__ import annotations

        import time
        from typing import Any

        import pykka
        from thespian.actors import (
            ActorExitRequest,
            ActorSystem,
        )

        from shop.models import Price
    ''',
    "no third-party section yet: only first-party after the standard library": """
        import time

        from shop.bus import Actor
    """,
    "relative imports only, after the standard library": """
        import time

        from .bus import Actor
    """,
    "first-party only, nothing before": """
        from shop.bus import Actor
        from shop.models import Price
    """,
    "case-insensitive order": """
        import time

        import pykka
        from Acme import Quote
        from zeta import Zed
    """,
}


def _ruff() -> list:
    exe = shutil.which("ruff")
    if exe is not None:
        return [exe]
    try:
        import ruff  # noqa: F401
    except ImportError:
        pytest.skip("ruff is not installed")
    return [sys.executable, "-m", "ruff"]


def _sorted(project: Path, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*_ruff(), "check", "--isolated", "--no-cache", "--select", "I", str(path)],
                          cwd=str(project), capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_a_sorted_module_stays_sorted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "models.py").write_text("Price = float\n", encoding="utf-8")
    (package / "bus.py").write_text("class Actor:\n    pass\n", encoding="utf-8")
    header = textwrap.dedent(HEADERS[name]).lstrip("\n")
    in_house = "bus import Actor" in header
    config = BUS_CONFIG if in_house else "[tool.actorlint]\n"
    handler = BUS_HANDLER if in_house else HANDLER
    if "import time" not in header:  # nothing that blocks: ask for a limit on every handler
        config = '[tool.actorlint]\nrequire-time-limits = "all"\n' + config.replace("[tool.actorlint]\n", "")
        handler = handler.replace("time.sleep(1)", "return message")
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    path = package / "feeds.py"
    source = header + handler
    path.write_text(source, encoding="utf-8")
    before = _sorted(tmp_path, path)
    assert before.returncode == 0, f"the header must be sorted to begin with:\n{before.stdout}"

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--select", "ACT202", "--fix", "--unsafe-fixes",
                                      "shop/feeds.py"], catch_exceptions=False)
    assert "Fixed 1 error." in result.output, result.output
    fixed = path.read_text(encoding="utf-8")
    assert fixed.count("from actorlint_runtime import time_limited\n") == 1
    compile(fixed, str(path), "exec")
    after = _sorted(tmp_path, path)
    assert after.returncode == 0, f"{after.stdout}\n{fixed}"
