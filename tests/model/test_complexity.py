"""The pre-parse guard's budget: files too large or too complex for LibCST are reported
(ACT000) before LibCST sees them, the same way whichever path reads them, and ordinary
code is cleared by the cheap scan alone. Costs themselves are measured by
bench/complexity.py, not asserted here."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path
from typing import List

import libcst
import pytest
from click.testing import CliRunner

from actorlint import complexity
from actorlint.analyse import FileJob, analyse, check_syntax
from actorlint.cli import cli
from actorlint.config import Settings
from actorlint.engine import check_files, jobs_for_paths

HANDLER = """
import time

import pykka


class Worker(pykka.ThreadingActor):
    def on_receive(self, message):
        time.sleep(1)
"""

# The case of the report: ten lines of 2,490 chained subscripts took 144 s and ended as
# ACT000 anyway.
CHAINED_SUBSCRIPTS = "".join("x = a" + "[0]" * 2490 + "\n" for _ in range(10))


def _job(source: str, name: str = "case.py") -> FileJob:
    return FileJob(path=name, display_path=name, module="case", is_package=False, source=source.encode())


@pytest.fixture
def libcst_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """LibCST's parser raises if asked: proves a file was refused before parsing."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("LibCST was asked to parse a file the guard should have refused")
    monkeypatch.setattr(libcst, "parse_module", refuse)


def _messages(facts: object) -> List[str]:
    return [error.message for error in facts.errors]  # type: ignore[attr-defined]


def test_chained_subscripts_are_too_complex_and_not_parsed(libcst_forbidden: None) -> None:
    facts = analyse(_job(HANDLER + CHAINED_SUBSCRIPTS))
    [message] = _messages(facts)
    assert message.startswith("Cannot analyse file: it is too complex")
    assert "`max-file-tokens` is 500,000" in message
    assert facts.errors[0].span.line == HANDLER.count("\n") + 1  # the first chain


def test_a_file_over_the_token_budget_is_too_large(libcst_forbidden: None) -> None:
    source = HANDLER + "".join(f"value_{i} = compute({i}, 'label', key=[{i}, {i + 1}])\n" for i in range(2000))
    facts = analyse(_job(source), max_file_tokens=10_000)
    [message] = _messages(facts)
    tokens = complexity.count_tokens(source)
    # By hand: 17 per line (`value_0 = compute ( 0 , 'label' , key = [ 0 , 1 ] )` and its
    # line end) on 2,000 lines, and the handler's 26 tokens and 9 line ends.
    assert tokens == 17 * 2000 + 26 + 9
    assert message == f"Cannot analyse file: it is too large (about {tokens:,} tokens; `max-file-tokens` is 10,000)"


def test_the_same_file_under_its_budget_is_analysed() -> None:
    source = HANDLER + "".join(f"value_{i} = compute({i}, 'label', key=[{i}, {i + 1}])\n" for i in range(2000))
    facts = analyse(_job(source), max_file_tokens=40_000)
    assert not facts.errors and facts.sites  # the handler's sleep was found


def test_a_chain_under_the_budget_is_analysed() -> None:
    source = HANDLER + "x = a" + "[0]" * 1000 + "\n"
    facts = analyse(_job(source))
    assert not facts.errors and facts.sites


@pytest.mark.parametrize("source", [CHAINED_SUBSCRIPTS, "x = [" + "1, " * 20_000 + "]\n"],
                         ids=["too-complex", "too-large"])
def test_files_only_syntax_checked_get_the_same_answer(source: str, libcst_forbidden: None) -> None:
    """A file with no actor code is only syntax-checked (the prefilter), yet it is as
    costly to analyse as ever: whichever path reads it, the answer is the same."""
    budget = 20_000
    analysed = analyse(_job(source), max_file_tokens=budget)
    checked = check_syntax(_job(source), max_file_tokens=budget)
    assert checked is not None
    assert _messages(checked) == _messages(analysed) and len(_messages(analysed)) == 1


@pytest.mark.parametrize("prefilter", [True, False])
def test_run_reports_the_file_and_goes_on(tmp_path: Path, prefilter: bool) -> None:
    (tmp_path / "generated.py").write_text(CHAINED_SUBSCRIPTS, encoding="utf-8")
    (tmp_path / "worker.py").write_text(HANDLER, encoding="utf-8")
    paths = sorted(tmp_path.glob("*.py"))
    result = check_files(jobs_for_paths(paths, tmp_path), Settings(root=tmp_path, select=("ACT000", "ACT101")), prefilter=prefilter)
    found = sorted((d.path, d.code) for d in result.diagnostics)
    assert found == [("generated.py", "ACT000"), ("worker.py", "ACT101")]


def test_budget_is_configurable_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.actorlint]\nmax-file-tokens = 10\n", encoding="utf-8")
    (tmp_path / "worker.py").write_text(HANDLER, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(tmp_path / "worker.py")])
    assert result.exit_code == 1
    assert "ACT000 Cannot analyse file: it is too large" in result.output
    assert "`max-file-tokens` is 10)" in result.output

    (tmp_path / "pyproject.toml").write_text("[tool.actorlint]\nmax-file-tokens = 0\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(tmp_path / "worker.py")])
    assert result.exit_code == 2 and "max-file-tokens: expected a positive integer, got 0" in result.output


def _must_not_parse() -> ast.Module:
    raise AssertionError("the scan should have cleared this file without a parse")


@pytest.mark.parametrize("module", ["argparse", "typing", "_pydecimal"])
def test_real_code_is_cleared_by_the_scan_alone(module: str) -> None:
    """Ordinary modules cost only their tokens: no CPython parse is spent on them."""
    source = (Path(sysconfig.get_paths()["stdlib"]) / f"{module}.py").read_text(encoding="utf-8")
    assert complexity.pre_parse_problem(source, complexity.DEFAULT_MAX_FILE_TOKENS, _must_not_parse) is None


def test_weighing_grows_with_the_square_of_a_chain() -> None:
    """A chain twice as long weighs four times as much; the same links split over lines
    weigh what the lines weigh apart (the model the budget rests on)."""
    def weight(source: str) -> float:
        return complexity.chain_cost(ast.parse(source))

    single = weight("x = a" + "[0]" * 500)
    double = weight("x = a" + "[0]" * 1000)
    assert 3.9 < double / single < 4.1
    assert weight(("x = a" + "[0]" * 500 + "\n") * 2) == pytest.approx(2 * single)
    # A flat list of as many items as the chain has links costs almost nothing extra.
    assert weight("x = [" + "a, " * 1000 + "]") < double / 100


def test_deeper_than_the_parser_allows_is_still_reported() -> None:
    """Past MAX_NESTING LibCST's native parser would overflow the C stack (3.13 accepts
    chains of 10,000): a clear ACT000, whatever the budget."""
    source = "x = " + " and ".join(["a"] * (complexity.MAX_NESTING + 10)) + "\n"
    problem = complexity.pre_parse_problem(source, 10**12, lambda: ast.parse(source))
    assert problem is not None
    assert problem[0] == "Cannot parse file: it is nested too deeply (more than 3,000 levels)"
