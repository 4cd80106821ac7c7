"""Source files as text: reading them safely, decoding them as the interpreter does,
CPython's own parser, and line arithmetic. A leaf module: the analysis, the pre-parse
guard, the fixer and the positions code use it, and it uses nothing of actorlint's but
the safe reader."""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from typing import Tuple

from actorlint.safe_read import read_regular_file

__all__ = ["MAX_READ_BYTES", "cpython_parse", "decode", "decode_source", "describe_decode_error",
           "describe_syntax_error", "line_and_column", "read_source_bytes"]

# No source file is read past this size (a stray data dump, /dev/zero given as a path).
MAX_READ_BYTES = 64 * 1024 * 1024


def line_and_column(text: str, offset: int) -> Tuple[int, int]:
    """1-based line and column of character ``offset`` of ``text`` (any line ending)."""
    head = text[:offset]
    line = head.count("\n") + head.count("\r") - head.count("\r\n") + 1
    return line, offset - max(head.rfind("\n"), head.rfind("\r"))


def read_source_bytes(path: str) -> bytes:
    """A source file's bytes; OSError when unreadable, not a regular file or too large."""
    return read_regular_file(path, MAX_READ_BYTES)


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


def describe_syntax_error(source: str, error: "Exception") -> Tuple[str, int, int]:
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


# A coding cookie, as PEP 263 and tokenize.detect_encoding read it (first two lines).
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def describe_decode_error(data: bytes, error: Exception) -> Tuple[str, int, int]:
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
        line, column = line_and_column(head, len(head))
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
