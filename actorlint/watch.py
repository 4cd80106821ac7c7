"""``check --watch``: check now, then again whenever a Python file or a configuration file
under the watched folders changes (``watchfiles``, the optional extra ``actorlint[watch]``).
Each run goes through the cache, so a re-run analyses only what changed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence

import click

__all__ = ["watch_and_rerun"]

_CONFIG_NAMES = ("pyproject.toml", "actorlint.toml", ".actorlint.toml")


def _relevant(change: object, path: str) -> bool:
    """A change worth a new run: Python sources and configuration, not the cache."""
    name = os.path.basename(path)
    return (name.endswith((".py", ".pyi")) or name in _CONFIG_NAMES) and \
        f"{os.sep}.actorlint_cache{os.sep}" not in path


def _once(run: Callable[[], None]) -> None:
    try:
        run()
    except click.exceptions.Exit:
        pass  # the exit code of one run does not end the watch
    except click.ClickException as error:
        error.show()


def watch_and_rerun(run: Callable[[], None], folders: Sequence[Path]) -> None:
    """Call ``run`` now and after each batch of relevant changes; Ctrl-C ends it."""
    try:
        import watchfiles
    except ImportError as error:
        raise click.ClickException(f"--watch needs watchfiles: pip install 'actorlint[watch]' ({error})")
    _once(run)
    announced = False
    # The watcher yields on a timeout too: the first (empty) batch says it is watching, so
    # "Watching" is never printed before a change could be missed.
    for changes in watchfiles.watch(*folders, watch_filter=_relevant, debounce=400, rust_timeout=500,
                                    yield_on_timeout=True, raise_interrupt=True):
        if changes:
            count = len(changes)
            click.echo(f"{count} file{'s' if count != 1 else ''} changed; checking again.", err=True)
            _once(run)
            announced = False
        if not announced:
            click.echo("Watching for file changes.", err=True)
            announced = True
