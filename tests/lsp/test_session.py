"""The editor's project session (actorlint/lsp/session.py): a document whose code only moved
since its last check (a line typed above it) gets its findings moved, without the project
being judged again, and exactly what a fresh session reports for the same text."""

from __future__ import annotations

from pathlib import Path

import pytest

from actorlint.lsp import session as session_module
from actorlint.lsp.session import ProjectSession
from tests.cli_helpers import write_tree
from tests.pipeline.test_position_shift import ACTORS, CLIENT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {"shop/__init__.py": "", "shop/actors.py": ACTORS, "shop/client.py": CLIENT},
                      pyproject="[tool.actorlint]\npreview = true\n")


def _judged(monkeypatch: pytest.MonkeyPatch) -> list:
    calls: list = []
    real = session_module.run_rules
    monkeypatch.setattr(session_module, "run_rules", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def _fresh(project: Path, path: Path, text: str) -> list:
    return ProjectSession(project / "pyproject.toml", project).check(path, text)


def test_typing_a_line_above_the_code_moves_the_findings(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = ProjectSession(project / "pyproject.toml", project)
    client, actors = project / "shop/client.py", project / "shop/actors.py"
    first = session.check(client, CLIENT)
    assert [(d.code, d.span.line) for d in first] == [("ACT201", 7), ("ACT502", 7)]
    judged = _judged(monkeypatch)
    for text in ("\n" + CLIENT, "# Client.\n\n" + CLIENT, CLIENT.replace("    counter.write", "\n    counter.write")):
        moved = session.check(client, text)
        assert moved == _fresh(project, client, text)
    assert len(judged) == 3  # the three fresh sessions only
    assert [(d.code, d.span.line) for d in session.check(client, "\n" + CLIENT)] == [("ACT201", 8), ("ACT502", 8)]
    assert len(judged) == 3
    # Another document changed meanwhile: the project is judged again.
    session.check(actors, "\n" + ACTORS)
    judged.clear()
    assert session.check(client, CLIENT) == _fresh(project, client, CLIENT)
    assert len(judged) == 2  # this session and the fresh one
    # A change to what the code does is judged too.
    judged.clear()
    changed = CLIENT.replace("counter.write.remote(current + 1)", "print(current)")
    assert [d.code for d in session.check(client, changed)] == ["ACT201"]
    assert len(judged) == 1
