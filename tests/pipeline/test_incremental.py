"""Reusing the last run's record (actorlint/incremental.py): a run after an edit reports
exactly what a run without cache reports, and does the whole pipeline only when the edit
can change what other files or rules see.

Each test runs the real CLI in this process (click's runner) on a small Pykka project and
counts how often the pipeline ran (``engine.collect_project``): that is what tells reuse
from recomputation, and the findings are compared with a ``--no-cache`` run every time.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import List, Tuple

import pytest
from click.testing import CliRunner

from actorlint import cache as cache_module
from actorlint import engine, facts_collection
from actorlint.cli import cli
from actorlint.prefilter import DEFINES, IN_PACKAGE, FileWords, PairMatcher
from tests.cli_helpers import write_tree

ACTORS = """\
import pykka


class Counter(pykka.ThreadingActor):
    def __init__(self):
        super().__init__()
        self.count = 0

    def add(self, n):
        self.count += n
        return self.count
"""

# Names no framework: the prefilter picks it through the pair (Counter, actors).
CLIENT = """\
from shop.actors import Counter


def run():
    proxy = Counter.start().proxy()
    return proxy.add(1).get()
"""

UTIL = """\
def double(n):
    return 2 * n
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_tree(tmp_path, {"shop/__init__.py": "", "shop/actors.py": ACTORS,
                                 "shop/client.py": CLIENT, "shop/util.py": UTIL},
                      pyproject="[tool.actorlint]\n")
    monkeypatch.chdir(root)
    return root


class _Pipeline:
    """Counts the runs of the whole pipeline."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs = 0
        real = engine.collect_project

        def counting(*args, **kwargs):
            self.runs += 1
            return real(*args, **kwargs)
        monkeypatch.setattr(engine, "collect_project", counting)


def _check(*args: str) -> List[Tuple[str, int, str]]:
    result = CliRunner().invoke(cli, ["check", "--jobs", "1", "--exit-zero", "--output-format", "json", *args])
    assert result.exit_code == 0, result.output
    return [(d["path"], d["line"], d["code"]) for d in json.loads(result.output)]


def _edit(path: Path, change) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_a_staged_file_is_answered_from_the_tree_runs_record(project: Path, monkeypatch) -> None:
    pipeline = _Pipeline(monkeypatch)
    assert _check(".") == [("shop/client.py", 6, "ACT201")]
    assert pipeline.runs == 1
    assert _check("shop/client.py") == [("shop/client.py", 6, "ACT201")]
    assert _check("shop/actors.py") == []
    assert pipeline.runs == 1  # both answered from the record of the tree run


@pytest.mark.parametrize("path, change, reused", [
    # A module using no actor, edited anywhere: it stays syntax-only, nothing else changes.
    ("shop/util.py", lambda text: "import os\n\n\n" + text + "\n\ndef triple(n):\n    return 3 * n\n", True),
    # A comment appended to actor code: every fact (positions included) is what it was.
    ("shop/actors.py", lambda text: text + "# reviewed\n", True),
    # The same for a file the prefilter picks through a pair, not a framework word.
    ("shop/client.py", lambda text: text + "# reviewed\n", True),
    # A line inserted above the actor, or above a finding: positions move and nothing else;
    # the findings move with them (position_shift.py).
    ("shop/actors.py", lambda text: "# Counters.\n" + text, True),
    ("shop/client.py", lambda text: "# Clients.\n" + text, True),
    ("shop/client.py", lambda text: text.replace("    return proxy", "\n    # Ask.\n    return proxy"), True),
    # Text added before a fact on its own line moves its column: worked out again.
    ("shop/client.py", lambda text: text.replace("    return proxy", "    return  proxy"), False),
    # A module that starts using the framework: it must now be analysed in full.
    ("shop/util.py", lambda text: text + "\n\ndef ask(proxy):\n    import pykka\n    return proxy.add(1).get()\n", False),
    # A suppression comment added to a file with findings changes its facts.
    ("shop/client.py", lambda text: text.replace(".get()", ".get()  # noqa: ACT201"), False),
    # A syntax error: the file gets an ACT000 and the rest is worked out again.
    ("shop/util.py", lambda text: text + "def broken(:\n", False),
])
def test_an_edit_gives_what_a_run_without_cache_gives(project: Path, monkeypatch, path, change, reused) -> None:
    _check(".")
    _edit(project / path, change)
    pipeline = _Pipeline(monkeypatch)
    found = _check(".")
    assert pipeline.runs == (0 if reused else 1)
    assert found == _check(".", "--no-cache")
    assert _check(path) == [f for f in found if f[0] == path]


def test_a_file_that_now_matches_another_pair_is_worked_out_again(project: Path, monkeypatch) -> None:
    """A module that spells the actor's name and module only in a comment is not picked;
    once it defines something an analysed file passes a handle to, it is."""
    _edit(project / "shop/util.py", lambda text: text + "# Counter lives in shop.actors\n")
    _check(".")
    _edit(project / "shop/client.py", lambda text: text.replace(
        "    return proxy.add(1).get()", "    from shop.util import double\n    return double(proxy)"))
    _check(".")
    _edit(project / "shop/util.py", lambda text: text + "\n\ndef wait(proxy):\n    return proxy.add(1).get()\n")
    _edit(project / "shop/client.py", lambda text: text.replace("double", "wait"))
    pipeline = _Pipeline(monkeypatch)
    found = _check(".")
    assert pipeline.runs == 1
    assert found == _check(".", "--no-cache") == [("shop/util.py", 7, "ACT201")]


def test_many_changed_files_run_the_pipeline(project: Path, monkeypatch) -> None:
    _check(".")
    for index in range(20):
        (project / f"shop/extra_{index}.py").write_text(UTIL, encoding="utf-8")
    pipeline = _Pipeline(monkeypatch)
    _check(".")
    assert pipeline.runs == 1  # a new file changes the project's files: another record
    for index in range(20):
        _edit(project / f"shop/extra_{index}.py", lambda text: text + "# edited\n")
    _check(".")
    assert pipeline.runs == 2  # more changed files than it is worth checking one by one


@pytest.mark.parametrize("text, module", [
    (b"from shop.actors import Counter\n", "shop.client"),
    (b"# Counter in actors, and class Worker:\n", "shop.util"),
    (b"def helper(core):\n    return core\n", "mopidy_x.frontend"),
    (b"def helper(core):\n    return core\n", "other.frontend"),
    (b"class Worker:\n    pass\n", "shop.util"),
    (b"x = 1\n", "shop.util"),
])
def test_matched_pairs_agree_with_the_pick(text: bytes, module: str) -> None:
    pairs = {("Counter", "actors"), ("Worker", DEFINES), ("core", IN_PACKAGE + "mopidy_x")}
    matcher = PairMatcher(pairs, FileWords())
    matched = matcher.matched(text, module)
    assert bool(matched) == matcher.search(text, module)
    assert matched <= pairs


def test_an_undone_edit_is_answered_without_analysing_anything(project: Path, monkeypatch) -> None:
    from actorlint import workers

    _check(".")
    original = (project / "shop/actors.py").read_text(encoding="utf-8")
    _edit(project / "shop/actors.py", lambda text: text + "# reviewed\n")
    _check(".")
    (project / "shop/actors.py").write_text(original, encoding="utf-8")
    analysed = []
    real = workers.analyse_safely
    monkeypatch.setattr(workers, "analyse_safely", lambda job, knowledge: analysed.append(job) or real(job, knowledge))
    pipeline = _Pipeline(monkeypatch)
    assert _check(".") == [("shop/client.py", 6, "ACT201")]
    assert pipeline.runs == 0 and analysed == []  # its facts were cached under its text's key


class _Reads:
    """Counts the files read from disk."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: List[str] = []
        real = facts_collection.read_source_bytes

        def counting(path):
            self.paths.append(str(path))
            return real(path)
        monkeypatch.setattr(facts_collection, "read_source_bytes", counting)


def test_files_whose_stamps_are_unchanged_are_not_read_again(project: Path, monkeypatch) -> None:
    monkeypatch.setattr(facts_collection, "_RACY_NS", 0)  # trust stamps at once (no 2 s wait)
    first = _check(".")
    reads = _Reads(monkeypatch)
    assert _check(".") == first
    assert _check("shop/client.py") == first  # a staged file, from the tree run's record
    assert reads.paths == []


def test_an_edit_that_keeps_size_and_modification_time_is_seen(project: Path, monkeypatch) -> None:
    monkeypatch.setattr(facts_collection, "_RACY_NS", 0)
    assert _check(".") == [("shop/client.py", 6, "ACT201")]
    client = project / "shop" / "client.py"
    before = client.stat()
    # Same size, same modification time (reset as some tools do): the change time differs.
    client.write_text(CLIENT.replace(".add(1).get()", ".add(1)#get()"), encoding="utf-8")
    os.utime(client, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert client.stat().st_size == before.st_size
    assert _check(".") == _check("--no-cache", ".") == []


def test_a_file_changed_within_two_seconds_is_not_trusted(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.py"
    fresh.write_text("x = 1\n", encoding="utf-8")
    now = time.time_ns()
    assert facts_collection.trusted_stamp(str(fresh), now) == ""  # read again next time
    assert facts_collection.trusted_stamp(str(fresh), now + 3_000_000_000) != ""
    assert facts_collection.trusted_stamp(str(tmp_path / "missing.py"), now) is None


def test_a_record_made_by_other_analysis_code_is_not_used(project: Path, monkeypatch) -> None:
    # A patched or locally edited actorlint keeps its version number: the record of a run
    # made by the other code (and the fact keys it lends to files by their stamps) must
    # not answer, or that code's findings would stand.
    monkeypatch.setattr(facts_collection, "_RACY_NS", 0)
    first = _check(".")
    pipeline = _Pipeline(monkeypatch)
    monkeypatch.setattr(cache_module, "code_identity", lambda: "another build of actorlint")
    assert _check(".") == first
    assert pipeline.runs == 1
    assert _check(".") == first
    assert pipeline.runs == 1  # its own record answers the next run
