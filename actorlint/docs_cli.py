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


def _names(option: click.Option) -> str:
    """``-o, --output-file FILE`` or ``--preview / --no-preview``: the spellings and the
    value's placeholder, written here rather than by click (its wording changes between
    versions, and the page must not)."""
    names = ", ".join(sorted(option.opts, key=len))
    if option.secondary_opts:
        names += " / " + ", ".join(option.secondary_opts)
    if option.is_flag:
        return names
    kind = option.type
    if isinstance(kind, click.Choice):
        placeholder = "[" + "|".join(str(choice) for choice in kind.choices) + "]"
    elif option.metavar:
        placeholder = option.metavar
    elif isinstance(kind, click.Path):
        placeholder = "DIRECTORY" if not kind.file_okay else "FILE" if not kind.dir_okay else "PATH"
    elif isinstance(kind, click.IntRange):
        placeholder = "INTEGER"
    else:
        placeholder = kind.name.upper()
    return f"{names} {placeholder}"


def _argument(argument: click.Argument) -> str:
    """``CODE``, or ``[PATHS]...`` for an optional, repeatable one."""
    name = (argument.name or "").upper()
    if not argument.required:
        name = f"[{name}]"
    return name + ("..." if argument.nargs == -1 else "")


def _description(option: click.Option) -> str:
    parts = [option.help or ""]
    if option.show_default and option.default is not None and not option.is_flag:
        parts.append(f"Default: `{option.default}`.")
    if option.envvar:
        parts.append(f"Environment variable: `{option.envvar}`.")
    return " ".join(part for part in parts if part)


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
    for name in sorted(cli.commands):
        command = cli.commands[name]
        arguments = " ".join(_argument(param) for param in command.params if isinstance(param, click.Argument))
        usage = f"actorlint {name} [OPTIONS]" + (f" {arguments}" if arguments else "")
        lines += [f"## `actorlint {name}`", "", "```text", usage, "```", "", " ".join((command.help or "").split()), ""]
        options = [param for param in command.params if isinstance(param, click.Option)]
        lines += ["| Option | Description |", "| --- | --- |"]
        lines += [f"| `{_cell(_names(option))}` | {_cell(_description(option))} |" for option in options]
        lines += ["| `-h, --help` | Show the command's help and exit. |", ""]
    lines += ["## Exit codes", "", _EXIT_CODES]
    return "\n".join(lines).rstrip("\n") + "\n"
