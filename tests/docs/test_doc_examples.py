"""Every Python example in ``docs/`` is tested, and every page is reachable from the index.

Each ```python block of a page under ``docs/`` (``docs/rules/`` aside) carries a marker,
an HTML comment on the line right before its fence (the convention is described in
``docs/README.md``):

- ``<!-- actorlint: expect ACT102, ACT201 -->``: linting the block with every rule
  reports exactly these codes, as a multiset (order-free, repeats counted);
- ``<!-- actorlint: ok -->``: linting it reports nothing;
- ``<!-- actorlint: skip -->``: a fragment, not linted;
- ``<!-- actorlint: config key = value -->`` (any number, above the marker or below it):
  one line of TOML as in ``actorlint.toml``, for the lint of an ``expect`` or ``ok`` block.

Every block must compile, skipped ones too. An unmarked block fails, so that an author
decides what an example shows. The rule pages are generated from docstrings whose
``## Example`` and ``Use instead:`` code tests/docs/test_docs.py lints; here they may only
hold those two Python blocks.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Tuple, Type

import pytest

from actorlint.config import Settings, load_settings
from actorlint.diagnostics import Diagnostic
from actorlint.docs import code_blocks, example_code
from actorlint.engine import check_files, jobs_for_paths
from actorlint.rules import ALL_RULES
from actorlint.rules.base import Rule

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
RULE_PAGES = DOCS / "rules"
INDEX = DOCS / "README.md"

PYTHON_LANGUAGES = frozenset({"python", "py", "python3"})
MARKER = re.compile(r"^\s*<!--\s*actorlint:\s*(.*?)\s*-->\s*$")
_DIRECTIVE = re.compile(r"(expect|ok|skip|config)\b\s*(.*)$")
_CODE = re.compile(r"[A-Z]{1,5}[0-9]{3,4}")


class Block(NamedTuple):
    """One fenced Python block of a page and what its markers say about it."""

    page: Path
    line: int  # 1-based line of the opening fence
    code: str
    mode: str  # "expect", "ok" or "skip"
    expected: Tuple[str, ...]
    config: Tuple[str, ...]

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(DOCS).as_posix()}:{self.line}"


def _marker_lines(lines: List[str], fence_index: int) -> List[Tuple[int, str]]:
    """(0-based index, directive text) of the markers right above a fence, top first."""
    found: List[Tuple[int, str]] = []
    index = fence_index - 1
    while index >= 0:
        match = MARKER.match(lines[index])
        if not match:
            break
        found.append((index, match.group(1)))
        index -= 1
    return found[::-1]


def parse_page(text: str, page: Path) -> Tuple[List[Block], List[str]]:
    """The Python blocks of a Markdown page with their markers, and every problem with the
    markers (an unmarked block, a marker that belongs to no Python block, a bad marker)."""
    lines = text.splitlines()
    blocks: List[Block] = []
    problems: List[str] = []
    claimed: set = set()
    inside: set = set()
    for fence_line, language, code in code_blocks(text):
        fence_index = fence_line - 1
        # The opening fence, the code lines and the closing fence.
        inside.update(range(fence_index, fence_index + code.count("\n") + 2))
        markers = _marker_lines(lines, fence_index)
        claimed.update(index for index, _ in markers)
        where = f"line {fence_line}"
        if language not in PYTHON_LANGUAGES:
            if markers:
                problems.append(f"{where}: an actorlint marker on a ```{language} block")
            continue
        modes: List[Tuple[str, Tuple[str, ...]]] = []
        config: List[str] = []
        for _, directive in markers:
            match = _DIRECTIVE.match(directive)
            if match is None:
                problems.append(f"{where}: unknown marker {directive!r}")
                continue
            kind, rest = match.groups()
            if kind == "config":
                config.append(rest)
            elif kind == "expect":
                codes = tuple(code.strip() for code in rest.split(",") if code.strip())
                bad = [code for code in codes if not _CODE.fullmatch(code)]
                if not codes or bad:
                    problems.append(f"{where}: `expect` needs rule codes such as ACT101, "
                                    f"got {rest!r} (use `ok` when nothing is expected)")
                modes.append((kind, codes))
            elif rest:
                problems.append(f"{where}: `{kind}` takes nothing after it, got {rest!r}")
            else:
                modes.append((kind, ()))
        if not modes:
            problems.append(
                f"{where}: a ```python block without a marker: put <!-- actorlint: ok -->, "
                "<!-- actorlint: expect CODES --> or <!-- actorlint: skip --> right above it"
            )
            continue
        if len(modes) > 1:
            problems.append(f"{where}: more than one of expect/ok/skip")
            continue
        mode, expected = modes[0]
        if mode == "skip" and config:
            problems.append(f"{where}: `config` on a skipped block, which is not linted")
        blocks.append(Block(page, fence_line, code, mode, expected, tuple(config)))
    for index, line in enumerate(lines):
        if MARKER.match(line) and index not in claimed and index not in inside:
            problems.append(f"line {index + 1}: an actorlint marker not right above a code fence")
    return blocks, problems


def _pages() -> List[Path]:
    """The Markdown pages under docs/ whose Python blocks need markers."""
    return sorted(p for p in DOCS.rglob("*.md") if RULE_PAGES not in p.parents)


def _read(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _all_blocks() -> List[Block]:
    return [block for page in _pages() for block in parse_page(_read(page), page)[0]]


def compiles(code: str, name: str) -> Optional[str]:
    """None when ``code`` is valid Python, else the syntax error."""
    try:
        compile(code, name, "exec", dont_inherit=True)
        return None
    except SyntaxError as error:
        if sys.version_info < (3, 10):
            # Docs may show newer syntax (`match`) than this interpreter knows; the linter's
            # own parser (LibCST) reads it on every supported version, so ask it instead.
            import libcst

            try:
                libcst.parse_module(code)
                return None
            except libcst.ParserSyntaxError:
                pass
        return f"{error.msg} (line {error.lineno})"


def lint_block(block: Block, tmp_path: Path) -> Tuple[Counter, List[Diagnostic]]:
    """Lint the block's code as ``example.py`` of a project of its own, with every rule
    (unless its config selects) and its config lines: the codes reported, counted, and
    the diagnostics."""
    project = tmp_path / "project"
    project.mkdir(parents=True)
    if block.config:
        config_file = project / "actorlint.toml"
        config_file.write_text("\n".join(block.config) + "\n", encoding="utf-8")
        # The real loader: a bad key or value fails with its own message.
        settings = load_settings(config_file, project)
    else:
        settings = Settings(root=project)
    if not any(re.match(r"select\s*=", line) for line in block.config):
        settings = replace(settings, select=("ALL",))
    path = project / "example.py"
    path.write_text(block.code, encoding="utf-8")
    result = check_files(jobs_for_paths([path], project), settings, workers=1)
    assert not result.internal_errors, result.internal_errors
    return Counter(d.code for d in result.diagnostics), result.diagnostics


# ---------------------------------------------------------------------------
# The examples.

BLOCKS = _all_blocks()


def test_docs_are_scanned() -> None:
    pages = {page.relative_to(DOCS).as_posix() for page in _pages()}
    assert {"README.md", "runtime.md", "integrations.md", "configuration.md"} <= pages
    assert not any(page.startswith("rules/") for page in pages)
    assert any(block.page.name == "runtime.md" for block in BLOCKS)


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_markers_are_well_formed(page: Path) -> None:
    _, problems = parse_page(_read(page), page)
    assert problems == [], f"{page.relative_to(ROOT)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.where)
def test_python_example(block: Block, tmp_path: Path) -> None:
    error = compiles(block.code, block.where)
    assert error is None, f"{block.where}: does not compile: {error}\n{block.code}"
    if block.mode == "skip":
        return
    found, diagnostics = lint_block(block, tmp_path)
    expected = Counter(block.expected)
    shown = "\n".join(f"  {d.span.line}: {d.code} {d.message}" for d in diagnostics) or "  nothing"
    assert found == expected, (
        f"{block.where}: the marker expects {sorted(expected.elements()) or 'nothing'}, "
        f"linting the block reports:\n{shown}\n{block.code}"
    )


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_rule_page_python_is_its_example(rule: Type[Rule]) -> None:
    # The rule pages have no markers: tests/docs/test_docs.py lints their `## Example` and
    # `Use instead:` code. That covers every Python block of a page only as long as
    # there is no other one.
    page = RULE_PAGES / f"{rule.code}.md"
    python = [code for _, language, code in code_blocks(_read(page)) if language in PYTHON_LANGUAGES]
    bad, good = example_code(rule)
    assert python == [bad, good], f"{page.name}: Python blocks outside ## Example are not tested"


# ---------------------------------------------------------------------------
# The marker parser itself.

_SAMPLE = """\
# Page

<!-- actorlint: config call-timeout = 3.0 -->
<!-- actorlint: expect ACT101, ACT101 -->
```python
a = 1
```

<!-- actorlint: ok -->
```py
b = 2
```

```python
unmarked = True
```

<!-- actorlint: ok -->
```toml
x = 1
```

<!-- actorlint: skip -->

```python
c = 3
```

<!-- actorlint: expect -->
<!-- actorlint: skip -->
```python
d = 4
```

```markdown
<!-- actorlint: ok -->
```

<!-- actorlint: sometimes -->
<!-- actorlint: skip -->
<!-- actorlint: config large-literal = 5 -->
```python
e = 5
```
"""


def test_parse_page() -> None:
    blocks, problems = parse_page(_SAMPLE, DOCS / "sample.md")
    assert [(b.line, b.mode, b.expected, b.config) for b in blocks] == [
        (5, "expect", ("ACT101", "ACT101"), ("call-timeout = 3.0",)),
        (10, "ok", (), ()),
        (42, "skip", (), ("large-literal = 5",)),
    ]
    assert blocks[0].code == "a = 1\n"
    assert problems == [
        "line 14: a ```python block without a marker: put <!-- actorlint: ok -->, "
        "<!-- actorlint: expect CODES --> or <!-- actorlint: skip --> right above it",
        "line 19: an actorlint marker on a ```toml block",
        "line 25: a ```python block without a marker: put <!-- actorlint: ok -->, "
        "<!-- actorlint: expect CODES --> or <!-- actorlint: skip --> right above it",
        "line 31: `expect` needs rule codes such as ACT101, got '' "
        "(use `ok` when nothing is expected)",
        "line 31: more than one of expect/ok/skip",
        "line 42: unknown marker 'sometimes'",
        "line 42: `config` on a skipped block, which is not linted",
        "line 23: an actorlint marker not right above a code fence",
    ]


def test_lint_block_counts_codes_and_reads_config(tmp_path: Path) -> None:
    code = (
        "import time\n\nimport pykka\n\n\n"
        "class Poller(pykka.ThreadingActor):\n"
        "    def on_receive(self, message):\n"
        "        time.sleep(1)\n"
        "        time.sleep(2)\n"
    )
    block = Block(DOCS / "x.md", 1, code, "expect", (), ())
    found, _ = lint_block(block, tmp_path / "all")
    assert found == Counter({"ACT101": 2, "ACT202": 1})
    configured = block._replace(config=('select = ["ACT1"]', 'ignore = ["ACT103"]'))
    found, _ = lint_block(configured, tmp_path / "configured")
    assert found == Counter({"ACT101": 2})


def test_compiles() -> None:
    assert compiles("x = 1\n", "ok.py") is None
    assert compiles("def f(:\n", "bad.py") is not None


# ---------------------------------------------------------------------------
# Links: every page is reachable from docs/README.md, and no relative link is broken.

_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _prose(text: str) -> str:
    """``text`` without its fenced code blocks and inline code spans."""
    kept: List[str] = []
    fence: Optional[str] = None
    for line in text.splitlines():
        match = re.match(r"^\s*(```+|~~~+)\s*(\S*)", line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker
            elif marker.startswith(fence) and not match.group(2):
                fence = None
            continue
        if fence is None:
            kept.append(re.sub(r"`[^`]*`", "", line))
    return "\n".join(kept)


def _local_links(page: Path) -> Dict[str, Path]:
    """Relative link targets of a page -> the file each names (anchors dropped)."""
    links: Dict[str, Path] = {}
    for target in _LINK.findall(_prose(_read(page))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a URL, mailto:, or an anchor on the same page
        links[target] = (page.parent / target.split("#", 1)[0]).resolve()
    return links


def test_index_links_every_page() -> None:
    linked = set(_local_links(INDEX).values())
    pages = sorted(p for p in DOCS.glob("*.md") if p != INDEX)
    missing = [p.name for p in pages if p.resolve() not in linked]
    assert not missing, f"docs/README.md does not link {missing}"
    assert (RULE_PAGES / "README.md").resolve() in linked, "docs/README.md does not link rules/"


@pytest.mark.parametrize(
    "page", sorted(DOCS.rglob("*.md")), ids=lambda p: p.relative_to(DOCS).as_posix()
)
def test_relative_links_resolve(page: Path) -> None:
    broken = [target for target, path in _local_links(page).items() if not path.exists()]
    assert not broken, f"{page.relative_to(ROOT)}: broken links {broken}"
