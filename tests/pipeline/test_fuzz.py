"""Fuzz: generated and mutated modules never crash the linter or the fixer (issue 6).

For every input, three promises:

* the linter: ``analyse`` (read, decode, parse, collect) raises nothing, and ``run_rules``
  on its facts reports no internal error: a bad file is an ACT000, nothing worse;
* the fixer: ``fix_files(..., unsafe=True)`` on the input written to a temporary file
  raises nothing and reports no internal error, and whatever it changed re-decodes to the
  same text and analyses without an ACT000 (fixes never break a file);
* a file that LibCST parses never gets an ACT000 from the nesting guard (the generated
  modules are small: if one is "nested too deeply", the guard misjudged it).

Inputs: `hypothesmith` modules (from the grammar, and from LibCST nodes), the same
embedded in a Pykka actor's handler next to calls the rules care about (so the collector
and the rules see actors, not only plain code), and the fixture files under random byte-
and line-level mutations (deleted, duplicated and swapped lines, truncation, inserted
bytes including NUL and invalid UTF-8, changed indentation).

CI runs a fixed, small number of examples, derandomized so that CI is deterministic; the
``slow`` variants run many more with fresh randomness (``pytest -m slow tests/pipeline/test_fuzz.py``).
Health checks about slow generation are off: LibCST parsing is the slow part, on purpose.
"""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path
from typing import Callable, List, Tuple

import pytest

hypothesmith = pytest.importorskip("hypothesmith")  # optional test dependencies
pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from actorlint.analyse import FileJob, analyse  # noqa: E402
from actorlint.config import Settings  # noqa: E402
from actorlint.engine import fix_files, run_rules  # noqa: E402
from actorlint.fixing import parses  # noqa: E402
from actorlint.source import decode_source  # noqa: E402

# hypothesmith compiles what it generates: CPython's warnings about that code are noise.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_FILES: List[Path] = sorted(
    p for p in list((ROOT / "tests" / "fixtures").rglob("*.py")) + list((ROOT / "examples").rglob("*.py"))
    if not p.name.endswith(".fixed.py")
)
SETTINGS = Settings(root=Path(tempfile.gettempdir()), select=("ALL",))

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
          HealthCheck.large_base_example]


def _ci(examples: int) -> Callable:
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=_QUIET)


def _slow(examples: int) -> Callable:
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=_QUIET)


# ---------------------------------------------------------------------------
# The promises.


def lint_and_fix(data: bytes) -> None:
    job = FileJob("fuzzed.py", "fuzzed.py", "fuzzed", False, source=data)
    facts = analyse(job)
    result = run_rules([facts], SETTINGS)
    assert result.internal_errors == [], result.internal_errors[0]
    for error in facts.errors:
        assert error.code == "ACT000" and error.message, error
        assert error.span.line >= 1 and error.span.column >= 1, error
    if any("nested too deeply" in e.message for e in facts.errors):
        import libcst

        with pytest.raises(Exception):  # noqa: B017 - any refusal: LibCST must agree
            libcst.parse_module(decode_source(data))

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.py"
        path.write_bytes(data)
        outcome = fix_files([FileJob(str(path), "fuzzed.py", "fuzzed", False)], SETTINGS, unsafe=True)
    assert outcome.remaining.internal_errors == [], outcome.remaining.internal_errors[0]
    for change in outcome.changes:
        assert parses(change.text)
        fixed = analyse(FileJob("fixed.py", "fixed.py", "fixed", False, source=_encode(change)))
        assert not fixed.errors, (fixed.errors, change.text)


def _encode(change) -> bytes:  # type: ignore[no-untyped-def]
    from actorlint.fixing import encode_source

    return encode_source(change.source, change.text)


# ---------------------------------------------------------------------------
# Generated modules.

# Calls and shapes the collector and the rules look at, to put next to generated code.
ACTOR_LINES = [
    "time.sleep(1)",
    "requests.get('http://x')",
    "ref.ask({'x': 1})",
    "ref.ask({'x': 1}, timeout=2.0)",
    "ref.tell('go')",
    "self.actor_ref.ask('again')",
    "ref.proxy().work().get()",
    "pykka.get_all([ref.ask(1, block=False)])",
    "subprocess.run(['ls'])",
    "data = [0] * 100000",
    "ref.tell(list(range(5000)))",
    "value = ref.ask('read')\n        ref.tell(value + 1)",
]


def _actor_module(generated: str, lines: List[str]) -> str:
    body = "\n".join(f"        {line}" for line in lines) or "        pass"
    return (
        "import subprocess\nimport time\n\nimport pykka\nimport requests\n\n"
        f"{generated}\n\n"
        "class Fuzzed(pykka.ThreadingActor):\n"
        "    def on_receive(self, message):\n"
        f"{body}\n"
        f"{textwrap.indent(generated, '        ')}\n"
        "\n\ndef use():\n    ref = Fuzzed.start()\n"
        f"{textwrap.indent(chr(10).join(lines) or 'pass', '    ')}\n"
    )


actor_modules = st.builds(
    _actor_module,
    hypothesmith.from_grammar(),
    st.lists(st.sampled_from(ACTOR_LINES), max_size=6),
)


@_ci(25)
@given(hypothesmith.from_grammar())
def test_grammar_modules_never_crash(source: str) -> None:
    lint_and_fix(source.encode("utf-8", "surrogatepass"))


@_ci(6)
@given(hypothesmith.from_node())
def test_libcst_node_modules_never_crash(source: str) -> None:
    lint_and_fix(source.encode("utf-8", "surrogatepass"))


@_ci(25)
@given(actor_modules)
def test_actor_flavoured_modules_never_crash(source: str) -> None:
    lint_and_fix(source.encode("utf-8", "surrogatepass"))


# ---------------------------------------------------------------------------
# Mutated fixture files.

Mutation = Tuple[str, int, int, bytes]

mutations = st.tuples(
    st.sampled_from(["delete-line", "duplicate-line", "swap-lines", "truncate", "insert-bytes",
                     "indent", "dedent", "tabify"]),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
    st.one_of(st.binary(max_size=6), st.sampled_from([b"\0", b"\xff", b"\xc3", b"(", b"]", b'"""',
                                                      b"\\", b"\r", b"\t", b"\xef\xbb\xbf", b":"])),
)


def mutate(data: bytes, changes: List[Mutation]) -> bytes:
    for kind, a, b, payload in changes:
        lines = data.splitlines(keepends=True) or [b""]
        i, j = a % len(lines), b % len(lines)
        if kind == "delete-line":
            del lines[i]
        elif kind == "duplicate-line":
            lines.insert(i, lines[i])
        elif kind == "swap-lines":
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "indent":
            lines[i] = b" " * (1 + b % 8) + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i].lstrip(b" \t")
        elif kind == "tabify":
            lines[i] = lines[i].replace(b"    ", b"\t", 1)
        elif kind == "truncate":
            return b"".join(lines)[: a % (len(data) + 1)]
        else:  # insert-bytes
            joined = b"".join(lines)
            at = a % (len(joined) + 1)
            data = joined[:at] + payload + joined[at:]
            continue
        data = b"".join(lines)
    return data


@_ci(40)
@given(st.sampled_from(FIXTURE_FILES), st.lists(mutations, min_size=1, max_size=4))
def test_mutated_fixtures_never_crash(path: Path, changes: List[Mutation]) -> None:
    lint_and_fix(mutate(path.read_bytes(), changes))


def test_there_are_fixtures_to_mutate() -> None:
    assert len(FIXTURE_FILES) > 50


# ---------------------------------------------------------------------------
# The same with many more examples, fresh randomness: run by `pytest -m slow`.



@pytest.mark.slow
@_slow(1500)
@given(hypothesmith.from_grammar())
def test_grammar_modules_never_crash_slow(source: str) -> None:
    lint_and_fix(source.encode("utf-8", "surrogatepass"))


@pytest.mark.slow
@_slow(500)
@given(hypothesmith.from_node())
def test_libcst_node_modules_never_crash_slow(source: str) -> None:
    lint_and_fix(source.encode("utf-8", "surrogatepass"))


@pytest.mark.slow
@_slow(1500)
@given(actor_modules)
def test_actor_flavoured_modules_never_crash_slow(source: str) -> None:
    lint_and_fix(source.encode("utf-8", "surrogatepass"))


@pytest.mark.slow
@_slow(3000)
@given(st.sampled_from(FIXTURE_FILES), st.lists(mutations, min_size=1, max_size=6))
def test_mutated_fixtures_never_crash_slow(path: Path, changes: List[Mutation]) -> None:
    lint_and_fix(mutate(path.read_bytes(), changes))
