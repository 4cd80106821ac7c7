"""The command line: ``actorlint check``, ``actorlint rules``, ``actorlint explain``.

Wiring only. Exit codes follow Ruff: 0 nothing found, 1 diagnostics found, 2 a usage,
configuration or internal error.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple

import click

from actorlint import __version__

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.plugins import PluginOrigin

__all__ = ["main"]

EXIT_CLEAN = 0
EXIT_FOUND = 1
EXIT_ERROR = 2

# The names of actorlint.report.FORMATS, spelled out so that `--help` does not import the
# reporters (tests/test_report.py checks that the two agree).
OUTPUT_FORMATS = ("text", "json", "github", "sarif", "gitlab")


def _split_codes(values: Sequence[str]) -> Tuple[str, ...]:
    codes: List[str] = []
    for value in values:
        codes.extend(part.strip().upper() for part in value.split(",") if part.strip())
    return tuple(codes)


def _fail(message: str) -> "click.exceptions.Exit":
    click.echo(f"error: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="actorlint")
def cli() -> None:
    """actorlint: find blocking handlers, untimed calls and races in Python actor code."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, metavar="CODES", help="Rule codes or prefixes to enable (replaces the config's `select`).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Rule codes or prefixes to disable.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Rule codes or prefixes to enable on top of `select`.")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this pyproject.toml / actorlint.toml instead of discovering one.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when diagnostics are found.")
@click.option("--statistics", is_flag=True, help="Show how many diagnostics each rule produced.")
@click.option("--quiet", "-q", is_flag=True, help="Print diagnostics only, no summary.")
@click.option("--force-exclude", is_flag=True, help="Apply exclusions to paths given explicitly too (for pre-commit).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores].")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--stdin-filename", metavar="PATH", help="The file name to report for source read from `-`.")
@click.option("--show-fixes", is_flag=True, help="Show the fix each fixable diagnostic offers.")
@click.option("--fix", is_flag=True, help="Apply safe fixes (and unsafe ones with --unsafe-fixes).")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (and count) unsafe fixes.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing (exit 1 if any).")
def check(
    paths: Tuple[str, ...], select: Tuple[str, ...], ignore: Tuple[str, ...],
    extend_select: Tuple[str, ...], output_format: str, config_path: Optional[str],
    exit_zero: bool, statistics: bool, quiet: bool, force_exclude: bool, jobs: Optional[int],
    no_cache: bool, stdin_filename: Optional[str], show_fixes: bool, fix: bool,
    unsafe_fixes: bool, diff: bool,
) -> None:
    """Check PATHS (files or folders; default `.`; `-` reads standard input)."""
    from actorlint.config import ConfigError, find_config_file, load_settings
    from actorlint.discovery import DiscoveryError, discover
    from actorlint.engine import FileJob, check_files, display_path, fix_files, jobs_for_paths
    from actorlint.fixing import unified_diff
    from actorlint.analyse import module_name_for
    from actorlint.report import ReportContext, RuleInfo, render
    from actorlint.rules import installed_rules

    cwd = Path.cwd()
    paths = paths or (".",)
    try:
        if config_path:
            config_file: Optional[Path] = Path(config_path)
        else:
            config_file = find_config_file(cwd) or find_config_file(_common_folder(paths, cwd))
        settings = load_settings(config_file, cwd)
        settings = settings.with_overrides(
            select=_split_codes(select) or None,
            ignore=_split_codes(ignore) or None,
            extend_select=_split_codes(extend_select) or None,
        )
    except ConfigError as error:
        raise _fail(str(error))

    file_jobs: List[FileJob] = []
    if "-" in paths:
        if len(paths) > 1:
            raise _fail("`-` (standard input) cannot be combined with other paths")
        name = stdin_filename or "-"
        if stdin_filename and force_exclude and not discover([stdin_filename], settings, force_exclude=True):
            name = ""  # excluded: check nothing, as Ruff does
        if name:
            module, is_package = module_name_for(Path(name)) if stdin_filename else ("stdin", False)
            shown = display_path(Path(name), cwd) if stdin_filename else "-"
            file_jobs.append(FileJob(name, shown, module, is_package, source=sys.stdin.buffer.read(),
                                     is_stdin=True))
    else:
        try:
            files = discover(paths, settings, force_exclude=force_exclude)
        except DiscoveryError as error:
            raise _fail(str(error))
        file_jobs = jobs_for_paths(files, cwd)

    workers = jobs or os.cpu_count() or 1
    fixed = 0
    if fix or diff:
        outcome = fix_files(file_jobs, settings, workers=workers, use_cache=not no_cache,
                            unsafe=unsafe_fixes)
        for message in outcome.refused:
            click.echo(f"warning: {message}", err=True)
        if diff:
            for change in outcome.changes:
                click.echo(unified_diff(change.job.display_path, change.source.text, change.text), nl=False)
            count = outcome.fixed
            click.echo(f"Would fix {count} error{'s' if count != 1 else ''}.", err=True)
            raise click.exceptions.Exit(EXIT_FOUND if outcome.changes else EXIT_CLEAN)
        stdin_fixed = _write_changes(outcome.changes)
        if stdin_fixed is not None:
            sys.stdout.write(stdin_fixed)
            quiet = True
        result, fixed = outcome.remaining, outcome.fixed
    else:
        result = check_files(file_jobs, settings, workers=workers, use_cache=not no_cache)

    rules = {rule.code: RuleInfo.from_rule(rule) for rule in installed_rules()}
    context = ReportContext(
        rules=rules, files_checked=result.files_checked, show_fixes=show_fixes,
        statistics=statistics, quiet=quiet, unsafe_fixes=unsafe_fixes,
    )
    out = sys.stderr if fix and "-" in paths else sys.stdout
    render(output_format, result.diagnostics, context, out)
    if fixed and output_format == "text" and not quiet:
        out.write(f"Fixed {fixed} error{'s' if fixed != 1 else ''}.\n")
    out.flush()
    for message in result.internal_errors:
        click.echo(f"error: {message}", err=True)
    if result.internal_errors:
        raise click.exceptions.Exit(EXIT_ERROR)
    if result.diagnostics and not exit_zero:
        raise click.exceptions.Exit(EXIT_FOUND)


def _write_changes(changes) -> Optional[str]:
    """Write fixed files atomically; return the fixed text of standard input, if fixed."""
    from actorlint.fixing import encode_source, write_atomic

    stdin_text = None
    for change in changes:
        if change.job.is_stdin:
            stdin_text = change.text
            continue
        write_atomic(Path(change.job.path), encode_source(change.source, change.text), change.source.mode)
    return stdin_text


def _common_folder(paths: Sequence[str], cwd: Path) -> Path:
    absolute = [os.path.abspath(p) for p in paths if p != "-"]
    if not absolute:
        return cwd
    common = Path(os.path.commonpath(absolute))
    return common if common.is_dir() else common.parent


@cli.command("rules")
@click.option("--output-format", type=click.Choice(("text", "json")), default="text", show_default=True)
def list_rules(output_format: str) -> None:
    """List every rule, installed plugins' too: code, name, whether it has a fix, summary."""
    from actorlint.plugins import load_plugins
    from actorlint.rules import installed_rules

    rules = installed_rules()
    origins = load_plugins().origins
    if output_format == "json":
        payload = [
            {"code": r.code, "name": r.name, "fixable": r.fix_applicability is not None,
             "fix": r.fix_applicability.value if r.fix_applicability else None,
             "summary": r.summary, "plugin": _plugin_json(origins.get(r.code))}
            for r in rules
        ]
        click.echo(json.dumps(payload, indent=2))
        return
    code_width = max(len(r.code) for r in rules)
    width = max(len(r.name) for r in rules)
    for rule in rules:
        fix = rule.fix_applicability.value if rule.fix_applicability else "-"
        origin = origins.get(rule.code)
        where = f"  (plugin {origin.distribution} {origin.version})" if origin else ""
        click.echo(f"{rule.code:<{code_width}}  {rule.name:<{width}}  {fix:<6}  {rule.summary}{where}")


def _plugin_json(origin: Optional[PluginOrigin]) -> Optional[dict]:
    """Where a plugin rule comes from, for `rules --output-format json` (None: built-in)."""
    if origin is None:
        return None
    return {"distribution": origin.distribution, "version": origin.version,
            "entry_point": origin.entry_point}


@cli.command()
@click.argument("code")
def explain(code: str) -> None:
    """Print the documentation of rule CODE (e.g. ACT101, or a plugin's ACM101)."""
    from actorlint.rules import rules_by_code

    wanted = code.strip().upper()
    rule = rules_by_code().get(wanted)
    origin = None
    if rule is None:  # only then are the plugins loaded
        from actorlint.plugins import load_plugins

        plugins = load_plugins()
        rule = next((r for r in plugins.rules if r.code == wanted), None)
        origin = plugins.origins.get(wanted)
    if rule is None:
        raise _fail(f"unknown rule code: {code} (see `actorlint rules`)")
    click.echo(f"# {rule.name} ({rule.code})\n")
    if origin is not None:
        click.echo(f"From {origin}, version {origin.version}.\n")
    click.echo(rule.documentation())


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Run the command line; exit codes: 0 clean, 1 diagnostics, 2 errors."""
    # click exits 2 on usage errors itself, like our own configuration errors.
    cli.main(args=list(argv) if argv is not None else None, prog_name="actorlint",
             standalone_mode=True)
