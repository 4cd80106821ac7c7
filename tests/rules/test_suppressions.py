"""Tests for skip-file detection and per-line suppression comments."""

from __future__ import annotations

import io
import sys
import textwrap
import tokenize
from typing import List, Tuple

import pytest

from actorlint.diagnostics import Diagnostic, Severity, Span
from actorlint.suppressions import Suppressions, _comments, skip_file
from tests.fixture_harness import FIXTURES, package_files


def _diag(code: str, line: int, statement_lines: Tuple[int, ...] = ()) -> Diagnostic:
    return Diagnostic(
        code=code,
        name="some-rule",
        message="message",
        path="m.py",
        span=Span(line, 1, line, 5),
        severity=Severity.ERROR if code == "ACT000" else Severity.WARNING,
        statement_lines=statement_lines,
    )


def _suppressed(source: str, code: str, line: int = 1) -> bool:
    return Suppressions.from_source(textwrap.dedent(source)).is_suppressed(_diag(code, line))


# --- skip-file --------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "# actorlint: skip-file\nx = 1\n",
        "x = 1\n    # actorlint: skip-file\n",
        "#actorlint:skip-file\n",
        "# ActorLint : skip-file\n",
        "# actorlint: skip-file  (generated code)\n",
        "\t# actorlint: skip-file\r\nx = 1\r\n",
        "x = (\n# actorlint: skip-file\n)\n",  # a comment inside brackets is still a comment
        "x = '''unterminated\n# actorlint: skip-file\n",  # tokenize fails: trust the regex
    ],
)
def test_skip_file_true(source: str) -> None:
    assert skip_file(source)


@pytest.mark.parametrize(
    "source",
    [
        "x = 1\n",
        'x = "# actorlint: skip-file"\n',
        "x = 1  # actorlint: skip-file\n",  # not a whole-line comment
        'x = """\n# actorlint: skip-file\n"""\n',  # inside a multi-line string
        "# actorlint: skip-files\n",
        "# actorlint: skip-file-please\n",
        "# actorlint: SKIP-FILE\n",  # only "actorlint" is case-insensitive
        "# flake8: skip-file\n",
    ],
)
def test_skip_file_false(source: str) -> None:
    assert not skip_file(source)


# --- per-line suppressions --------------------------------------------------


@pytest.mark.parametrize(
    "comment, code, expected",
    [
        ("# actorlint: ignore[ACT101, ACT201]", "ACT101", True),
        ("# actorlint: ignore[ACT101, ACT201]", "ACT201", True),
        ("# actorlint: ignore[ACT101, ACT201]", "ACT102", False),
        ("# actorlint: ignore[ACT101 ACT201]", "ACT201", True),
        ("# actorlint: ignore", "ACT999", True),
        ("# ACTORLINT:ignore", "ACT101", True),
        ("# actorlint: ignore[]", "ACT101", False),
        ("# actorlint: ignored", "ACT101", False),
        ("# actorlint: ignore[ACT101", "ACT102", False),  # malformed: suppresses nothing
        ("# actorlint: ignore[ACT1]", "ACT101", False),  # prefixes do not suppress
        ("# noqa: ACT101,ACT201", "ACT201", True),
        ("# noqa:ACT101 ACT201", "ACT201", True),
        ("# noqa: ACT101, ACT201", "ACT101", True),
        ("# noqa: ACT101", "ACT102", False),
        ("# noqa: act101", "ACT101", True),
        ("# noqa", "ACT101", True),
        ("# NOQA", "ACT101", True),
        ("#noqa", "ACT101", True),
        ("# noqa: E501", "ACT101", False),  # someone else's noqa
        ("# noqa: E501, ACT101", "ACT101", True),
        ("# noqa: ACT101 because the call is bounded upstream", "ACT101", True),
        ("# noqa: ACT101 because the call is bounded upstream", "ACT102", False),
        ("# type: ignore  # noqa: ACT101", "ACT101", True),
        ("# type: ignore  # actorlint: ignore[ACT101]", "ACT101", True),
        ("# explained here  # noqa", "ACT101", True),
        ("# type: ignore[attr-defined]", "ACT101", False),
        ("# noqa-ish", "ACT101", False),
        ("# mentions noqa in passing", "ACT101", False),
    ],
)
def test_line_directives(comment: str, code: str, expected: bool) -> None:
    assert _suppressed(f"call()  {comment}\n", code) is expected


def test_hash_inside_strings_is_not_a_comment() -> None:
    source = """\
    a = "# noqa"
    b = '# actorlint: ignore[ACT101]'
    c = f"{x}  # noqa: ACT101"
    d = '''
    # noqa
    '''
    e = "#"  # noqa: ACT102
    """
    sup = Suppressions.from_source(textwrap.dedent(source))
    for line in range(1, 7):
        assert not sup.is_suppressed(_diag("ACT101", line)), line
    assert sup.is_suppressed(_diag("ACT102", 7))
    assert not sup.is_suppressed(_diag("ACT101", 7))


def test_only_the_commented_line_is_covered() -> None:
    source = "a()  # noqa: ACT101\nb()\n"
    sup = Suppressions.from_source(source)
    assert sup.is_suppressed(_diag("ACT101", 1))
    assert not sup.is_suppressed(_diag("ACT101", 2))


def test_statement_lines_extend_the_coverage() -> None:
    source = textwrap.dedent(
        """\
        result = actor.ask(  # noqa: ACT101
            message,
            block=True,
        )  # actorlint: ignore[ACT201]
        """
    )
    sup = Suppressions.from_source(source)
    assert sup.is_suppressed(_diag("ACT101", 2, statement_lines=(1, 4)))
    assert sup.is_suppressed(_diag("ACT201", 2, statement_lines=(1, 4)))
    assert not sup.is_suppressed(_diag("ACT201", 2))
    assert not sup.is_suppressed(_diag("ACT301", 2, statement_lines=(1, 4)))


def test_parse_error_code_is_never_suppressed() -> None:
    assert not _suppressed("x = (  # noqa\n", "ACT000")


def test_untokenizable_source_falls_back_to_line_scan() -> None:
    source = "def f(:\n    x = '''  # noqa: ACT101\n"
    sup = Suppressions.from_source(source)
    assert sup.is_suppressed(_diag("ACT101", 2))
    assert not sup.is_suppressed(_diag("ACT101", 1))


def test_inconsistent_indentation_falls_back_too() -> None:
    source = "if x:\n        a()\n    b()  # noqa: ACT101\n"
    assert Suppressions.from_source(source).is_suppressed(_diag("ACT101", 3))


def test_codes_from_several_directives_on_one_line_combine() -> None:
    sup = Suppressions.from_source("a()  # noqa: ACT101  # actorlint: ignore[ACT202]\n")
    assert sup.codes_by_line == {1: frozenset({"ACT101", "ACT202"})}
    assert sup.blanket_lines == frozenset()


def _real_sources() -> List[str]:
    files = sorted(FIXTURES.rglob("*.py")) + package_files(("pykka", "celery", "dramatiq", "click"))
    return [path.read_text(encoding="utf-8") for path in files]


def test_comments_are_found_as_the_tokenizer_finds_them() -> None:
    """The regex reading of comments agrees with Python's tokenizer on real files."""
    compared = 0
    for source in _real_sources():
        try:
            expected = [(token.start[0], token.string)
                        for token in tokenize.generate_tokens(io.StringIO(source).readline)
                        if token.type == tokenize.COMMENT]
        except (tokenize.TokenError, SyntaxError):
            continue  # the ACT000 fixtures
        assert [(line, text) for line, _, text in _comments(source)] == expected
        compared += len(expected)
    assert compared > 5_000


@pytest.mark.parametrize("source, comments", [
    ("x = 'it''s'  # one\n", [(1, "# one")]),
    ("x = r'\\'  # not a comment'\n", []),
    ("x = '\\\r\n# inside'  # after\r\n", [(2, "# after")]),
    ("x = b'''\n' # still inside\n'''  # real\n", [(3, "# real")]),
    ("a = 1\r# cr only\rb = 2  # two\r", [(2, "# cr only"), (3, "# two")]),
    ("s = 'a # b'; t = \"c # d\"  # e\n", [(1, "# e")]),
])
def test_comment_reading_edge_cases(source: str, comments: list) -> None:
    assert [(line, text) for line, _, text in _comments(source)] == comments


@pytest.mark.skipif(sys.version_info < (3, 12), reason="f-strings nest their own quotes from Python 3.12")
def test_a_noqa_inside_a_nested_f_string_suppresses_nothing() -> None:
    source = 'import time\nm = "x"\nf"{m + "# noqa"}"; time.sleep(1)\n'
    assert Suppressions.from_source(source) == Suppressions()
    with_comment = 'f"{m + "# noqa"}"; time.sleep(1)  # noqa: ACT101\n'
    assert Suppressions.from_source(with_comment).codes_by_line == {1: frozenset({"ACT101"})}


def test_comments_come_from_the_tokenizer_when_a_directive_is_present() -> None:
    """The tokenizer's reading wins over the scan's; a file it cannot read falls back."""
    from actorlint import suppressions as module

    source = 'x = "# noqa"  # actorlint: ignore[ACT101]\r\ny = 1  # noqa\rz = 2\n'
    assert list(module._comments(source)) == list(module._scanned_comments(source)) == [
        (1, 14, "# actorlint: ignore[ACT101]"), (2, source.index("# noqa\r"), "# noqa")]
    broken = 'x = 1  # noqa\n"""never closed\n'
    assert [c[:2] for c in module._comments(broken)] == [(1, 7)]
