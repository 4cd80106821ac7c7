"""An edit that only moves code (actorlint/position_shift.py): the last run's findings move
with it instead of the project being judged again, and a run after the edit reports, byte
for byte in every format that carries positions, what a run without cache reports.

The project is a small Ray program whose findings cite positions in every way a finding
can: its own span, a fix's offsets (ACT201, ACT202 with its import), a related location
(ACT502, ACT301), ``line N`` in a message (ACT202, ACT502) and ``path:N`` of another file
(ACT301 names the calls and casts it found in the client).
"""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Callable, Set, Tuple

import pytest
from click.testing import CliRunner

from actorlint import engine
from actorlint.cli import cli
from actorlint.model.facts import (
    BlockingSite, Dependency, FileFacts, ImportAnchor, MessageSite, Payload, TimeLimitSite,
)
from actorlint.position_shift import POSITION_FIELDS, shift_between
from tests.cli_helpers import write_tree

ACTORS = """\
import time

import ray


@ray.remote
class Counter:
    def __init__(self):
        self.value = 0

    def read(self):
        return self.value

    def write(self, value):
        self.value = value

    def rest(self):
        time.sleep(3)
"""

CLIENT = """\
import ray

from shop.actors import Counter


def bump(counter):
    current = ray.get(counter.read.remote())
    counter.write.remote(current + 1)


def main():
    counter = Counter.remote()
    bump(counter)
    ray.get(counter.rest.remote(), timeout=10)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_tree(tmp_path, {"shop/__init__.py": "", "shop/actors.py": ACTORS, "shop/client.py": CLIENT},
                      pyproject="[tool.actorlint]\npreview = true\n")
    monkeypatch.chdir(root)
    return root


def _report(*args: str) -> str:
    result = CliRunner().invoke(cli, ["check", "--jobs", "1", "--exit-zero", *args, "."])
    assert result.exit_code == 0, result.output
    return result.output


def _judged(monkeypatch: pytest.MonkeyPatch) -> list:
    """A list that grows each time the project is judged."""
    calls: list = []
    real = engine.judging.run_rules
    monkeypatch.setattr(engine.judging, "run_rules", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


_Edit = Callable[[str], str]


@pytest.mark.parametrize("path, change, moved_only", [
    # Lines inserted at the top: every position below moves (ACT301's "shop/client.py:N"
    # in the other file's finding too).
    ("shop/client.py", lambda text: "# Client.\n\n" + text, True),
    ("shop/actors.py", lambda text: '"""Counters."""\n' + text, True),
    # A line between the read and the write of ACT502: its "line N" moves, its span not.
    ("shop/client.py", lambda text: text.replace("    counter.write", "    # Back.\n    counter.write"), True),
    # Lines removed above a handler (ACT202's fix inserts above its def).
    ("shop/actors.py", lambda text: text.replace("import time\n\n", "import time\n"), True),
    # A comment at the end of the file moves nothing: the record stands as it is.
    ("shop/actors.py", lambda text: text + "# End.\n", True),
    # Code that changes what the facts say: judged again.
    ("shop/client.py", lambda text: text.replace("timeout=10", "timeout=None"), False),
    # A column moved by text before the call on its line: judged again.
    ("shop/client.py", lambda text: text.replace("current = ray", "current =  ray"), False),
    # Two functions swapped: same facts in another order, not a move: judged again.
    ("shop/client.py", lambda text: text[text.index("def main"):] + "\n\n" + text[:text.index("def main")], False),
])
def test_a_run_after_the_edit_reports_what_a_run_without_cache_reports(
        project: Path, monkeypatch: pytest.MonkeyPatch, path: str, change: _Edit, moved_only: bool) -> None:
    formats = ("json", "sarif", "full")
    before = {fmt: _report("--output-format", fmt) for fmt in formats}
    target = project / path
    target.write_text(change(target.read_text(encoding="utf-8")), encoding="utf-8")
    judged = _judged(monkeypatch)
    after = {fmt: _report("--output-format", fmt) for fmt in formats}
    assert len(judged) == (0 if moved_only else 1)  # judged once, then answered from the new record
    for fmt in formats:
        assert after[fmt] == _report("--no-cache", "--output-format", fmt), fmt
    if moved_only and not path.endswith("actors.py"):
        assert after["json"] != before["json"]  # the findings did move


def test_a_cited_line_of_another_file_moves(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked by hand: ACT301 in shop/actors.py cites the client's lines 14 and 8, which
    three inserted lines make 17 and 11."""
    assert "(e.g. shop/client.py:14) and 1 cast (e.g. shop/client.py:8)" in _report()
    client = project / "shop/client.py"
    client.write_text("# One.\n# Two.\n# Three.\n" + client.read_text(encoding="utf-8"), encoding="utf-8")
    judged = _judged(monkeypatch)
    assert "(e.g. shop/client.py:17) and 1 cast (e.g. shop/client.py:11)" in _report()
    assert judged == []


#: Int-bearing fields of the facts that are plain values, not positions: ids, counts, sizes.
VALUE_FIELDS: Set[Tuple[type, str]] = {
    (MessageSite, "id"), (MessageSite, "replaces"), (BlockingSite, "id"), (TimeLimitSite, "id"),
    (Payload, "size"), (ImportAnchor, "newlines_before"), (ImportAnchor, "newlines_after"),
    (Dependency, "check"), (Dependency, "act"),
}


def _holds_int(kind: object) -> bool:
    return kind is int or any(_holds_int(arg) for arg in typing.get_args(kind))


def _int_fields(kind: object, seen: Set[type]) -> Set[Tuple[type, str]]:
    """Every (class, field) reachable from ``kind`` whose type holds ints directly."""
    found: Set[Tuple[type, str]] = set()
    is_record = isinstance(kind, type) and (dataclasses.is_dataclass(kind) or hasattr(kind, "_fields"))
    if is_record:
        if kind in seen:
            return found
        seen.add(kind)  # type: ignore[arg-type]
        for name, hint in typing.get_type_hints(kind).items():
            inner = [arg for arg in typing.get_args(hint) if isinstance(arg, type)
                     and (dataclasses.is_dataclass(arg) or hasattr(arg, "_fields"))]
            if _holds_int(hint) and not inner:
                found.add((kind, name))  # type: ignore[arg-type]
            found |= _int_fields(hint, seen)
    for arg in typing.get_args(kind):
        found |= _int_fields(arg, seen)
    return found


def test_every_int_field_of_the_facts_is_a_position_or_a_value() -> None:
    """A new int field must be classified: if it held a position and were not listed,
    two facts differing in it would never be found moved (harmless); if it held a value
    and were listed as a position, facts that differ in it would be taken as moved."""
    fields = _int_fields(FileFacts, set())
    assert fields == set(POSITION_FIELDS) | VALUE_FIELDS
    assert not set(POSITION_FIELDS) & VALUE_FIELDS


def test_facts_reordered_or_changed_are_not_a_move(tmp_path: Path) -> None:
    from actorlint.analyse import FileJob, analyse

    def facts(text: str) -> FileFacts:
        return analyse(FileJob("shop/client.py", "shop/client.py", "shop.client", False, source=text.encode()))

    base = facts(CLIENT)
    moved = shift_between(base, facts("\n\n" + CLIENT))
    assert moved is not None and moved.lines[7] == 9 and all(new == old + 2 for old, new in moved.offsets.items())
    assert shift_between(base, facts(CLIENT.replace("timeout=10", "timeout=11"))) is None
    assert shift_between(base, facts(CLIENT.replace("counter.write", "counter.read"))) is None
