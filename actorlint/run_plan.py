"""Which configuration checks which file, as in Ruff: each file follows the config file
nearest to it (else the current folder's; ``--config`` names one for them all). A run over
files that several configs govern is split into one group per config, and each group is a
project of its own: its config's folder without the folders below it that hold their own
config. A group reads its whole project, so that the files asked for get what a run over
that project gives them whichever way they were asked for, and is checked with its own
settings; the groups' results are then merged."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

from actorlint.analyse import module_name_for
from actorlint.config import Settings, config_in_folder, find_config_file
from actorlint.discovery import (
    FoundFile, common_folder, discover, discover_with_context, project_context, project_root, sorted_found,
)
from actorlint.engine import FileJob, FixResult, RunResult, display_path, jobs_for_found

__all__ = ["ConfigGroup", "governing_config", "merge_fixes", "merge_results", "plan_files", "plan_stdin"]

#: The settings a config file gives the run (the command line's flags applied).
SettingsFor = Callable[[Optional[Path]], Settings]


@dataclass
class ConfigGroup:
    """The files one config governs, as file jobs (with their project's other files)."""

    config_file: Optional[Path]
    settings: Settings
    jobs: List[FileJob] = field(default_factory=list)


def governing_config(path: Path, cwd: Path) -> Optional[Path]:
    """The config file for ``path`` (a file or a folder): the nearest one above it, else
    the current folder's."""
    return find_config_file(path) or find_config_file(cwd)


class _Found:
    """What the walks found for one config: files to report, context files, paths asked."""

    def __init__(self) -> None:
        self.reported: Dict[str, FoundFile] = {}
        self.context: Dict[str, FoundFile] = {}
        self.asked: List[str] = []

    def add(self, asked: Sequence[str], reported: Sequence[FoundFile], context: Sequence[FoundFile]) -> None:
        self.asked.extend(asked)
        for found in reported:
            key = os.path.normcase(found.absolute)
            self.reported.setdefault(key, found)
            self.context.pop(key, None)
        for found in context:
            key = os.path.normcase(found.absolute)
            if key not in self.reported:
                self.context.setdefault(key, found)


def plan_files(paths: Sequence[str], settings_for: SettingsFor, cwd: Path, *,
               config_file: Optional[Path] = None, force_exclude: bool = False) -> List[ConfigGroup]:
    """The groups checking ``paths`` (files and folders on disk). With ``config_file``
    (``--config``) there is one group, and folders with a config of their own are walked
    like any other. Raises DiscoveryError for a path that does not exist."""
    explicit = config_file is not None
    found: Dict[Optional[Path], _Found] = {}
    by_folder: Dict[str, Optional[Path]] = {}  # pre-commit passes many files of few folders

    def config_of(raw: str) -> Optional[Path]:
        absolute = os.path.abspath(raw)
        folder = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
        if folder not in by_folder:
            by_folder[folder] = governing_config(Path(folder), cwd)
        return by_folder[folder]

    queue = [(config_file if explicit else config_of(raw), raw) for raw in paths]
    while queue:
        config, raw = queue.pop(0)
        nested: Optional[List[str]] = None if explicit else []
        reported, context = discover_with_context([raw], settings_for(config), force_exclude=force_exclude,
                                                  nested=nested)
        found.setdefault(config, _Found()).add([raw], reported, context)
        for folder in nested or ():
            queue.append((config_in_folder(Path(os.path.abspath(folder))), folder))
    groups = []
    for config, files in found.items():
        settings = settings_for(config)
        reported, context = sorted_found(files.reported.values()), sorted_found(files.context.values())
        root = project_root(config, common_folder(files.asked, cwd))
        unasked: List[FoundFile] = []
        if root is not None:
            # Checking part of a project (pre-commit's staged files, a path) reads the
            # rest too, so that those files get what a whole-tree run gives them.
            known = files.reported.keys() | files.context.keys()
            unasked, more_context = project_context(root, files.asked, known, settings, cwd,
                                                    nested_configs=not explicit)
            context = context + more_context
        groups.append(ConfigGroup(config, settings, jobs_for_found(reported, cwd, context, unasked)))
    return groups


def plan_stdin(source: bytes, stdin_filename: Optional[str], settings_for: SettingsFor, cwd: Path, *,
               config_file: Optional[Path] = None, force_exclude: bool = False) -> List[ConfigGroup]:
    """The group checking standard input's ``source``: under ``stdin_filename``, as that
    file of its project (the rest of the project read as context); none when
    ``force_exclude`` leaves that name out."""
    explicit = config_file is not None
    if stdin_filename is None:
        config = config_file if explicit else governing_config(cwd, cwd)
        return [ConfigGroup(config, settings_for(config), [FileJob("-", "-", "stdin", False, source=source,
                                                                   is_stdin=True)])]
    absolute = Path(os.path.abspath(stdin_filename))
    config = config_file if explicit else governing_config(absolute.parent, cwd)
    settings = settings_for(config)
    group = ConfigGroup(config, settings)
    if force_exclude and not discover([stdin_filename], settings, force_exclude=True):
        return []  # excluded: check nothing, as Ruff does
    module, is_package = module_name_for(Path(stdin_filename))
    group.jobs.append(FileJob(stdin_filename, display_path(Path(stdin_filename), cwd), module, is_package,
                              source=source, is_stdin=True))
    root = project_root(config, absolute.parent)
    if root is not None:
        # The rest of the project as context; the text on stdin stands for the file.
        unasked, context = project_context(root, [stdin_filename], set(), settings, cwd, nested_configs=not explicit)
        group.jobs += jobs_for_found([], cwd, context, unasked)
    return [group]


def merge_results(results: Sequence[RunResult]) -> RunResult:
    """One result from the groups' results (diagnostics in report order)."""
    diagnostics = sorted((d for result in results for d in result.diagnostics), key=lambda d: d.sort_key)
    return RunResult(diagnostics, sum(result.files_checked for result in results),
                     [error for result in results for error in result.internal_errors])


def merge_fixes(outcomes: Sequence[FixResult]) -> FixResult:
    """One fix outcome from the groups' outcomes."""
    return FixResult([change for outcome in outcomes for change in outcome.changes],
                     merge_results([outcome.remaining for outcome in outcomes]),
                     sum(outcome.fixed for outcome in outcomes),
                     [message for outcome in outcomes for message in outcome.refused])
