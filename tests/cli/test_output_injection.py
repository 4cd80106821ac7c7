"""File names and config values are attacker-controlled text: none of it may reach a
terminal or a CI log raw (an escape sequence, a newline that forges a diagnostic line, a
bidirectional override), and names that are not valid UTF-8 must not break any format."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from actorlint.printable import printable, valid_unicode
from tests.cli_helpers import SLEEPER, python_m_actorlint, write_tree

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")

NEWLINE_NAME = "new\nline.py"
ESCAPE_NAME = "esc\x1b[2Jred.py"
BIDI_NAME = "bidi\u202eyp.py"
# What a forged line would look like if the newline reached the output raw.
FORGED = b"line.py:"


def _hostile_tree(root: Path) -> Path:
    write_tree(root, {NEWLINE_NAME: SLEEPER, ESCAPE_NAME: SLEEPER, BIDI_NAME: SLEEPER})
    (root / os.fsdecode(b"bad\xff.py")).write_text(SLEEPER)
    return root


def _has_raw_controls(data: bytes) -> bool:
    text = data.decode("utf-8")
    return any(c in text for c in ("\x1b", "\u202e", "\r")) or any(
        line.startswith("line.py") for line in text.splitlines())


def test_text_output_escapes_file_names(tmp_path: Path) -> None:
    root = _hostile_tree(tmp_path)
    done = python_m_actorlint(["check", "--no-cache", "."], cwd=root)
    assert done.returncode == 1, done.stderr
    assert not _has_raw_controls(done.stdout)
    lines = done.stdout.decode().splitlines()
    assert "new\\nline.py:8:9: ACT101 `time.sleep` sleeps inside handler `on_receive` of `Sleeper`" in lines
    assert any(line.startswith("esc\\x1b[2Jred.py:8:9: ACT101") for line in lines)
    assert any(line.startswith("bidi\\u202eyp.py:8:9: ACT101") for line in lines)
    assert any(line.startswith("bad\\xff.py:8:9: ACT101") for line in lines)


def test_diff_headers_escape_file_names(tmp_path: Path) -> None:
    root = _hostile_tree(tmp_path)
    done = python_m_actorlint(["check", "--no-cache", "--diff", "--unsafe-fixes", "--select", "ACT202", "."],
                              cwd=root)
    assert done.returncode == 1, done.stderr
    assert b"--- a/new\\nline.py\n+++ b/new\\nline.py\n" in done.stdout
    assert b"\x1b" not in done.stdout and FORGED + b"\n" not in done.stdout


def test_config_values_are_escaped_on_stderr(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "x = 1\n"},
               pyproject='[tool.actorlint]\n"\\u001b[31mkey\\nfoo.py:1:1: ACT101 forged" = 1\n')
    done = python_m_actorlint(["check", "--no-cache", "."], cwd=tmp_path)
    assert done.returncode == 2
    assert b"\x1b" not in done.stderr
    assert len(done.stderr.decode().strip().splitlines()) == 1, done.stderr
    assert b"\\x1b[31mkey\\nfoo.py:1:1: ACT101 forged: unknown key" in done.stderr

    unknown = python_m_actorlint(["check", "--no-cache", "--select", "\x1b]0;title\x07", "."], cwd=tmp_path)
    assert unknown.returncode == 2 and b"\x1b" not in unknown.stderr and b"\x07" not in unknown.stderr


@pytest.mark.parametrize("output_format", ["json", "sarif", "gitlab", "github"])
def test_machine_formats_take_any_file_name(tmp_path: Path, output_format: str) -> None:
    root = _hostile_tree(tmp_path)
    done = python_m_actorlint(["check", "--no-cache", "--output-format", output_format, "."], cwd=root)
    assert done.returncode == 1, done.stderr
    text = done.stdout.decode("utf-8")  # valid UTF-8, whatever the names
    assert "\\ud" not in text  # no lone surrogate escapes for strict parsers
    if output_format == "github":
        assert "\x1b" not in text and "\u202e" not in text
        assert "file=new%0Aline.py," in text  # the toolkit's own escape, decoded by GitHub
        return
    data = json.loads(text)
    assert data
    if output_format == "sarif":
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in data["runs"][0]["results"]}
        assert "bad%FF.py" in uris and "new%0Aline.py" in uris  # the exact bytes, percent-encoded


def test_printable_spells_out_what_it_escapes() -> None:
    assert printable("plain/path.py") == "plain/path.py"
    assert printable("a\nb\tc\rd\x1b\x07\x7f\x9b") == "a\\nb\\tc\\rd\\x1b\\x07\\x7f\\x9b"
    assert printable("x\u202ey\u2066z\u2028") == "x\\u202ey\\u2066z\\u2028"
    assert printable(os.fsdecode(b"caf\xe9")) == "caf\\xe9"
    assert printable("caf\u00e9 \u4e2d") == "caf\u00e9 \u4e2d"  # printable non-ASCII stays
    assert valid_unicode(os.fsdecode(b"caf\xe9.py")).encode("utf-8")
    assert valid_unicode("caf\u00e9") == "caf\u00e9"
