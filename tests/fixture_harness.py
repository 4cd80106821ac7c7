"""Reading fixture expectations and running the linter on fixtures, for the tests.

A marker is a comment that starts with rule codes: ``# ACT101`` or ``# ACT102, ACT201``,
optionally followed by `` - why``. The harness compares the exact set of
(path, line, code) triples, so an unexpected diagnostic fails as surely as a missing one.
"""

from __future__ import annotations

import importlib.util
import io
import os
import re
import tokenize
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Set, Tuple

from actorlint.config import Settings
from actorlint.engine import check_files, jobs_for_paths

FIXTURES = Path(__file__).parent / "fixtures"
MARKER = re.compile(r"#\s*(ACT\d{3}(?:\s*,\s*ACT\d{3})*)(?![\w])")

Expectation = Set[Tuple[str, int, str]]


def package_files(packages: Iterable[str], per_package: Optional[int] = None) -> List[Path]:
    """The ``.py`` files of installed packages, sorted (the first ``per_package`` of each);
    a package that is not installed adds nothing."""
    files: List[Path] = []
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            found = sorted(Path(next(iter(spec.submodule_search_locations))).rglob("*.py"))
            files += found[:per_package]
    return files


def markers(path: Path, relative_to: Path) -> Expectation:
    """The (path, line, code) triples the markers of one file expect."""
    expected: Expectation = set()
    name = path.relative_to(relative_to).as_posix()
    source = path.read_text(encoding="utf-8")
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        comments = [(t.start[0], t.string) for t in tokens if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Files that do not tokenize (ACT000 fixtures): any comment-looking text counts.
        comments = [(n, line[line.index("#"):]) for n, line in enumerate(source.splitlines(), 1)
                    if "#" in line]
    for line, comment in comments:
        match = MARKER.match(comment)
        if match:
            for code in re.split(r"\s*,\s*", match.group(1)):
                expected.add((name, line, code))
    return expected


def expected_for(paths: Iterable[Path], root: Path) -> Expectation:
    expected: Expectation = set()
    for path in paths:
        expected |= markers(path, root)
    return expected


def codes_under_test(paths: Iterable[Path], expected: Expectation) -> Tuple[str, ...]:
    """The rules a fixture checks: the codes its file or folder names start with, and
    every code its markers name. Other rules are not run on it, as in Ruff's fixture
    tests, so that adding a rule does not rewrite every older fixture."""
    codes = {code for _, _, code in expected}
    for path in paths:
        for part in path.parts:
            match = re.match(r"(ACT\d{3})", part)
            if match:
                codes.add(match.group(1))
    return tuple(sorted(codes))


CONFIG_LINE = "# config:"


def fixture_settings(paths: Iterable[Path], root: Path, expected: Expectation) -> Settings:
    """Settings for a fixture: its rules under test, plus any ``# config: key = value``
    lines in the leading comment block of its files (TOML, as in ``[tool.actorlint]``;
    dotted keys such as ``frameworks.bus.handlers = [...]`` declare a framework)."""
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib
    from actorlint.config import CONFIG_KEYS

    paths = list(paths)
    snippets = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break  # config lines belong to the leading comment block
            if line.startswith(CONFIG_LINE):
                snippets.append(line[len(CONFIG_LINE):].strip())
    values = {
        key.replace("-", "_"): CONFIG_KEYS[key].check(raw)
        for key, raw in tomllib.loads("\n".join(snippets)).items()
    }
    relative = [p.relative_to(root) if p.is_absolute() and root in p.parents else p for p in paths]
    return Settings(root=root, select=codes_under_test(relative, expected), **values)


@contextmanager
def working_folder(root: Path) -> Iterator[None]:
    """Run in ``root``: display paths are relative to it, and path settings
    (per-file-ignores, test-paths) read them from the working folder, as the CLI's are."""
    before = os.getcwd()
    os.chdir(root)
    try:
        yield
    finally:
        os.chdir(before)


def lint(paths: Iterable[Path], root: Path, settings: Settings = None, workers: int = 1) -> Expectation:
    """Run the linter; return the (path relative to root, line, code) triples it reports."""
    settings = settings or Settings(root=root)
    with working_folder(root):
        result = check_files(jobs_for_paths(list(paths), root), settings, workers=workers)
    assert not result.internal_errors, result.internal_errors
    return {(d.path, d.span.line, d.code) for d in result.diagnostics}
