"""One file, start to finish inside a worker: read, decode, parse once, collect facts.

Whatever goes wrong with the file itself (unreadable, undecodable, unparsable) becomes
an ACT000 diagnostic in its facts, never an exception; only a bug in the collector
raises, and the engine reports that as an internal error naming the file.
"""

from __future__ import annotations

import ast
import gc
import io
import os
import re
import sys
import threading
import tokenize
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Mapping, Optional, Tuple, TypeVar

from actorlint import suppressions
from actorlint.diagnostics import Diagnostic, Severity, Span
from actorlint.model.facts import FileFacts
from actorlint.safe_read import read_regular_file

__all__ = ["FileJob", "analyse", "check_syntax", "cpython_parse", "gc_paused", "module_name_for"]

T = TypeVar("T")

UNREADABLE_CODE = "ACT000"
UNREADABLE_NAME = "unreadable-file"
# No source file is read past this size (a stray data dump, /dev/zero given as a path).
MAX_READ_BYTES = 64 * 1024 * 1024


def read_source_bytes(path: str) -> bytes:
    """A source file's bytes; OSError when unreadable, not a regular file or too large."""
    return read_regular_file(path, MAX_READ_BYTES)


@dataclass(frozen=True)
class FileJob:
    """What a worker needs to analyse one file."""

    path: str            # the path to read (ignored when ``source`` is given)
    display_path: str    # the path diagnostics name
    module: str
    is_package: bool
    source: Optional[bytes] = None  # contents given in advance (stdin, a fixed text)
    is_stdin: bool = False


def module_name_for(path: Path, packages: Optional[Dict[str, Tuple[str, ...]]] = None) -> Tuple[str, bool]:
    """The dotted module name of a file, walking up through packages (``__init__.py``).

    ``packages`` memoises, per folder, the package names it stands in: pass the same
    dict for the files of one run, so that each folder is looked at once.
    """
    folder, name = os.path.split(os.path.abspath(path))
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
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (unless it is off already) for a block.

    Parsing a file, or loading the facts of thousands, allocates hundreds of thousands
    of objects, and each batch of allocations sets off a collection that walks every
    live object and finds nothing: LibCST's trees and the facts hold no cycles (scopes
    point only outwards). That costs a fifth of a parse and four fifths of loading the
    cache. Whatever cycles the block leaves are collected after it.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def error_diagnostic(display_path: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    """An ACT000 diagnostic: the file could not be read, parsed or analysed."""
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


def cpython_parse(source: str, filename: str = "<actorlint>") -> ast.Module:
    """CPython's parser on ``source``, quietly: what it warns about (an invalid escape
    sequence is a SyntaxWarning, shown by default, from Python 3.12) is the checked code's
    business, not something to print during a run. Raises as ``compile`` does."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compile(source, filename, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)


def _describe_syntax_error(source: str, error: "Exception") -> Tuple[str, int, int]:
    """A parse error's message and 1-based position.

    LibCST's ``raw_line`` can point one line past the error when code follows it, so the
    interpreter's own parser (run only on files that failed) describes the error when it
    agrees that the file is broken; LibCST's account stands for syntax newer than the
    running interpreter.
    """
    try:
        cpython_parse(source)
    except SyntaxError as syntax_error:
        if syntax_error.lineno:
            return syntax_error.msg, syntax_error.lineno, max(syntax_error.offset or 1, 1)
    except (ValueError, RecursionError, MemoryError):
        pass
    message = getattr(error, "message", str(error))
    return message, max(getattr(error, "raw_line", 1), 1), getattr(error, "raw_column", 0) + 1


def _line_and_column(text: str, offset: int) -> Tuple[int, int]:
    """1-based line and column of character ``offset`` of ``text`` (any line ending)."""
    head = text[:offset]
    line = head.count("\n") + head.count("\r") - head.count("\r\n") + 1
    return line, offset - max(head.rfind("\n"), head.rfind("\r"))


# A coding cookie, as PEP 263 and tokenize.detect_encoding read it (first two lines).
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def _describe_decode_error(data: bytes, error: Exception) -> Tuple[str, int, int]:
    """What went wrong decoding ``data``, and where: the bad byte, or the coding cookie."""
    if isinstance(error, SyntaxError) and "encoding declaration" in str(error):
        # tokenize found bytes that are not UTF-8 in the first two lines, with no cookie.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as utf8_error:
            error = utf8_error
    if isinstance(error, UnicodeDecodeError):
        bad = error.object[error.start:error.start + 1].hex()
        name = "utf-8" if error.encoding in ("utf-8-sig", "utf_8_sig") else error.encoding
        try:
            head = bytes(error.object[:error.start]).decode(error.encoding, errors="replace")
        except (LookupError, ValueError, TypeError):
            head = ""
        line, column = _line_and_column(head, len(head))
        return f"Cannot decode file as {name}: byte 0x{bad} ({error.reason})", line, column
    line, name = 1, None
    head = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    for number, raw in enumerate(head.splitlines()[:2], start=1):
        match = _COOKIE.match(raw)
        if match:
            line, name = number, match.group(1).decode("ascii", "replace")
            break
    reason = str(error).split(";")[0]
    if name is not None and reason.startswith("encoding problem"):
        reason = f"it starts with a UTF-8 byte-order mark but its coding cookie says {name}"
    elif name is not None and reason.startswith("unknown encoding"):
        reason = f"unknown encoding {name!r} in its coding cookie"
    return f"Cannot decode file: {reason}", line, 1


# --- nesting ------------------------------------------------------------------------------
#
# LibCST's native parser recurses once per level of nesting: on an 8 MB stack it kills the
# interpreter (a stack overflow, not a RecursionError) some 1,300 brackets or 8,000
# operators deep, and it slows down quadratically well before (a chain of 5,000 calls or
# subscripts takes 20 to 90 seconds). CPython's parser refuses such code cleanly (200
# nested brackets, 100 indentation levels, a few thousand levels of expression), so a file
# that may nest that deep is shown to CPython's parser before LibCST sees it.
#
# Which files may is decided by a scan of brackets, separators, strings and comments
# (about 2% of LibCST's parse time). Deep nesting needs either deep brackets or a long run
# of code between two separators (commas, semicolons, newlines outside brackets) at one
# bracket depth, not counting what nested brackets, strings and comments hold: operator
# chains (`a + b + ...`, `not not ...`, `f()()...`, `x.y.z...`) are such runs, while data
# tables, however long, are short runs between commas. The scan errs towards a needless
# check, which costs one compile of the file.

#: Expression levels beyond which LibCST is not asked (its visitor gives up far earlier).
MAX_NESTING = 1000
_SUSPECT_BRACKETS = 100     # bracket nesting worth a check (CPython refuses beyond 200)
_SUSPECT_RUN = 5000         # characters of code between separators worth a check
_SUSPECT_ELIFS = 1000       # each elif nests one level deeper in the tree
_SUSPECT_INDENT = re.compile(r"^[ \t\f]{100}", re.MULTILINE)
_SCAN = re.compile(  # comments and strings first: one token each, whatever they hold
    r"\#[^\r\n]*"
    r'|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    r"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    r'|"[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*"'
    r"|'[^'\\\r\n]*(?:\\.[^'\\\r\n]*)*'"
    r"|[(\[{]|[)\]}]|[\n,;]",
    re.DOTALL,
)
_SKIP_SEPARATORS = re.compile(r"[\s,;]*")  # from where a run begins to its first token
_CPYTHON_NESTING = ("too many nested", "too many levels of indentation", "too complex",
                    "stack overflow", "nested too deeply")


def _is_format_string(source: str, quote: int) -> bool:
    """Whether the string whose quote is at offset ``quote`` is an f-string or t-string."""
    prefix = source[max(quote - 2, 0):quote].lower()
    if not prefix[-1:].isalpha():
        return False
    if not prefix[:1].isalpha():
        prefix = prefix[-1:]
    return "f" in prefix or "t" in prefix


def _scan_nesting(source: str) -> Optional[int]:
    """The offset of a place that may nest too deeply for LibCST, or None when none can.

    An unterminated string, or one in a syntax this scan does not know, is read as code:
    that can only make runs and bracket nesting look larger. The fields of an f-string
    are code too, so a long or heavily braced f-string counts as suspect.
    """
    run_start = [0]   # per bracket depth: where the current run began
    skipped = [0]     # per bracket depth: characters of that run inside brackets, strings, comments
    opened = [0]      # per bracket depth: where its bracket opened
    depth = 0
    for match in _SCAN.finditer(source):
        position = match.start()
        char = source[position]
        if char == "\n":  # ends a logical line outside brackets, unless escaped
            if depth or source[position - 1:position] == "\\" or source[position - 2:position] == "\\\r":
                continue
            if position - run_start[0] - skipped[0] > _SUSPECT_RUN:
                return run_start[0]
            run_start[0], skipped[0] = position, 0
        elif char in "([{":
            if position - run_start[depth] - skipped[depth] > _SUSPECT_RUN:
                return run_start[depth]
            depth += 1
            if depth == len(run_start):
                if depth > _SUSPECT_BRACKETS:
                    return position
                run_start.append(position)
                skipped.append(0)
                opened.append(position)
            else:
                run_start[depth] = opened[depth] = position
                skipped[depth] = 0
        elif char in ")]}":
            if depth:  # a stray closing bracket (in a string the scan misread) is ignored
                if position - run_start[depth] - skipped[depth] > _SUSPECT_RUN:
                    return run_start[depth]
                depth -= 1
                skipped[depth] += position - opened[depth + 1] - 1
        elif char in ",;":
            if position - run_start[depth] - skipped[depth] > _SUSPECT_RUN:
                return run_start[depth]
            run_start[depth], skipped[depth] = position, 0
        else:  # a comment or a string: one token, however long
            end = match.end()
            if char != "#" and _is_format_string(source, position):
                if end - position > _SUSPECT_RUN or match.group().count("{") > _SUSPECT_BRACKETS:
                    return position
            skipped[depth] += end - position - 1
    if len(source) - run_start[depth] - skipped[depth] > _SUSPECT_RUN:
        return run_start[depth]
    indent = _SUSPECT_INDENT.search(source)
    if indent is not None:
        return indent.start()
    if source.count("elif") > _SUSPECT_ELIFS:
        return source.find("elif")
    return None


def _deeper_than(tree: ast.AST, limit: int) -> Optional[ast.AST]:
    """The statement holding a node nested more than ``limit`` levels deep in LibCST's
    terms, or None.

    ``a and b and c`` is one node for CPython but a chain for LibCST, so a boolean
    operation counts as deep as it has operands.
    """
    stack = [(tree, 0, tree)]
    while stack:
        node, depth, statement = stack.pop()
        if isinstance(node, ast.stmt):
            statement = node
        if depth > limit:
            return statement  # the innermost statement, where the nesting is
        step = len(node.values) - 1 if isinstance(node, ast.BoolOp) else 1
        stack.extend((child, depth + step, statement) for child in ast.iter_child_nodes(node))
    return None


def _nesting_problem(source: str) -> Optional[Tuple[str, int, int]]:
    """A message and position when ``source`` nests too deeply to hand to LibCST."""
    suspect = _scan_nesting(source)
    if suspect is None:
        return None
    message = "Cannot parse file: it is nested too deeply"
    where = _line_and_column(source, _SKIP_SEPARATORS.match(source, suspect).end())
    try:
        tree = cpython_parse(source)
    except (RecursionError, MemoryError):
        return (message, *where)
    except SyntaxError as error:
        if any(words in str(error.msg) for words in _CPYTHON_NESTING):
            return f"{message} ({error.msg})", error.lineno or 1, max(error.offset or 1, 1)
        # An ordinary syntax error past a deep chain (a file cut short) would still crash
        # LibCST on the way to it, so CPython's account stands; the price is an ACT000 for
        # a file this deep in syntax only newer Pythons accept.
        return f"SyntaxError: {error.msg}", error.lineno or 1, max(error.offset or 1, 1)
    except ValueError:
        return None
    deep = _deeper_than(tree, MAX_NESTING)
    if deep is None:
        return None
    line = getattr(deep, "lineno", where[0])
    column = getattr(deep, "col_offset", where[1] - 1) + 1
    return f"{message} (more than {MAX_NESTING} levels)", line, column


def _read(job: FileJob) -> Tuple[FileFacts, Optional[str]]:
    """Empty facts for the file and its text; the text is None when the facts already say
    why there is nothing to parse (unreadable, undecodable, NUL bytes, skip-file)."""
    empty = FileFacts(path=job.display_path, module=job.module)
    try:
        data = job.source if job.source is not None else read_source_bytes(job.path)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        empty.errors = (error_diagnostic(job.display_path, f"Cannot read file: {reason}"),)
        return empty, None
    try:
        source = decode_source(data)
    except (SyntaxError, LookupError, ValueError) as error:  # ValueError: UnicodeError too
        empty.errors = (error_diagnostic(job.display_path, *_describe_decode_error(data, error)),)
        return empty, None
    if suppressions.skip_file(source):
        empty.skipped = True
        return empty, None
    if "\0" in source:
        where = _line_and_column(source, source.index("\0"))
        empty.errors = (error_diagnostic(job.display_path, "Cannot parse file: it contains a NUL byte", *where),)
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
        cpython_parse(source, job.display_path)
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

    nesting = _nesting_problem(source)
    if nesting is not None:
        empty.errors = (error_diagnostic(job.display_path, *nesting),)
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
        message, line, column = _describe_syntax_error(source, error)
        empty.errors = (error_diagnostic(job.display_path, f"SyntaxError: {message}", line, column),)
        return empty
    except RecursionError:
        empty.errors = (error_diagnostic(job.display_path, "Cannot parse file: it is nested too deeply"),)
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
            empty.errors = (error_diagnostic(job.display_path, "Cannot analyse file: it is nested too deeply"),)
            return empty
    if facts.sites or facts.classes or facts.tasks or facts.payloads:
        facts.suppressions = suppressions.Suppressions.from_source(source)
    return facts
