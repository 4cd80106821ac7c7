"""Tests for the autofix primitives: reading, applying fixes, encoding, writing, diffs."""

from __future__ import annotations

import itertools
import os
import stat
import sys
from pathlib import Path

import pytest

from actorlint import fixing
from actorlint.source import decode_source
from actorlint.diagnostics import Applicability, Edit, Fix
from actorlint.fixing import (
    SourceFile,
    apply_fixes,
    detect_newline,
    encode_source,
    parses,
    read_source,
    source_from_bytes,
    unified_diff,
    write_atomic,
)


def _fix(title: str, *edits: Edit) -> Fix:
    return Fix(title, Applicability.SAFE, tuple(edits))


# --- apply_fixes ------------------------------------------------------------------------


def test_single_fix_replaces_range() -> None:
    text, applied = apply_fixes("a = foo()\n", [_fix("rename", Edit(4, 7, "bar"))])
    assert text == "a = bar()\n"
    assert [fix.title for fix in applied] == ["rename"]


def test_overlapping_second_fix_is_skipped() -> None:
    source = "x = call(1)\n"
    first = _fix("first", Edit(4, 11, "call(1, timeout=5)"))
    second = _fix("second", Edit(9, 10, "2"))  # inside the first fix's range
    text, applied = apply_fixes(source, [first, second])
    assert text == "x = call(1, timeout=5)\n"
    assert applied == [first]


def test_fix_skipped_whole_when_one_edit_overlaps() -> None:
    source = "aaaa bbbb cccc\n"
    first = _fix("first", Edit(0, 4, "AAAA"))
    # Its second edit is clear of the first fix, but its first edit is not: none applies.
    second = _fix("second", Edit(2, 3, "z"), Edit(10, 14, "CCCC"))
    text, applied = apply_fixes(source, [first, second])
    assert text == "AAAA bbbb cccc\n"
    assert applied == [first]


def test_same_range_different_content_conflicts() -> None:
    first = _fix("a", Edit(0, 1, "y"))
    second = _fix("b", Edit(0, 1, "z"))
    text, applied = apply_fixes("x\n", [second, first])
    assert text == "y\n"  # on a tie the fix whose edits sort first wins, whatever the input order
    assert applied == [first]


def test_identical_import_edit_is_shared() -> None:
    source = "import os\n\nf()\ng()\n"
    import_edit = Edit(10, 10, "import asyncio\n")
    fix_f = _fix("wrap f", import_edit, Edit(11, 14, "asyncio.run(f())"))
    fix_g = _fix("wrap g", Edit(10, 10, "import asyncio\n"), Edit(15, 18, "asyncio.run(g())"))
    text, applied = apply_fixes(source, [fix_f, fix_g])
    assert text == "import os\nimport asyncio\n\nasyncio.run(f())\nasyncio.run(g())\n"
    assert applied == [fix_f, fix_g]


def test_identical_replacement_is_shared() -> None:
    first = _fix("one", Edit(0, 3, "new"))
    second = _fix("two", Edit(0, 3, "new"))
    text, applied = apply_fixes("old\n", [first, second])
    assert text == "new\n"
    assert applied == [first, second]


def test_different_insertions_at_same_offset_both_apply_in_order() -> None:
    first = _fix("add a", Edit(0, 0, "import a\n"))
    second = _fix("add b", Edit(0, 0, "import b\n"))
    text, applied = apply_fixes("x = 1\n", [second, first])
    assert text == "import a\nimport b\nx = 1\n"
    assert applied == [first, second]


def test_insertion_inside_replacement_conflicts() -> None:
    first = _fix("replace", Edit(0, 5, "y = 2"))
    second = _fix("insert", Edit(2, 2, "!"))
    text, applied = apply_fixes("x = 1\n", [first, second])
    assert text == "y = 2\n"
    assert applied == [first]


def test_insertions_at_replacement_ends_are_adjacent() -> None:
    replace = _fix("replace", Edit(4, 5, "2"))
    before = _fix("before", Edit(4, 4, "("))
    after = _fix("after", Edit(5, 5, ")"))
    text, applied = apply_fixes("x = 1\n", [after, replace, before])
    assert text == "x = (2)\n"
    assert set(applied) == {replace, before, after}


def test_adjacent_edits_both_apply() -> None:
    first = _fix("first", Edit(0, 3, "AAA"))
    second = _fix("second", Edit(3, 6, "BBB"))
    text, applied = apply_fixes("aaabbbccc", [first, second])
    assert text == "AAABBBccc"
    assert applied == [first, second]


def test_result_independent_of_input_order() -> None:
    source = "one two three four\n"
    fixes = [
        _fix("upper one", Edit(0, 3, "ONE")),
        _fix("upper two", Edit(4, 7, "TWO")),
        _fix("conflicts with two", Edit(5, 9, "zz")),
        _fix("insert", Edit(8, 8, "+")),
        _fix("insert other", Edit(8, 8, "-")),
    ]
    results = {
        (text, tuple(fix.title for fix in applied))
        for text, applied in (apply_fixes(source, list(order))
                              for order in itertools.permutations(fixes))
    }
    assert results == {
        ("ONE TWO +-three four\n", ("upper one", "upper two", "insert", "insert other")),
    }


def test_edits_within_a_fix_in_any_order() -> None:
    fix = _fix("both", Edit(6, 7, "B"), Edit(0, 1, "A"))
    assert apply_fixes("a bcd b\n", [fix]) == ("A bcd B\n", [fix])


def test_fix_without_edits_is_not_applied() -> None:
    assert apply_fixes("x\n", [_fix("nothing")]) == ("x\n", [])


def test_no_fixes() -> None:
    assert apply_fixes("x\n", []) == ("x\n", [])


@pytest.mark.parametrize(
    "edit",
    [Edit(-1, 0, ""), Edit(0, 7, ""), Edit(7, 7, "x"), Edit(3, 2, "")],
)
def test_out_of_bounds_edit_raises(edit: Edit) -> None:
    with pytest.raises(ValueError):
        apply_fixes("x = 1\n", [_fix("bad", edit)])  # 6 characters


def test_edit_at_end_of_text_is_in_bounds() -> None:
    assert apply_fixes("x = 1\n", [_fix("end", Edit(6, 6, "y = 2\n"))])[0] == "x = 1\ny = 2\n"


def test_self_overlapping_fix_raises() -> None:
    with pytest.raises(ValueError):
        apply_fixes("abcdef", [_fix("bad", Edit(0, 3, "x"), Edit(2, 4, "y"))])


def test_crlf_newline_conversion() -> None:
    source = "import os\r\nf()\r\n"
    fix = _fix("add import", Edit(11, 11, "import asyncio\n"))
    text, _ = apply_fixes(source, [fix], newline="\r\n")
    assert text == "import os\r\nimport asyncio\r\nf()\r\n"


def test_content_with_crlf_left_alone() -> None:
    fix = _fix("add", Edit(0, 0, "a\r\nb\n"))
    assert apply_fixes("", [fix], newline="\r\n")[0] == "a\r\nb\n"


def test_cr_newline_conversion() -> None:
    fix = _fix("add", Edit(0, 0, "a\nb\n"))
    assert apply_fixes("x\r", [fix], newline="\r")[0] == "a\rb\rx\r"


def test_shared_edit_compared_after_conversion() -> None:
    first = _fix("one", Edit(0, 0, "import a\n"))
    second = _fix("two", Edit(0, 0, "import a\r\n"))  # the same line once converted
    text, applied = apply_fixes("x\r\n", [first, second], newline="\r\n")
    assert text == "import a\r\nx\r\n"
    assert applied == [first, second]


def test_mixed_line_endings_untouched_outside_edits() -> None:
    source = "a = 1\r\nb = 2\nc = 3\rd = 4\r\n"
    fix = _fix("b", Edit(11, 12, "20"))
    text, _ = apply_fixes(source, [fix], newline=detect_newline(source))
    assert text == "a = 1\r\nb = 20\nc = 3\rd = 4\r\n"


# --- reading, newline detection and encoding --------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "\n"),
        ("x = 1", "\n"),
        ("a\nb\n", "\n"),
        ("a\r\nb\r\n", "\r\n"),
        ("a\rb\r", "\r"),
        ("a\r\nb\nc\r\n", "\r\n"),
        ("a\nb\r\n", "\n"),      # a tie goes to the first seen
        ("a\r\nb\n", "\r\n"),
        ("a\r\n\r\n", "\r\n"),   # "\r\n" is one ending, not "\r" then "\n"
    ],
)
def test_detect_newline(text: str, expected: str) -> None:
    assert detect_newline(text) == expected


ROUND_TRIP_SAMPLES = {
    "utf8": "x = 'héllo ✓'\n".encode("utf-8"),
    "utf8_bom": b"\xef\xbb\xbfx = '\xc3\xa9'\n",
    "latin1_cookie": b"# -*- coding: latin-1 -*-\nx = '\xe9'\n",
    "cp1252_cookie": b"# coding: cp1252\nx = '\x80'\r\n",
    "crlf": b"import os\r\nx = 1\r\n",
    "cr": b"import os\rx = 1\r",
    "mixed": b"a = 1\r\nb = 2\nc = 3\rd = 4",
    "no_final_newline": b"x = 1",
    "form_feed": b"x = 1\n\x0c\ny = 2\n",
    "empty": b"",
    "bom_only": b"\xef\xbb\xbf",
}


@pytest.mark.parametrize("name", sorted(ROUND_TRIP_SAMPLES))
def test_round_trip_bytes(name: str, tmp_path: Path) -> None:
    data = ROUND_TRIP_SAMPLES[name]
    path = tmp_path / "m.py"
    path.write_bytes(data)
    source = read_source(path)
    assert source.text == decode_source(data)  # same offsets as the analyser
    assert encode_source(source, source.text) == data == path.read_bytes()
    assert source_from_bytes(data).text == source.text


def test_source_fields() -> None:
    assert source_from_bytes(b"x = 1\n") == SourceFile("x = 1\n", "utf-8", False, "\n", 0o644)
    bom = source_from_bytes(b"\xef\xbb\xbfx = 1\r\n")
    assert (bom.text, bom.encoding, bom.bom, bom.newline) == ("x = 1\r\n", "utf-8", True, "\r\n")
    latin = source_from_bytes(b"# coding: latin-1\nx = '\xe9'\n")
    assert latin.encoding == "iso-8859-1"  # tokenize's normalised name
    assert latin.text == "# coding: latin-1\nx = 'é'\n"


def test_bom_preserved_byte_for_byte_after_fix() -> None:
    data = b"\xef\xbb\xbfimport os\r\nx = 1\r\n"
    source = source_from_bytes(data)
    fix = _fix("x", Edit(source.text.index("1"), source.text.index("1") + 1, "2\ny = 3"))
    text, _ = apply_fixes(source.text, [fix], source.newline)
    assert encode_source(source, text) == b"\xef\xbb\xbfimport os\r\nx = 2\r\ny = 3\r\n"


def test_latin1_cookie_preserved_after_fix_elsewhere() -> None:
    data = b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\nx = 1\n"
    source = source_from_bytes(data)
    start = source.text.index("x = 1") + 4
    text, _ = apply_fixes(source.text, [_fix("x", Edit(start, start + 1, "2"))], source.newline)
    assert encode_source(source, text) == b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\nx = 2\n"


def test_unencodable_insertion_raises() -> None:
    source = source_from_bytes(b"# coding: latin-1\nx = 1\n")
    text, _ = apply_fixes(source.text, [_fix("emoji", Edit(18, 18, "# \u2713\n"))])
    with pytest.raises(UnicodeEncodeError):
        encode_source(source, text)


def test_read_errors_propagate(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        read_source(tmp_path / "missing.py")
    with pytest.raises(SyntaxError):
        source_from_bytes(b"# coding: no-such-codec\nx = 1\n")
    with pytest.raises(UnicodeDecodeError):
        source_from_bytes(b"x = 1\n\n\ny = '\xff'\n")  # invalid UTF-8 past the cookie lines


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_read_source_mode(tmp_path: Path) -> None:
    path = tmp_path / "script.py"
    path.write_bytes(b"x = 1\n")
    os.chmod(path, 0o755)
    assert read_source(path).mode == 0o755


# --- parses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x = 1\n", True),
        ("", True),
        ("async def f():\r\n    await g()\r\n", True),
        ("x = (\n", False),
        ("def f(:\n", False),
        ("x = 1\n  y = 2\n", False),
    ],
)
def test_parses(text: str, expected: bool) -> None:
    assert parses(text) is expected


def test_parses_false_on_recursion(monkeypatch: pytest.MonkeyPatch) -> None:
    import libcst

    def explode(_: str) -> None:
        raise RecursionError("too deep")

    monkeypatch.setattr(libcst, "parse_module", explode)
    assert parses("x = 1\n") is False


# --- write_atomic -----------------------------------------------------------------------


def test_write_atomic_replaces_contents(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"old\n")
    write_atomic(path, b"new\n", 0o644)
    assert path.read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.py"]  # no temp file left


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_write_atomic_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "script.py"
    path.write_bytes(b"#!/usr/bin/env python\nx = 1\n")
    os.chmod(path, 0o755)
    source = read_source(path)
    write_atomic(path, encode_source(source, source.text.replace("1", "2")), source.mode)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o755
    assert path.read_bytes() == b"#!/usr/bin/env python\nx = 2\n"


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")
def test_write_atomic_keeps_symlink(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "m.py"
    target.write_bytes(b"x = 1\n")
    link = tmp_path / "link.py"
    link.symlink_to(Path("real") / "m.py")  # relative link
    source = read_source(link)
    write_atomic(link, b"x = 2\n", source.mode)
    assert link.is_symlink()
    assert os.readlink(link) == os.path.join("real", "m.py")
    assert target.read_bytes() == b"x = 2\n"
    assert sorted(p.name for p in real_dir.iterdir()) == ["m.py"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.py", "real"]


def test_failed_replace_leaves_original_intact(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"original\n")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(fixing.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        write_atomic(path, b"new\n", 0o644)
    assert path.read_bytes() == b"original\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.py"]


def test_failed_write_leaves_original_intact(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"original\n")

    def broken_fsync(fd: int) -> None:
        raise OSError("no space left")

    monkeypatch.setattr(fixing.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="no space left"):
        write_atomic(path, b"new\n", 0o644)
    assert path.read_bytes() == b"original\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.py"]


# --- unified_diff -----------------------------------------------------------------------


def test_unified_diff_one_line_change() -> None:
    before = "import os\n\nx = call()\ny = 2\n"
    after = "import os\n\nx = call(timeout=5)\ny = 2\n"
    assert unified_diff("pkg/m.py", before, after) == (
        "--- a/pkg/m.py\n"
        "+++ b/pkg/m.py\n"
        "@@ -1,4 +1,4 @@\n"
        " import os\n"
        " \n"
        "-x = call()\n"
        "+x = call(timeout=5)\n"
        " y = 2\n"
    )


def test_unified_diff_no_change_is_empty() -> None:
    assert unified_diff("m.py", "x = 1\n", "x = 1\n") == ""


def test_unified_diff_missing_final_newline() -> None:
    assert unified_diff("m.py", "x = 1", "x = 2") == (
        "--- a/m.py\n"
        "+++ b/m.py\n"
        "@@ -1 +1 @@\n"
        "-x = 1\n"
        "\\ No newline at end of file\n"
        "+x = 2\n"
        "\\ No newline at end of file\n"
    )


def test_unified_diff_does_not_split_on_form_feed() -> None:
    before = "a = 1\n\x0cb = 2\n"
    after = "a = 1\n\x0cb = 3\n"
    assert unified_diff("m.py", before, after) == (
        "--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n a = 1\n-\x0cb = 2\n+\x0cb = 3\n"
    )
