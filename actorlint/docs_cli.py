"""The command-line reference, ``docs/cli.md``, rendered from the click commands themselves
(``python -m actorlint.docs`` writes it with the other generated pages, and ``--check``
fails when it drifts from the code)."""

from __future__ import annotations

from typing import List

import click

__all__ = ["CLI_PAGE", "render_cli_reference"]

CLI_PAGE = "cli.md"

_EXIT_CODES = """\
| Code | Meaning |
| --- | --- |
| `0` | Nothing found (or `--exit-zero`). |
| `1` | Findings (with `--diff`: fixes to apply). |
| `2` | A usage, configuration or internal error, or files `--fix` / `--add-noqa` could not change. |
| `130` | Interrupted (Ctrl-C). |
"""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_cli_reference() -> str:
    """The page: every command's usage, description and options, then the exit codes."""
    from actorlint.cli import cli

    lines: List[str] = [
        "# Command line",
        "",
        "Generated from the commands by `python -m actorlint.docs`; `actorlint COMMAND --help` "
        "prints the same.",
        "",
    ]
    parent = click.Context(cli, info_name="actorlint")
    for name in cli.list_commands(parent):
        command = cli.get_command(parent, name)
        assert command is not None
        context = click.Context(command, info_name=name, parent=parent)
        lines += [f"## `actorlint {name}`", "", "```text", f"Usage: {command.get_usage(context).split(': ', 1)[1]}",
                  "```", "", " ".join((command.help or "").split()), ""]
        records = [record for param in command.get_params(context)
                   if (record := param.get_help_record(context)) is not None]
        if records:
            lines += ["| Option | Description |", "| --- | --- |"]
            lines += [f"| `{_cell(opts)}` | {_cell(help_text)} |" for opts, help_text in records]
            lines.append("")
    lines += ["## Exit codes", "", _EXIT_CODES]
    return "\n".join(lines).rstrip("\n") + "\n"
