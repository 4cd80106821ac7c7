"""Fix goldens: every ``X.fixed.py`` in tests/fixtures is, byte for byte, what
``actorlint check --fix --unsafe-fixes --select <code>`` makes of ``X.py`` (the code is the
one the file name starts with; ``# config:`` lines at the top of ``X.py`` go into the
``pyproject.toml`` of the run). The goldens are reviewed by hand; these tests keep the
fixer from drifting away from them, and check that a fixed file re-parses, that fixing
twice changes nothing more, that ``--diff`` only shows the change, and that line endings
and a byte-order mark survive.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, List

import libcst
import pytest
from click.testing import CliRunner, Result

from actorlint.cli import cli
from actorlint.fixing import unified_diff
from tests.fixture_harness import CONFIG_LINE, FIXTURES

GOLDENS = sorted(FIXTURES.glob("*.fixed.py"))
BOM = b"\xef\xbb\xbf"


def _original(golden: Path) -> Path:
    return golden.with_name(golden.name[: -len(".fixed.py")] + ".py")


def _code(golden: Path) -> str:
    match = re.match(r"ACT\d{3}", golden.name)
    assert match, f"{golden.name}: a golden is named after the rule it fixes"
    return match.group(0)


def _config_lines(source: bytes) -> List[str]:
    """The fixture's ``# config: key = value`` lines (the fixture harness reads the same)."""
    lines = source.decode("utf-8").splitlines()[:5]
    return [line[len(CONFIG_LINE):].strip() for line in lines if line.startswith(CONFIG_LINE)]


def _crlf(data: bytes) -> bytes:
    assert b"\r" not in data, "fixtures are stored with LF line endings"
    return data.replace(b"\n", b"\r\n")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _prepare(workdir: Path, golden: Path, data: bytes = None, extra_config: Iterable[str] = ()) -> Path:
    """Copy the fixture (or ``data``) into ``workdir`` with a pyproject.toml of its own, so
    that no config file above the temporary folder takes part."""
    original = _original(golden)
    source = original.read_bytes()
    config = [*_config_lines(source), *extra_config]
    (workdir / "pyproject.toml").write_text("[tool.actorlint]\n" + "".join(f"{line}\n" for line in config),
                                            encoding="utf-8")
    target = workdir / original.name
    target.write_bytes(source if data is None else data)
    return target


def _check(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)


def _fix(path: Path, code: str, unsafe: bool = True) -> Result:
    flags = ["--fix", "--unsafe-fixes"] if unsafe else ["--fix"]
    result = _check(*flags, "--no-cache", "--select", code, path.name)
    assert result.exit_code in (0, 1), result.output
    assert "warning:" not in result.output, result.output  # no fix was refused
    return result


def test_every_fixture_with_fixes_has_a_golden() -> None:
    """The rules with fixes (ACT201, ACT202, and ACT402 for Ray) have goldens for all their
    fixture files."""
    with_golden = {_original(g).name for g in GOLDENS}
    for code in ("ACT201", "ACT202", "ACT402_ray"):
        fixtures = {p.name for p in FIXTURES.glob(f"{code}*.py") if not p.name.endswith(".fixed.py")}
        assert fixtures, code
        assert fixtures <= with_golden, sorted(fixtures - with_golden)
    for golden in GOLDENS:
        assert _original(golden).is_file(), golden.name


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda p: p.name)
def test_fix_produces_golden(workdir: Path, golden: Path) -> None:
    path = _prepare(workdir, golden)
    _fix(path, _code(golden))
    fixed = path.read_bytes()
    assert fixed == golden.read_bytes()
    libcst.parse_module(fixed)  # raises when the fixed file does not parse

    _fix(path, _code(golden))
    assert path.read_bytes() == fixed, "a second --fix changed the file again"


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda p: p.name)
def test_diff_shows_the_fix_and_writes_nothing(workdir: Path, golden: Path) -> None:
    path = _prepare(workdir, golden)
    before = path.read_bytes()
    result = _check("--diff", "--unsafe-fixes", "--no-cache", "--select", _code(golden), path.name)
    assert path.read_bytes() == before, "--diff wrote the file"
    expected = unified_diff(path.name, before.decode("utf-8"), golden.read_text(encoding="utf-8"))
    if golden.read_bytes() == before:  # a fixture whose diagnostics have no fix
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
    else:
        assert result.exit_code == 1, result.output
        assert f"--- a/{path.name}\n+++ b/{path.name}\n" in result.stdout
        assert result.stdout == expected


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda p: p.name)
def test_fix_keeps_crlf_line_endings(workdir: Path, golden: Path) -> None:
    path = _prepare(workdir, golden, data=_crlf(_original(golden).read_bytes()))
    _fix(path, _code(golden))
    fixed = path.read_bytes()
    assert fixed == _crlf(golden.read_bytes())
    _fix(path, _code(golden))
    assert path.read_bytes() == fixed


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda p: p.name)
def test_fix_keeps_byte_order_mark(workdir: Path, golden: Path) -> None:
    path = _prepare(workdir, golden, data=BOM + _original(golden).read_bytes())
    _fix(path, _code(golden))
    fixed = path.read_bytes()
    assert fixed == BOM + golden.read_bytes()
    _fix(path, _code(golden))
    assert path.read_bytes() == fixed


def _safe(golden: Path) -> bool:
    """Whether the rule's fixes are safe (ACT100's): plain ``--fix`` applies them."""
    from actorlint.diagnostics import Applicability
    from actorlint.rules import rules_by_code

    return rules_by_code()[_code(golden)].fix_applicability is Applicability.SAFE


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda p: p.name)
def test_plain_fix_applies_no_unsafe_fix(workdir: Path, golden: Path) -> None:
    """``--fix`` alone leaves the file as it was when the rule's fixes are unsafe, and
    makes the golden when they are safe."""
    path = _prepare(workdir, golden)
    before = path.read_bytes()
    _fix(path, _code(golden), unsafe=False)
    assert path.read_bytes() == (golden.read_bytes() if _safe(golden) else before)


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda p: p.name)
def test_extend_safe_fixes_promotes_only_the_named_rule(workdir: Path, golden: Path) -> None:
    """``extend-safe-fixes = ["ACT201"]`` makes plain ``--fix`` apply ACT201's fixes, and
    only ACT201's (a rule whose fixes are safe already applies its own)."""
    path = _prepare(workdir, golden, extra_config=['extend-safe-fixes = ["ACT201"]'])
    before = path.read_bytes()
    _fix(path, _code(golden), unsafe=False)
    expected = golden.read_bytes() if _code(golden) == "ACT201" or _safe(golden) else before
    assert path.read_bytes() == expected


def test_import_goes_below_shebang_coding_cookie_and_header(workdir: Path) -> None:
    """The shebang stays on line 1, the latin-1 cookie within the first two lines, and its
    bytes intact; the added import joins the third-party section of the import block,
    after its `import` lines, where isort and Ruff put it."""
    original = (
        b"#!/usr/bin/env python3\n"
        b"# -*- coding: latin-1 -*-\n"
        b"# Cafe\xe9 price feed.\n"
        b"import time\n"
        b"\n"
        b"import pykka\n"
        b"\n"
        b"\n"
        b"class Feed(pykka.ThreadingActor):\n"
        b"    def on_receive(self, message):\n"
        b"        time.sleep(1)\n"
    )
    path = workdir / "feed.py"
    path.write_bytes(original)
    (workdir / "pyproject.toml").write_text("[tool.actorlint]\n")
    result = _fix(path, "ACT202")
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == (
        b"#!/usr/bin/env python3\n"
        b"# -*- coding: latin-1 -*-\n"
        b"# Cafe\xe9 price feed.\n"
        b"import time\n"
        b"\n"
        b"import pykka\n"
        b"from actorlint_runtime import time_limited\n"
        b"\n"
        b"\n"
        b"class Feed(pykka.ThreadingActor):\n"
        b"    @time_limited(seconds=4.0)\n"
        b"    def on_receive(self, message):\n"
        b"        time.sleep(1)\n"
    )
