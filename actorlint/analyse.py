"""One file, start to finish inside a worker: read, decode, parse once, collect facts.

Whatever goes wrong with the file itself (unreadable, undecodable, unparsable) becomes
an ACT000 diagnostic in its facts, never an exception; only a bug in the collector
raises, and the engine reports that as an internal error naming the file.
"""

from __future__ import annotations

import ast
import gc
import os
import sys
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Callable, Dict, Iterator, Mapping, Optional, Tuple, TypeVar

from actorlint import suppressions
from actorlint.complexity import DEFAULT_MAX_FILE_TOKENS, pre_parse_problem
from actorlint.diagnostics import Diagnostic, Severity, Span
from actorlint.model.facts import FileFacts
from actorlint.model.frameworks import BUILTIN_CATALOG
from actorlint.prefilter import framework_matcher
from actorlint.source import (
    cpython_parse, decode_source, describe_decode_error, describe_syntax_error, line_and_column,
    read_source_bytes,
)

__all__ = [
    "FileJob", "analyse", "check_syntax", "error_diagnostic", "gc_paused", "module_name_for",
    "module_name_of_absolute", "process_ends_after_run",
]

T = TypeVar("T")

UNREADABLE_CODE = "ACT000"
UNREADABLE_NAME = "unreadable-file"
@dataclass(frozen=True)
class FileJob:
    """What a worker needs to analyse one file."""

    path: str            # the path to read (ignored when ``source`` is given)
    display_path: str    # the path diagnostics name
    module: str
    is_package: bool
    source: Optional[bytes] = None  # contents given in advance (stdin, a fixed text)
    is_stdin: bool = False
    # False for a file read only for what it teaches the others (``extend-exclude``):
    # its own diagnostics are not reported and it is never fixed.
    reported: bool = True
    # False for a file of the project that the paths asked for do not include (checking
    # staged files reads the rest of the project): a whole-tree run would report it, so
    # its findings are worked out and cached with the others, but not shown.
    asked: bool = True


def module_name_for(path: "os.PathLike[str] | str",
                    packages: Optional[Dict[str, Tuple[str, ...]]] = None) -> Tuple[str, bool]:
    """The dotted module name of a file, walking up through packages (``__init__.py``).

    ``packages`` memoises, per folder, the package names it stands in: pass the same
    dict for the files of one run, so that each folder is looked at once.
    """
    return module_name_of_absolute(os.path.abspath(path), packages)


def module_name_of_absolute(absolute: str, packages: Optional[Dict[str, Tuple[str, ...]]] = None
                            ) -> Tuple[str, bool]:
    """module_name_for of a path that is absolute and normalised already."""
    folder, name = os.path.split(absolute)
    is_package = name == "__init__.py"
    stem = os.path.splitext(name)[0]
    parts = _package_names(folder, {} if packages is None else packages)
    if not is_package:
        parts += (stem,)
    return ".".join(parts) or stem, is_package


def _package_names(folder: str, known: Dict[str, Tuple[str, ...]]) -> Tuple[str, ...]:
    """The names of the packages ``folder`` is (``a/b`` in packages ``a`` and ``a.b``: a, b)."""
    names = known.get(folder)
    if names is None:
        parent = os.path.dirname(folder)
        if parent != folder and os.path.isfile(os.path.join(folder, "__init__.py")):
            names = _package_names(parent, known) + (os.path.basename(folder),)
        else:
            names = ()
        known[folder] = names
    return names


@contextmanager
def gc_paused(freeze_if_ending: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector (unless it is off already) for a block.

    Parsing a file, or loading the facts of thousands, allocates hundreds of thousands
    of objects, and each batch of allocations sets off a collection that walks every
    live object and finds nothing: LibCST's trees and the facts hold no cycles (scopes
    point only outwards). That costs a fifth of a parse and four fifths of loading the
    cache. Whatever cycles the block leaves are collected after it, unless
    ``freeze_if_ending`` (a whole run's block) and the process ends after its run (see
    ``process_ends_after_run``). Never freeze per file: a worker analyses many files,
    and what one leaves must be collected.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if freeze_if_ending and _ENDS_AFTER_RUN:
                # The first collection after the block would walk everything it left alive
                # (0.7 s after loading the facts of 4,000 files), and so would the one at
                # exit: set them outside the collector's reach instead.
                gc.freeze()
            gc.enable()


_ENDS_AFTER_RUN = False


def process_ends_after_run() -> None:
    """Say that this process exits once its run is over (a command-line check, not the
    language server nor ``--watch``): what a run leaves is not worth collecting."""
    global _ENDS_AFTER_RUN
    _ENDS_AFTER_RUN = True


def error_diagnostic(display_path: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    """An ACT000 diagnostic: the file could not be read, parsed or analysed."""
    return Diagnostic(
        code=UNREADABLE_CODE, name=UNREADABLE_NAME, message=message, path=display_path,
        span=Span(line, column, line, column), severity=Severity.ERROR,
    )


def _read(job: FileJob, catalog: Optional[object] = None) -> Tuple[FileFacts, Optional[str]]:
    """Empty facts for the file and its text; the text is None when the facts already say
    why there is nothing to parse (unreadable, undecodable, NUL bytes, skip-file).
    ``catalog``: the frameworks whose words the facts say whether the file names."""
    empty = FileFacts(path=job.display_path, module=job.module)
    try:
        data = job.source if job.source is not None else read_source_bytes(job.path)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        empty = replace(empty, errors=(error_diagnostic(job.display_path, f"Cannot read file: {reason}"),))
        return empty, None
    if catalog is not None:
        empty = replace(empty, names_framework=framework_matcher(catalog).search(data))  # type: ignore[arg-type]
    try:
        source = decode_source(data)
    except (SyntaxError, LookupError, ValueError) as error:  # ValueError: UnicodeError too
        empty = replace(empty, errors=(error_diagnostic(job.display_path, *describe_decode_error(data, error)),))
        return empty, None
    if suppressions.skip_file(source):
        empty = replace(empty, skipped=True)
        return empty, None
    if "\0" in source:
        where = line_and_column(source, source.index("\0"))
        empty = replace(empty, errors=(error_diagnostic(job.display_path, "Cannot parse file: it contains a NUL byte", *where),))
        return empty, None
    return empty, source


def check_syntax(job: FileJob, max_file_tokens: int = DEFAULT_MAX_FILE_TOKENS) -> Optional[FileFacts]:
    """Facts for a file the prefilter did not pick: empty when CPython's parser accepts
    it; None when it does not, and the file must be analysed in full so that its ACT000
    reads exactly as without the prefilter. A file too large or complex to analyse gets
    the same ACT000 as ``analyse`` gives it."""
    empty, source = _read(job)
    if source is None:
        return empty
    trees = []

    def parse() -> ast.Module:
        if not trees:
            trees.append(cpython_parse(source))
        return trees[0]

    problem = pre_parse_problem(source, max_file_tokens, parse)
    if problem is not None:
        empty = replace(empty, errors=(error_diagnostic(job.display_path, *problem),))
        return empty
    try:
        parse()
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return replace(empty, parsed=False, suppressions=suppressions.Suppressions.from_source(source))


def analyse(job: FileJob, blocking: Optional[Mapping] = None, catalog: Optional[object] = None,
            max_file_tokens: int = DEFAULT_MAX_FILE_TOKENS) -> FileFacts:
    """Read, parse and collect one file; problems with the file become ACT000.

    ``blocking`` and ``catalog`` default to the built-in blocking-call table and
    frameworks; a file predicted to cost more than ``max_file_tokens`` (see
    actorlint/complexity.py) is not parsed.
    """
    empty, source = _read(job, BUILTIN_CATALOG if catalog is None else catalog)
    if source is None:
        return empty

    problem = pre_parse_problem(source, max_file_tokens, lambda: cpython_parse(source))
    if problem is not None:
        empty = replace(empty, errors=(error_diagnostic(job.display_path, *problem),))
        return empty

    with gc_paused():
        return _parse_and_collect(job, empty, source, blocking, catalog)


_DEEP_STACK_BYTES = 512 * 1024 * 1024  # address space only: pages are touched as used
_DEEP_RECURSION_LIMIT = 30_000


def _on_deep_stack(work: Callable[[], T]) -> T:
    """``work()`` on a thread with a large stack and a raised recursion limit."""
    outcome: Dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed back to the caller's thread
            outcome["error"] = error

    previous_limit = sys.getrecursionlimit()
    previous_size = threading.stack_size(_DEEP_STACK_BYTES)
    try:
        sys.setrecursionlimit(max(previous_limit, _DEEP_RECURSION_LIMIT))
        thread = threading.Thread(target=run, name="actorlint-deep")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(previous_size)
        sys.setrecursionlimit(previous_limit)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _parse_and_collect(job: FileJob, empty: FileFacts, source: str,
                       blocking: Optional[Mapping], catalog: Optional[object]) -> FileFacts:
    import libcst as cst  # deferred: a run where every file is cached never imports libcst

    from actorlint.model.collect import collect

    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        message, line, column = describe_syntax_error(source, error)
        empty = replace(empty, errors=(error_diagnostic(job.display_path, f"SyntaxError: {message}", line, column),))
        return empty
    except RecursionError:
        empty = replace(empty, errors=(error_diagnostic(job.display_path, "Cannot parse file: it is nested too deeply"),))
        return empty
    options = {"catalog": catalog} if catalog is not None else {}

    def collect_facts() -> FileFacts:
        with warnings.catch_warnings():  # literal values are evaluated: see cpython_parse
            warnings.simplefilter("ignore")
            return collect(module, job.display_path, job.module, is_package=job.is_package,
                           blocking=blocking, source=source, **options)

    try:
        facts = collect_facts()
    except RecursionError:
        # Valid code can nest deeper than the default limit allows the walk and LibCST's
        # code generation (1,000 adjacent strings, a 500-operand `or`): once more, on a
        # thread with a stack and a recursion limit made for it.
        try:
            facts = _on_deep_stack(collect_facts)
        except RecursionError:
            empty = replace(empty, errors=(error_diagnostic(job.display_path, "Cannot analyse file: it is nested too deeply"),))
            return empty
    # Any file: a project rule (a plugin's) may report in one without actor code.
    return replace(facts, suppressions=suppressions.Suppressions.from_source(source),
                   names_framework=empty.names_framework)
