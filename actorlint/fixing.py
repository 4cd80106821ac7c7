"""Primitives of the autofix engine: read a file faithfully, apply fixes, write it back.

The fix loop itself lives in the engine; this module only supplies the pieces it needs:

* :func:`read_source` / :func:`source_from_bytes` decode a file exactly as the analyser
  does (``tokenize.detect_encoding``, byte-order mark removed) and remember what it takes
  to write it back byte for byte: encoding, BOM, dominant line ending and permissions.
* :func:`encode_source` is the inverse: unmodified text re-encodes to the original bytes.
* :func:`apply_fixes` applies whole fixes, skipping those that conflict.
* :func:`parses` checks that a fixed text still parses.
* :func:`write_atomic` replaces a file without ever leaving it truncated, and
  :func:`write_if_unchanged` does so only while it still holds the analysed bytes.
* :func:`unified_diff` renders a change the way ``ruff --diff`` does.

Edits carry character offsets into the decoded text (BOM removed, line endings as they
are in the file: decoding never translates newlines).
"""

from __future__ import annotations

import difflib
import glob
import errno
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from actorlint.source import decode
from actorlint.diagnostics import Edit, Fix
from actorlint.safe_read import read_regular_file

__all__ = [
    "SourceFile",
    "apply_fixes",
    "detect_newline",
    "encode_source",
    "parses",
    "read_source",
    "source_from_bytes",
    "unified_diff",
    "write_atomic",
    "write_if_unchanged",
]

_DEFAULT_MODE = 0o644
_LINE_ENDING = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class SourceFile:
    """A decoded source file and what it takes to write it back unchanged."""

    text: str          # decoded, BOM removed
    encoding: str      # as detected by tokenize.detect_encoding ("utf-8", "iso-8859-1", ...)
    bom: bool          # the file started with a UTF-8 byte-order mark
    newline: str       # dominant line ending: "\n", "\r\n" or "\r" ("\n" when there is none)
    mode: int          # permission bits (stat.S_IMODE of st_mode), kept on write


# --- reading and encoding ---------------------------------------------------------------


def source_from_bytes(data: bytes, mode: int = _DEFAULT_MODE) -> SourceFile:
    """Decode source bytes exactly as the analyser does (``source.decode``).

    Raises ``SyntaxError`` for a bad or unknown coding cookie (or invalid UTF-8 in the
    first two lines, as ``detect_encoding`` does) and ``UnicodeDecodeError`` for bytes the
    encoding cannot decode.
    """
    text, encoding, bom = decode(data)
    return SourceFile(text=text, encoding=encoding, bom=bom,
                      newline=detect_newline(text), mode=stat.S_IMODE(mode))


def read_source(path: Path) -> SourceFile:
    """Read and decode a file; OSError, UnicodeDecodeError and SyntaxError propagate."""
    path = Path(path)
    data = path.read_bytes()
    mode = os.stat(path).st_mode  # follows a symlink: the permissions of what we rewrite
    return source_from_bytes(data, mode)


def encode_source(source: SourceFile, text: str) -> bytes:
    """Encode ``text`` the way ``source`` was stored: same encoding, same BOM.

    Raises ``UnicodeEncodeError`` when ``text`` holds a character the encoding lacks.
    """
    prefix = "\ufeff" if source.bom else ""
    return (prefix + text).encode(source.encoding)


def detect_newline(text: str) -> str:
    """The most frequent line ending in ``text``; a tie goes to the one seen first."""
    crlf = text.count("\r\n")
    counts: Dict[str, int] = {
        "\r\n": crlf,
        "\n": text.count("\n") - crlf,
        "\r": text.count("\r") - crlf,
    }
    best = max(counts.values())
    if best == 0:
        return "\n"
    for match in _LINE_ENDING.finditer(text):
        if counts[match.group()] == best:
            return match.group()
    return "\n"  # unreachable


# --- applying fixes ---------------------------------------------------------------------


def _fix_key(fix: Fix) -> tuple:
    first = min(fix.edits, key=lambda edit: (edit.start, edit.end))
    return (
        first.start,
        first.end,
        tuple(sorted((edit.start, edit.end, edit.content) for edit in fix.edits)),
        fix.title,
        str(getattr(fix.applicability, "value", fix.applicability)),
    )


def _conflicts(a: Edit, b: Edit) -> bool:
    """Whether two (non-identical) edits touch the same text.

    Ranges are half-open. Two insertions never conflict, even at the same offset; an
    insertion conflicts with a replacement only strictly inside it, so an insertion at
    either end of a replacement is merely adjacent.
    """
    a_insert, b_insert = a.start == a.end, b.start == b.end
    if a_insert and b_insert:
        return False
    if a_insert:
        return b.start < a.start < b.end
    if b_insert:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def _convert_newlines(content: str, newline: str) -> str:
    if newline == "\n" or "\n" not in content or "\r\n" in content:
        return content
    return content.replace("\n", newline)


def apply_fixes(text: str, fixes: Sequence[Fix], newline: str = "\n") -> Tuple[str, List[Fix]]:
    """Apply as many whole fixes as do not conflict; return the new text and those applied.

    * Fixes are considered in order of their first edit (lowest ``(start, end)``), ties
      broken by their edits, title and applicability, so the result does not depend on
      the order of ``fixes``. The returned list is in that order.
    * A fix is applied whole or not at all. It is skipped when one of its edits conflicts
      (see ``_conflicts``) with an edit of a fix already accepted, except that an edit
      identical (start, end, content) to an accepted one is shared: it is applied once
      and both fixes count as applied.
    * Several insertions at one offset are all applied, in the order their fixes were
      accepted; insertions at the offset where a replacement starts go before the
      replacement's text, and at the offset where it ends after it.
    * ``"\\n"`` in an edit's content becomes ``newline`` unless the content already holds
      ``"\\r\\n"``; the comparison for sharing uses the converted content.
    * A fix with no edits changes nothing and is not reported as applied.

    Raises ``ValueError`` when an edit's range is out of bounds (``0 <= start <= end <=
    len(text)`` does not hold) or when one fix's own edits conflict with each other.
    """
    length = len(text)
    for fix in fixes:
        for edit in fix.edits:
            if not (0 <= edit.start <= edit.end <= length):
                raise ValueError(
                    f"edit [{edit.start}, {edit.end}) of fix {fix.title!r} is out of bounds "
                    f"for a text of {length} characters"
                )
    candidates = sorted((fix for fix in fixes if fix.edits), key=_fix_key)

    accepted: List[Edit] = []           # in acceptance order
    accepted_set = set()
    applied: List[Fix] = []
    for fix in candidates:
        own: List[Edit] = []
        for edit in fix.edits:
            converted = Edit(edit.start, edit.end, _convert_newlines(edit.content, newline))
            if converted not in own:
                own.append(converted)
        for i, edit in enumerate(own):
            for other in own[i + 1:]:
                if _conflicts(edit, other):
                    raise ValueError(f"fix {fix.title!r} has overlapping edits")
        new = [edit for edit in own if edit not in accepted_set]
        if any(_conflicts(edit, old) for edit in new for old in accepted):
            continue
        accepted.extend(new)
        accepted_set.update(new)
        applied.append(fix)

    order = {id(edit): index for index, edit in enumerate(accepted)}
    pieces: List[str] = []
    position = 0
    for edit in sorted(accepted, key=lambda e: (e.start, e.end, order[id(e)])):
        pieces.append(text[position:edit.start])
        pieces.append(edit.content)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces), applied


def parses(text: str) -> bool:
    """Whether LibCST parses ``text`` (False on a syntax error or too-deep nesting)."""
    import libcst as cst  # deferred: only a run that fixes something needs it

    try:
        cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError):
        return False
    return True


# --- writing ----------------------------------------------------------------------------


class FileChanged(Exception):
    """The file no longer holds the bytes the fixes were computed from."""


def write_if_unchanged(path: Path, analysed: bytes, data: bytes) -> None:
    """Replace the file at ``path`` with ``data`` if it still holds exactly ``analysed``.

    Raises ``FileChanged`` when it was edited or deleted since it was read (a deleted file
    is never re-created), and ``OSError`` when it cannot be written. The file keeps its
    permissions. The comparison and the rename are separate steps, so an edit landing
    between the two (microseconds) can still be overwritten; any earlier one is kept.
    """
    try:
        mode = os.stat(path).st_mode
        # The shared reader: a file swapped for a fifo in the meantime must not hang us.
        current = read_regular_file(path, max(len(analysed), 1))
    except FileNotFoundError:
        raise FileChanged("it was deleted during the run") from None
    except OSError as error:
        if error.errno != errno.EFBIG:
            raise
        current = None  # it grew: changed
    if current != analysed:
        raise FileChanged("it changed on disk during the run")
    write_atomic(path, data, mode)


def write_atomic(path: Path, data: bytes, mode: int) -> None:
    """Replace the file at ``path`` with ``data`` atomically, with permissions ``mode``.

    The data goes to a temporary file in the same folder, is flushed and fsynced, gets
    ``mode`` and is then renamed over the target, so a reader (or a crash) sees either the
    old file or the new one, never a truncated one. A symlink is written through: its
    resolved target is replaced and the link itself is kept. On any failure the temporary
    file is removed and the exception re-raised. (A hard link to the file keeps the old
    contents, and ownership is that of the writing user, as with any atomic rewrite.)
    """
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    folder = target.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".actorlint-tmp",
                                     dir=str(folder))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, stat.S_IMODE(mode))
        os.replace(temp_name, target)
    except BaseException:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise
    _fsync_folder(folder)
    _remove_stale_temporaries(target)


# A temporary file older than this was left by a killed run: a live run renames its own
# within milliseconds.
_STALE_TEMPORARY_SECONDS = 600


def _remove_stale_temporaries(target: Path) -> None:
    """Remove what killed runs left of their writes of ``target`` (best effort): only
    files named as ``write_atomic`` names them, and only old ones."""
    cutoff = time.time() - _STALE_TEMPORARY_SECONDS
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.actorlint-tmp"):
        try:
            if leftover.is_file() and not leftover.is_symlink() and leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            pass


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(str(folder), os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- diffs ------------------------------------------------------------------------------


def _split_lines(text: str) -> List[str]:
    """Split on Python's line endings only (not form feeds etc.), keeping them."""
    lines: List[str] = []
    start = 0
    for match in _LINE_ENDING.finditer(text):
        lines.append(text[start:match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff with ``--- a/path`` / ``+++ b/path`` headers and 3 lines of context.

    Empty when nothing changed. A last line without a line ending is followed by
    ``\\ No newline at end of file``, as in ``diff`` and ``git diff``.
    """
    if before == after:
        return ""
    out: List[str] = []
    for line in difflib.unified_diff(_split_lines(before), _split_lines(after),
                                     fromfile=f"a/{path}", tofile=f"b/{path}", lineterm="\n"):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)

