"""One file, start to finish inside a worker: read, decode, parse once, collect facts.

Whatever goes wrong with the file itself (unreadable, undecodable, unparsable) becomes
an ACT000 diagnostic in its facts, never an exception; only a bug in the collector
raises, and the engine reports that as an internal error naming the file.
"""

from __future__ import annotations

import ast
import io
import os
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

from actorlint import suppressions
from actorlint.diagnostics import Diagnostic, Severity, Span
from actorlint.model.facts import FileFacts

__all__ = ["FileJob", "analyse", "check_syntax", "module_name_for"]

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


def module_name_for(path: Path) -> Tuple[str, bool]:
    """The dotted module name of a file, walking up through packages (``__init__.py``)."""
    path = Path(os.path.abspath(path))
    is_package = path.name == "__init__.py"
    parts = [] if is_package else [path.stem]
    folder = path.parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        parts.append(folder.name)
        folder = folder.parent
    parts.reverse()
    return ".".join(parts) or path.stem, is_package


def _error(display_path: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    return Diagnostic(
        code=UNREADABLE_CODE, name=UNREADABLE_NAME, message=message, path=display_path,
        span=Span(line, column, line, column), severity=Severity.ERROR,
    )


def decode(data: bytes) -> Tuple[str, str, bool]:
    """Decode Python source bytes as the interpreter would (BOM, coding cookie, UTF-8):
    the text without its byte-order mark, the encoding to write it back with, and
    whether it had a mark. Analysis and fixing both decode here, so their offsets agree.

    Raises SyntaxError for a bad coding cookie and UnicodeDecodeError for bad bytes.
    """
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    bom = False
    if encoding == "utf-8-sig":
        # The codec removed the mark; writing back puts it in front as U+FEFF in UTF-8.
        encoding, bom = "utf-8", True
    # A leading U+FEFF left in the text (a second mark, or one in another encoding) is
    # dropped too; only one comes back on write (no valid file has two).
    if text.startswith("\ufeff"):
        text, bom = text[1:], True
    return text, encoding, bom


def decode_source(data: bytes) -> str:
    """The decoded text of Python source bytes (see ``decode``)."""
    return decode(data)[0]


def _describe_syntax_error(source: str, error: "Exception") -> Tuple[str, int, int]:
    """A parse error's message and 1-based position.

    LibCST's ``raw_line`` can point one line past the error when code follows it, so the
    interpreter's own parser (run only on files that failed) describes the error when it
    agrees that the file is broken; LibCST's account stands for syntax newer than the
    running interpreter.
    """
    try:
        compile(source, "<actorlint>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as syntax_error:
        if syntax_error.lineno:
            return syntax_error.msg, syntax_error.lineno, max(syntax_error.offset or 1, 1)
    except (ValueError, RecursionError, MemoryError):
        pass
    message = getattr(error, "message", str(error))
    return message, max(getattr(error, "raw_line", 1), 1), getattr(error, "raw_column", 0) + 1


def _read(job: FileJob) -> Tuple[FileFacts, Optional[str]]:
    """Empty facts for the file and its text; the text is None when the facts already say
    why there is nothing to parse (unreadable, undecodable, NUL bytes, skip-file)."""
    empty = FileFacts(path=job.display_path, module=job.module)
    try:
        data = job.source if job.source is not None else Path(job.path).read_bytes()
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        empty.errors = (_error(job.display_path, f"Cannot read file: {reason}"),)
        return empty, None
    try:
        source = decode_source(data)
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        empty.errors = (_error(job.display_path, f"Cannot decode file: {error}"),)
        return empty, None
    if suppressions.skip_file(source):
        empty.skipped = True
        return empty, None
    if "\0" in source:
        empty.errors = (_error(job.display_path, "Cannot parse file: it contains a NUL byte"),)
        return empty, None
    return empty, source


def check_syntax(job: FileJob) -> Optional[FileFacts]:
    """Facts for a file the prefilter did not pick: empty when CPython's parser accepts
    it; None when it does not, and the file must be analysed in full so that its ACT000
    reads exactly as without the prefilter."""
    empty, source = _read(job)
    if source is None:
        return empty
    try:
        compile(source, job.display_path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    empty.parsed = False
    return empty


def analyse(job: FileJob, blocking: Optional[Mapping] = None, catalog: Optional[object] = None) -> FileFacts:
    """Read, parse and collect one file; problems with the file become ACT000.

    ``blocking`` and ``catalog`` default to the built-in blocking-call table and frameworks.
    """
    empty, source = _read(job)
    if source is None:
        return empty

    import libcst as cst  # deferred: a run where every file is cached never imports libcst

    from actorlint.model.collect import collect

    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        message, line, column = _describe_syntax_error(source, error)
        empty.errors = (_error(job.display_path, f"SyntaxError: {message}", line, column),)
        return empty
    except RecursionError:
        empty.errors = (_error(job.display_path, "Cannot parse file: it is nested too deeply"),)
        return empty
    try:
        options = {"catalog": catalog} if catalog is not None else {}
        facts = collect(module, job.display_path, job.module, is_package=job.is_package,
                        blocking=blocking, source=source, **options)
    except RecursionError:
        empty.errors = (_error(job.display_path, "Cannot analyse file: it is nested too deeply"),)
        return empty
    if facts.sites or facts.classes or facts.tasks or facts.payloads:
        facts.suppressions = suppressions.Suppressions.from_source(source)
    return facts
