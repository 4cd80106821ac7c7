"""Helpers of the command line (``cli.py``): messages and failures, reading standard input,
writing fixed files, the configuration report of ``--show-settings``, the summary of
``--diff``, colour, and the checks made before a run (unknown selectors)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

import click

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.analyse import FileJob
    from actorlint.config import Settings
    from actorlint.diagnostics import Diagnostic
    from actorlint.engine import FileChange

__all__ = [
    "EXIT_ERROR", "decoded", "echo_stdin", "fail", "read_stdin", "refuse_unknown_selectors",
    "settings_report", "shown", "wants_color", "would_fix", "write_changes",
]

EXIT_ERROR = 2


def shown(text: str) -> str:
    """``text`` (a path, a config value, a message) made safe for the terminal."""
    from actorlint.printable import printable

    return printable(text)


def fail(message: str) -> "click.exceptions.Exit":
    """Print ``error: message`` on standard error; return the exit (code 2) to raise."""
    click.echo(f"error: {shown(message)}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def settings_report(settings: "Settings", config_file: Optional[Path]) -> List[str]:
    """``--show-settings``: where the configuration comes from, every key as TOML, and the
    rules that run."""
    from actorlint.config import CONFIG_KEYS
    from actorlint.docs import toml_value
    from actorlint.rules import installed_rules

    lines = [f"# Configuration file: {config_file or '(none: defaults)'}", f"# Project root: {settings.root}",
             "[tool.actorlint]"]
    for key in CONFIG_KEYS:
        if not hasattr(settings, key.replace("-", "_")):
            continue  # `extend`: its settings are already merged in
        value = getattr(settings, key.replace("-", "_"))
        if key == "frameworks":
            value = [declaration.name for declaration in value]
        lines.append(f"{key} = {toml_value(value, table=key == 'per-file-ignores')}")
    running = [rule.code for rule in installed_rules(settings) if settings.runs(rule)]
    lines.append(f"# Rules that run: {', '.join(running) or '(none)'}")
    return lines


def would_fix(count: int, remaining: Sequence["Diagnostic"], unsafe_fixes: bool) -> str:
    """``--diff``'s summary, with Ruff's hint at the unsafe fixes left out."""
    from actorlint.diagnostics import Applicability

    hidden = 0 if unsafe_fixes else sum(
        1 for d in remaining if d.fix is not None and d.fix.edits and d.fix.applicability is Applicability.UNSAFE)
    noun = "fix" if hidden == 1 else "fixes"
    if count == 0:
        return f"No errors would be fixed ({hidden} {noun} available with `--unsafe-fixes`)." if hidden \
            else "No errors would be fixed."
    summary = f"Would fix {count} error{'s' if count != 1 else ''}"
    return f"{summary} ({hidden} additional {noun} available with `--unsafe-fixes`)." if hidden else f"{summary}."


def wants_color(output_file: Optional[str]) -> bool:
    """Colour for the ``full`` format: ``FORCE_COLOR`` forces it, ``NO_COLOR`` turns it
    off (https://no-color.org), otherwise a terminal on standard output gets it."""
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR") or output_file:
        return False
    return sys.stdout.isatty()


def decoded(data: bytes) -> str:
    """Source bytes as the analyser decodes them (UTF-8 with replacements if they do not decode)."""
    from actorlint.source import decode_source

    try:
        return decode_source(data)
    except (SyntaxError, LookupError, ValueError):
        return data.decode("utf-8", errors="replace")


def refuse_unknown_selectors(settings: "Settings", flags: Dict[str, Tuple[str, ...]],
                              config_file: Optional[Path]) -> None:
    """Exit 2 naming the first selector that selects no installed rule, and where it is
    written (a flag, or a key of the config file), as Ruff does."""
    from actorlint.rules import ALL_RULES, loaded_plugins

    rules = list(ALL_RULES)
    if settings.names_plugin_codes():  # only then can a selector name a plugin's rule
        rules += loaded_plugins(settings.plugin_timeout).rules
    for key, selector in settings.unknown_selectors(rule.code for rule in rules):
        flag = next((name for name, values in flags.items() if selector in values), None)
        where = flag or f"`{key}` in {config_file}"
        raise fail(f"unknown rule selector `{selector}` ({where}); `actorlint rules` lists the rules")


def write_changes(changes: Sequence["FileChange"]) -> List["FileChange"]:
    """Write fixed files atomically, each only while it still holds the bytes that were
    analysed; warn about every file that could not be written and return those."""
    from actorlint.fixing import FileChanged, encode_source, write_if_unchanged

    failed = []
    for change in changes:
        if change.job.is_stdin:
            continue
        try:
            write_if_unchanged(Path(change.job.path), change.original, encode_source(change.source, change.text))
        except FileChanged as error:
            click.echo(f"warning: {shown(change.job.display_path)}: not fixed: {error}", err=True)
            failed.append(change)
        except OSError as error:
            reason = error.strerror or str(error)
            click.echo(f"error: {shown(change.job.display_path)}: cannot write the fixes: {shown(reason)}",
                       err=True)
            failed.append(change)
    return failed


def echo_stdin(job: "FileJob", changes: Sequence["FileChange"]) -> None:
    """Print standard input, fixed or unchanged, in its own encoding (an editor replaces
    its buffer with what it reads back)."""
    from actorlint.fixing import encode_source

    change = next((change for change in changes if change.job.is_stdin), None)
    data = encode_source(change.source, change.text) if change is not None else (job.source or b"")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def read_stdin() -> bytes:
    """Standard input's bytes; a usage error when it is closed or endless."""
    from actorlint.source import MAX_READ_BYTES

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise fail("standard input is closed; `-` needs source on standard input")
    try:
        data = stream.read(MAX_READ_BYTES + 1)
    except OSError as error:
        raise fail(f"cannot read standard input: {error.strerror or error}")
    if len(data) > MAX_READ_BYTES:
        raise fail(f"standard input is larger than {MAX_READ_BYTES:,} bytes")
    return data
