"""The command line: ``actorlint check``, ``actorlint rules``, ``actorlint explain``.

Wiring only. Exit codes follow Ruff: 0 nothing found, 1 diagnostics found, 2 a usage,
configuration or internal error.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Set, Tuple

import click

from actorlint import __version__
from actorlint.cli_support import (
    EXIT_ERROR, decoded, echo_stdin, fail, read_stdin, refuse_unknown_selectors, settings_report, shown,
    wants_color, would_fix, write_changes,
)

if TYPE_CHECKING:  # pragma: no cover
    from actorlint.config import Settings
    from actorlint.engine import FileChange
    from actorlint.plugins import PluginOrigin

__all__ = ["main"]

EXIT_CLEAN = 0
EXIT_FOUND = 1

# The names of actorlint.report.FORMATS, spelled out so that `--help` does not import the
# reporters (tests/cli/test_report.py checks that the two agree).
OUTPUT_FORMATS = ("text", "concise", "full", "json", "json-lines", "github", "sarif", "gitlab", "pylint")
# The formats people read (progress, "Fixed N errors."); `concise` is Ruff's name for `text`.
_HUMAN_FORMATS = ("text", "concise", "full")


def _split_codes(values: Sequence[str]) -> Tuple[str, ...]:
    codes: List[str] = []
    for value in values:
        codes.extend(part.strip().upper() for part in value.split(",") if part.strip())
    return tuple(codes)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="actorlint")
def cli() -> None:
    """actorlint: find blocking handlers, untimed calls and races in Python actor code."""


#: Whether the process ends when a check is over: run from the entry point (``main``),
#: not ``--watch``, whose process outlives each check, nor in-process from Python.
_EXITS_AFTER_CHECK = False


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, metavar="CODES", help="Rule codes or prefixes to enable (replaces the config's `select`).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Rule codes or prefixes to disable.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Rule codes or prefixes to enable on top of `select`.")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), default="text", show_default=True,
              help="text (or concise): one line per finding; full: with the source and carets; json, json-lines, "
                   "github, sarif, gitlab, pylint: for scripts, CI services and other tools.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this pyproject.toml / actorlint.toml for every file instead of each file's nearest one.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when diagnostics are found.")
@click.option("--statistics", is_flag=True, help="Show how many diagnostics each rule produced (text or JSON).")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False), help="Write the report to this file instead of standard output.")
@click.option("--quiet", "-q", is_flag=True, help="Print diagnostics only, no summary.")
@click.option("--silent", "-s", is_flag=True, help="Print no report at all (the exit code still tells); errors are still printed.")
@click.option("--force-exclude", is_flag=True, help="Apply exclusions to paths given explicitly too (for pre-commit).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes [default: the CPUs this process may run on].")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="ACTORLINT_CACHE_DIR", show_envvar=True,
              help="Keep the cache here [default: .actorlint_cache in the project root].")
@click.option("--stdin-filename", metavar="PATH", help="The file name to report for source read from `-`.")
@click.option("--show-fixes", is_flag=True, help="Show the fix each fixable diagnostic offers.")
@click.option("--fix", is_flag=True, help="Apply safe fixes (and unsafe ones with --unsafe-fixes).")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (and count) unsafe fixes.")
@click.option("--fix-only", is_flag=True, help="Apply fixes, and report nothing of what remains (exit 0 unless an error).")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when a fix was applied, even if nothing remains.")
@click.option("--ignore-noqa", is_flag=True, help="Report what `# noqa` and `# actorlint: ignore[...]` comments suppress.")
@click.option("--watch", is_flag=True, help="Check again whenever a Python or configuration file changes (needs `actorlint[watch]`).")
@click.option("--show-settings", is_flag=True, help="Print the configuration file, the project root and every setting the run would use, then exit.")
@click.option("--show-files", is_flag=True, help="Print the files the run would check, then exit.")
@click.option("--add-noqa", is_flag=True, help="Add a `# noqa: CODE` comment for every current finding; write nothing else.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing (exit 1 if any).")
@click.option("--preview/--no-preview", default=None,
              help="Run preview rules too (replaces the config's `preview`).")
def check(
    paths: Tuple[str, ...], select: Tuple[str, ...], ignore: Tuple[str, ...],
    extend_select: Tuple[str, ...], output_format: str, config_path: Optional[str],
    exit_zero: bool, statistics: bool, output_file: Optional[str], quiet: bool, silent: bool, force_exclude: bool,
    jobs: Optional[int], no_cache: bool, cache_dir: Optional[str], stdin_filename: Optional[str], show_fixes: bool, fix: bool,
    unsafe_fixes: bool, fix_only: bool, exit_non_zero_on_fix: bool, ignore_noqa: bool, watch: bool, show_settings: bool, show_files: bool, add_noqa: bool, diff: bool,
    preview: Optional[bool],
) -> None:
    """Check PATHS (files or folders; default `.`; `-` reads standard input)."""
    fix = fix or fix_only
    if watch:
        if fix or diff or add_noqa or show_settings or show_files or "-" in paths or stdin_filename:
            raise fail("--watch checks files on disk: it cannot be combined with --fix, --diff, "
                        "--add-noqa, --show-settings, --show-files or standard input")
        from actorlint.discovery import common_folder
        from actorlint.watch import watch_and_rerun

        global _EXITS_AFTER_CHECK
        _EXITS_AFTER_CHECK = False  # each run's leftovers are collected
        context = click.get_current_context()
        watch_and_rerun(lambda: context.invoke(check, **{**context.params, "watch": False}),
                        [common_folder(paths or (".",), Path.cwd())])
        return
    from actorlint.analyse import process_ends_after_run
    from actorlint.config import ConfigError, load_settings
    from actorlint.discovery import DiscoveryError, common_folder
    from actorlint.engine import check_files, fix_files
    from actorlint.fixing import unified_diff
    from actorlint.report import ReportContext, RuleInfo, render
    from actorlint.rules import installed_rules
    from actorlint.run_plan import governing_config, merge_fixes, merge_results, plan_files, plan_stdin

    if _EXITS_AFTER_CHECK:
        process_ends_after_run()
    cwd = Path.cwd()
    # As in Ruff, `--stdin-filename` with no path reads standard input.
    paths = paths or (("-",) if stdin_filename else (".",))
    flags = {"--select": _split_codes(select), "--ignore": _split_codes(ignore),
             "--extend-select": _split_codes(extend_select)}
    loaded: Dict[Optional[Path], "Settings"] = {}
    warned: Set[str] = set()

    def settings_for(config_file: Optional[Path]) -> "Settings":
        """The settings a config file gives this run (flags applied), read once."""
        if config_file in loaded:
            return loaded[config_file]
        try:
            settings = load_settings(config_file, cwd).with_overrides(
                select=flags["--select"] or None,
                ignore=flags["--ignore"] or None,
                extend_select=flags["--extend-select"] or None,
            )
        except ConfigError as error:
            raise fail(str(error))
        refuse_unknown_selectors(settings, flags, config_file)
        if cache_dir:
            settings = replace(settings, cache_dir=Path(cache_dir))
        if preview is not None:
            settings = replace(settings, preview=preview)
        if ignore_noqa:
            settings = replace(settings, ignore_noqa=True)
        for code in settings.preview_only(installed_rules(settings)):
            if code not in warned:
                warned.add(code)
                click.echo(f"warning: {code} is a preview rule: selecting it has no effect without "
                           "`--preview` (or `preview = true` in the config)", err=True)
        loaded[config_file] = settings
        return settings

    explicit_config = Path(config_path) if config_path else None
    # The settings of the files asked for (`--show-settings`), read before anything else so
    # that a broken config is reported first; each file follows its nearest config.
    asked_folder = Path(os.path.abspath(stdin_filename)).parent if "-" in paths and stdin_filename \
        else common_folder(paths, cwd)
    try:
        config_file = explicit_config or governing_config(asked_folder, cwd)
        settings = settings_for(config_file)
        if "-" in paths:
            if len(paths) > 1:
                raise fail("`-` (standard input) cannot be combined with other paths")
            groups = plan_stdin(read_stdin(), stdin_filename, settings_for, cwd, config_file=explicit_config,
                                force_exclude=force_exclude)
        else:
            groups = plan_files(paths, settings_for, cwd, config_file=explicit_config, force_exclude=force_exclude)
    except (ConfigError, DiscoveryError) as error:
        raise fail(str(error))
    file_jobs = [job for group in groups for job in group.jobs]

    if show_settings:
        for line in settings_report(settings, config_file):
            click.echo(shown(line))
        return
    if show_files:
        for job in sorted((job for job in file_jobs if job.reported and job.asked), key=lambda job: job.display_path):
            click.echo(shown(job.display_path))
        return
    if not any(job.asked for job in file_jobs):
        # As Ruff warns; "All checks passed!" would claim a check that never happened.
        if not silent:
            click.echo("warning: No Python files found under the given path(s)", err=True)
        quiet = True
    workers = jobs or _usable_cpus()
    fixed = 0
    not_written: List["FileChange"] = []
    if add_noqa:
        if fix or diff or any(job.is_stdin for job in file_jobs):
            raise fail("--add-noqa cannot be combined with --fix, --diff or standard input")
        from actorlint.add_noqa import add_noqa as add_directives

        found = merge_results([check_files(group.jobs, group.settings, workers=workers, use_cache=not no_cache)
                               for group in groups])
        outcome = add_directives(file_jobs, found.diagnostics)
        for message in outcome.refused + found.internal_errors:
            click.echo(f"error: {shown(message)}", err=True)
        count = outcome.added
        click.echo(f"Added {count} noqa directive{'s' if count != 1 else ''}.", err=True)
        raise click.exceptions.Exit(EXIT_ERROR if outcome.refused or found.internal_errors else EXIT_CLEAN)
    if fix or diff:
        outcome = merge_fixes([fix_files(group.jobs, group.settings, workers=workers, use_cache=not no_cache,
                                         unsafe=unsafe_fixes) for group in groups])
        for message in outcome.refused:
            click.echo(f"warning: {shown(message)}", err=True)
        if diff:
            for change in outcome.changes:
                click.echo(unified_diff(shown(change.job.display_path), change.source.text, change.text),
                           nl=False)
            click.echo(would_fix(outcome.fixed, outcome.remaining.diagnostics, unsafe_fixes), err=True)
            raise click.exceptions.Exit(EXIT_FOUND if outcome.changes else EXIT_CLEAN)
        not_written = write_changes(outcome.changes)
        stdin_job = next((job for job in file_jobs if job.is_stdin), None)
        if stdin_job is not None:
            echo_stdin(stdin_job, outcome.changes)
            quiet = True
        result = outcome.remaining
        if fix_only:  # as Ruff: what remains is neither reported nor counted in the exit code
            result = replace(result, diagnostics=[])
        fixed = outcome.fixed - sum(change.fixed for change in not_written)
    else:
        progress = None
        if output_format in _HUMAN_FORMATS and _stderr_is_terminal():
            from actorlint.progress import Progress

            progress = Progress(sys.stderr)
        result = merge_results([check_files(group.jobs, group.settings, workers=workers, use_cache=not no_cache,
                                            progress=progress) for group in groups])

    rules = {rule.code: RuleInfo.from_rule(rule)
             for each in [settings] + [group.settings for group in groups] for rule in installed_rules(each)}
    context = ReportContext(
        rules=rules, files_checked=result.files_checked, show_fixes=show_fixes,
        statistics=statistics, quiet=quiet, unsafe_fixes=unsafe_fixes,
        internal_errors=tuple(result.internal_errors), color=wants_color(output_file),
        texts={job.display_path: decoded(job.source) for job in file_jobs if job.is_stdin and job.source is not None},
    )
    out = sys.stderr if fix and "-" in paths else sys.stdout
    if output_file:
        try:
            out = open(output_file, "w", encoding="utf-8")
        except OSError as error:
            raise fail(f"cannot write the report to {output_file}: {error.strerror or error}")
    with out if output_file else contextlib.nullcontext(out):
        if not silent and not (fix_only and output_format in _HUMAN_FORMATS):
            render(output_format, result.diagnostics, context, out)
        if fixed and output_format in _HUMAN_FORMATS and not (quiet or silent):
            out.write(f"Fixed {fixed} error{'s' if fixed != 1 else ''}.\n")
        out.flush()
    from actorlint.printable import printable_lines

    for message in result.internal_errors:
        click.echo(f"error: {printable_lines(message)}", err=True)
    if not_written:
        count = len(not_written)
        click.echo(f"error: {count} file{'s' if count != 1 else ''} could not be fixed (see above).", err=True)
    if result.internal_errors or not_written:
        raise click.exceptions.Exit(EXIT_ERROR)
    if (result.diagnostics and not exit_zero) or (fixed and exit_non_zero_on_fix):
        raise click.exceptions.Exit(EXIT_FOUND)


def _stderr_is_terminal() -> bool:
    """Whether standard error is a terminal (progress is drawn only there)."""
    return sys.stderr.isatty()


def _usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, as a container or ``taskset`` sets
    it), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on every platform
        return os.cpu_count() or 1


@cli.command()
def server() -> None:
    """Run the language server on standard input and output (for editors; needs the
    `actorlint[server]` extra)."""
    try:
        from actorlint.lsp.server import build_server
    except ImportError as error:
        raise fail(f"the language server needs pygls: pip install 'actorlint[server]' ({error})")
    build_server().start_io()


@cli.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="The config file whose project's cache to remove.")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="ACTORLINT_CACHE_DIR", show_envvar=True,
              help="Remove the cache kept here.")
def clean(config_path: Optional[str], cache_dir: Optional[str]) -> None:
    """Remove the cache of the project in the current folder (or the one given)."""
    from actorlint.cache import cache_location, clean as remove_cache
    from actorlint.config import ConfigError, find_config_file, load_settings

    cwd = Path.cwd()
    try:
        config_file = Path(config_path) if config_path else find_config_file(cwd)
        settings = load_settings(config_file, cwd)
    except ConfigError as error:
        raise fail(str(error))
    if cache_dir:
        settings = replace(settings, cache_dir=Path(cache_dir))
    top = cache_location(settings)
    if not top.exists():
        click.echo(f"No cache at {shown(str(top))}.", err=True)
        return
    if not remove_cache(top):
        raise fail(f"{shown(str(top))} is not an actorlint cache (no CACHEDIR.TAG of ours); left alone")
    click.echo(f"Removed the cache at {shown(str(top))}.", err=True)


@cli.command("rules")
@click.option("--output-format", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="A table, or a JSON array for scripts.")
def list_rules(output_format: str) -> None:
    """List every rule, installed plugins' too: code, name, its fix, preview or stable, summary."""
    from actorlint.rules import installed_rules, loaded_plugins

    rules = installed_rules()
    origins = loaded_plugins().origins
    if output_format == "json":
        payload = [
            {"code": r.code, "name": r.name, "fixable": r.fix_applicability is not None,
             "fix": r.fix_applicability.value if r.fix_applicability else None,
             "preview": r.preview, "summary": r.summary, "plugin": _plugin_json(origins.get(r.code))}
            for r in rules
        ]
        click.echo(json.dumps(payload, indent=2))
        return
    code_width = max(len(r.code) for r in rules)
    width = max(len(r.name) for r in rules)
    for rule in rules:
        fix = rule.fix_applicability.value if rule.fix_applicability else "-"
        status = "preview" if rule.preview else "stable"
        origin = origins.get(rule.code)
        where = f"  (plugin {origin.distribution} {origin.version})" if origin else ""
        click.echo(shown(f"{rule.code:<{code_width}}  {rule.name:<{width}}  {fix:<6}  {status:<7}  "
                          f"{rule.summary}{where}"))


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
        from actorlint.rules import loaded_plugins

        plugins = loaded_plugins()
        rule = next((r for r in plugins.rules if r.code == wanted), None)
        origin = plugins.origins.get(wanted)
    if rule is None:
        raise fail(f"unknown rule code: {code} (see `actorlint rules`)")
    click.echo(shown(f"# {rule.name} ({rule.code})") + "\n")
    if origin is not None:
        click.echo(shown(f"From {origin}, version {origin.version}.") + "\n")
    click.echo(rule.documentation())


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Run the command line; exit codes: 0 clean, 1 diagnostics, 2 errors, 130 Ctrl-C."""
    global _EXITS_AFTER_CHECK
    _EXITS_AFTER_CHECK = True
    try:
        code = cli.main(args=list(argv) if argv is not None else None, prog_name="actorlint",
                        standalone_mode=False)
    except click.exceptions.Abort:  # Ctrl-C (click turns KeyboardInterrupt into Abort)
        click.echo("Aborted!", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("Aborted!", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:  # usage errors: exit 2, as before
        error.show()
        sys.exit(error.exit_code)
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
