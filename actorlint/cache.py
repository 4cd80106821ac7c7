"""Per-file facts cached by content hash, and whole-run results, as plain JSON data.

The cache lives in ``.actorlint_cache/`` in the project root unless ``--cache-dir`` or
``ACTORLINT_CACHE_DIR`` moves it. Nothing in it can run code: entries are JSON read
against the declared types (actorlint/serial.py), never pickled. Each entry starts with
a header line holding its key, checked before any of the rest is read; an entry that is
not a regular file, is too large, has another key or does not have the expected shape
counts as absent and is rebuilt.

A fact entry's key covers the file's bytes, its path and module name (facts name both),
actorlint's own code (its version, and the size and time of each of its source files,
so that an edited checkout never reads stale facts), the shape of the stored types and
the settings that change facts. A run entry (under ``runs/``, one per way of invoking
actorlint: settings, folder, files) holds the key of the run that wrote it and the fact
keys it used; a run whose key matches reports its result without loading any facts.

Entries are written to a temporary file and renamed into place, so concurrent runs never
see half an entry. ``prune`` removes what no run entry reaches any more and the
temporaries of killed runs; ``clean`` removes the whole cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Set, Tuple, Type, TypeVar

from actorlint import __version__, serial
from actorlint.analyse import FileJob
from actorlint.config import Settings
from actorlint.model.facts import FileFacts
from actorlint.safe_read import read_regular_file

__all__ = ["CACHE_DIR_ENV", "CACHE_DIR_NAME", "SYNTAX_ONLY", "Cache", "cache_location", "clean",
           "code_identity", "file_stamp"]

CACHE_DIR_NAME = ".actorlint_cache"
CACHE_DIR_ENV = "ACTORLINT_CACHE_DIR"
_TAG_NAME = "CACHEDIR.TAG"
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by actorlint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_GITIGNORE = b"# Created by actorlint.\n*\n"
# The suffix of the key of a file's facts when the prefilter only checked its syntax.
SYNTAX_ONLY = "-syntax"
_FACTS_HEADER = b"actorlint-facts-1 "
_RUN_HEADER = b"actorlint-run-2 "
# Larger entries are not ours (the largest real one seen is well under a megabyte).
_MAX_ENTRY_BYTES = 256 * 1024 * 1024
_TEMPORARY_PREFIX = ".tmp-"
# Pruning: at most this often, keeping run entries this long and this many of them, and
# never removing what is younger than the grace period (a concurrent run may need it).
_PRUNE_EVERY_SECONDS = 3600
_RUN_ENTRY_MAX_AGE_SECONDS = 30 * 24 * 3600
_MAX_RUN_ENTRIES = 64
_GRACE_SECONDS = 3600
_PRUNE_STAMP = ".last-prune"
_VERSION_FOLDER = re.compile(r"^[0-9][0-9A-Za-z.+_-]*$")

T = TypeVar("T")


def cache_location(settings: Settings) -> Path:
    """Where the cache of ``settings``' project lives: ``settings.cache_dir`` (from
    ``--cache-dir``), else ``$ACTORLINT_CACHE_DIR``, else ``.actorlint_cache`` in the root."""
    if settings.cache_dir is not None:
        return Path(os.path.abspath(settings.cache_dir))
    from_environment = os.environ.get(CACHE_DIR_ENV)
    if from_environment:
        return Path(os.path.abspath(from_environment))
    return settings.root / CACHE_DIR_NAME


class Cache:
    """One version's folder of cache entries: facts by key, run results by slot."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt
        self.wrote = False

    @classmethod
    def open(cls, settings: Settings) -> Optional["Cache"]:
        """The cache of the project ``settings`` belong to; None when it cannot be created."""
        top = cache_location(settings)
        folder = top / __version__
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if folder.is_symlink() or not folder.is_dir():
                return None  # not a folder we made: write nothing through it
            if not (top / _TAG_NAME).exists():
                _write_atomic(top / _TAG_NAME, _TAG.encode())
            if not (top / ".gitignore").exists():
                _write_atomic(top / ".gitignore", _GITIGNORE)
        except OSError:
            return None
        # Everything that changes what a file's facts are: the code that collects them,
        # the stored types, blocking calls, frameworks and the analysis budget.
        salt = (f"{code_identity()}\0{_stored_shapes()}\0{','.join(settings.extend_blocking_calls)}"
                f"\0{settings.frameworks!r}\0{settings.max_file_tokens}")
        return cls(folder, salt)

    def key_for(self, job: FileJob, data: bytes) -> str:
        """The key of a file's contents ``data``."""
        digest = hashlib.sha256()
        for part in (self.salt, job.display_path, job.module, str(job.is_package)):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> Optional[FileFacts]:
        """The cached facts for ``key``, or None when absent or not valid facts."""
        return _decode(self.entry(key), FileFacts)

    def put(self, key: str, facts: FileFacts) -> None:
        """Store facts under ``key``; failures only cost the next run some time."""
        self._store(self._fact_path(key), _FACTS_HEADER + key.encode("ascii") + b"\n" + serial.dumps(facts))

    def entry(self, key: str) -> Optional[bytes]:
        """The stored form of the facts for ``key`` (as ``put`` wrote them), or None."""
        return _read_entry(self._fact_path(key), _FACTS_HEADER + key.encode("ascii") + b"\n")

    def get_run(self, slot: str, kind: Type[T]) -> Optional[Tuple[str, Tuple[str, ...], Tuple[str, ...], T]]:
        """The run stored in ``slot``: the key it was stored under, the fact keys it used,
        the files' stamps and its ``kind`` result; None when absent or not of that shape."""
        path = self.folder / "runs" / slot
        try:
            data = read_regular_file(path, _MAX_ENTRY_BYTES, follow_symlinks=False)
        except OSError:
            return None
        newline = data.find(b"\n")
        if not data.startswith(_RUN_HEADER) or newline < 0:
            return None
        key = data[len(_RUN_HEADER):newline]
        if not re.fullmatch(rb"[0-9a-f]{64}", key):
            return None
        stored = _decode(data[newline + 1:], Tuple[Tuple[str, ...], Tuple[str, ...], kind])  # type: ignore[valid-type]
        if stored is None or len(stored[0]) != len(stored[1]):
            return None
        try:
            os.utime(path)  # used: keep it when pruning
        except OSError:
            pass
        return key.decode("ascii"), stored[0], stored[1], stored[2]

    def put_run(self, slot: str, key: str, fact_keys: Sequence[str], stamps: Sequence[str], result: object) -> None:
        """Store a run's result in ``slot`` (replacing the last one) under its key, with
        the fact keys it used (which keeps them from being pruned) and the stamps of the
        files they were read from (in the same order; "" for none)."""
        body = serial.dumps((tuple(fact_keys), tuple(stamps), result))
        self._store(self.folder / "runs" / slot, _RUN_HEADER + key.encode("ascii") + b"\n" + body)

    def _fact_path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def _store(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(exist_ok=True)
            if path.parent.is_symlink():
                return  # planted: never write through it
            _write_atomic(path, data)
            self.wrote = True
        except OSError:
            pass

    def prune(self, force: bool = False) -> None:
        """Remove fact entries that no recent run entry uses, run entries beyond the newest
        ``_MAX_RUN_ENTRIES`` or older than 30 days, and temporaries of killed runs.

        Runs after a run that wrote something, at most once an hour (``force``: now).
        Nothing younger than an hour goes: a concurrent run may be about to use it.
        """
        stamp = self.folder / _PRUNE_STAMP
        now = time.time()
        try:
            if not force and now - os.stat(stamp).st_mtime < _PRUNE_EVERY_SECONDS:
                return
        except OSError:
            pass
        try:
            _write_atomic(stamp, b"")
        except OSError:
            return
        live = self._live_fact_keys(now)
        for entry, age in _entries(self.folder):
            name = entry.name
            if name.startswith(_TEMPORARY_PREFIX):
                if age > _GRACE_SECONDS:
                    _remove(entry)
            elif age > _GRACE_SECONDS and entry.parent != self.folder / "runs" and name not in live:
                _remove(entry)

    def _live_fact_keys(self, now: float) -> Set[str]:
        """Fact keys (and their syntax-only twins) used by the run entries kept."""
        runs: List[Tuple[float, Path]] = []
        for entry, age in _entries(self.folder / "runs"):
            if not entry.name.startswith(_TEMPORARY_PREFIX):
                runs.append((age, entry))
        runs.sort(key=lambda pair: pair[0])
        live: Set[str] = set()
        for position, (age, entry) in enumerate(runs):
            if position >= _MAX_RUN_ENTRIES or age > _RUN_ENTRY_MAX_AGE_SECONDS:
                _remove(entry)
                continue
            keys = _fact_keys_of_run(_read_entry(entry, _RUN_HEADER, exact=False))
            if keys is None:
                if age > _GRACE_SECONDS:
                    _remove(entry)  # damaged: nothing can use it
                continue
            for key in keys:
                live.add(key)
                live.add(key + SYNTAX_ONLY)
        return live


def clean(top: Path) -> List[Path]:
    """Remove the cache at ``top``: only what actorlint creates there (version folders, the
    tag, the ``.gitignore``), then ``top`` itself if that leaves it empty. Returns what was
    removed; a folder that is not a cache (no tag of ours) is left alone."""
    import shutil

    tag = top / _TAG_NAME
    try:
        if not tag.is_file() or not tag.read_text(encoding="utf-8", errors="replace").startswith(_TAG[:40]):
            return []
    except OSError:
        return []
    removed: List[Path] = []
    for child in sorted(top.iterdir()):
        if child.is_dir() and not child.is_symlink() and _VERSION_FOLDER.match(child.name):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
        elif child.name in (_TAG_NAME, ".gitignore") or child.name.startswith(_TEMPORARY_PREFIX):
            _remove(child)
            removed.append(child)
    try:
        top.rmdir()
    except OSError:
        pass
    return removed


def _fact_keys_of_run(payload: Optional[bytes]) -> Optional[List[str]]:
    """The fact keys a run entry lists (its result is not decoded), None when damaged."""
    if payload is None:
        return None
    try:
        stored = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if not (isinstance(stored, list) and len(stored) == 3 and isinstance(stored[0], list)):
        return None
    keys = stored[0]
    return keys if all(isinstance(key, str) for key in keys) else None


def _decode(payload: Optional[bytes], kind: object) -> Optional[T]:
    if payload is None:
        return None
    try:
        return serial.loads(payload, kind)  # type: ignore[arg-type]
    except serial.ShapeError:
        return None


def _read_entry(path: Path, header: bytes, exact: bool = True) -> Optional[bytes]:
    """The bytes after ``header`` in the regular file at ``path``, or None when it is
    absent, not a regular file (a fifo or device would hang or never end), a symlink, too
    large, or starts otherwise. ``exact=False``: any key after the header's prefix."""
    try:
        data = read_regular_file(path, _MAX_ENTRY_BYTES, follow_symlinks=False)
    except OSError:
        return None
    if exact:
        return data[len(header):] if data.startswith(header) else None
    if not data.startswith(header):
        return None
    newline = data.find(b"\n")
    return data[newline + 1:] if newline >= 0 else None


def _entries(folder: Path) -> Iterator[Tuple[Path, float]]:
    """Every file under ``folder`` (one level of subfolders deep) with its age in seconds."""
    now = time.time()
    try:
        children = list(os.scandir(folder))
    except OSError:
        return
    for child in children:
        try:
            if child.is_dir(follow_symlinks=False):
                for entry in os.scandir(child.path):
                    if entry.is_file(follow_symlinks=False) or entry.is_symlink():
                        yield Path(entry.path), now - entry.stat(follow_symlinks=False).st_mtime
            elif child.name != _PRUNE_STAMP:
                yield Path(child.path), now - child.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


@lru_cache(maxsize=None)
def _stored_shapes() -> str:
    """The shape of every stored type: a changed field makes every old entry unreachable."""
    from actorlint.incremental import RunRecord

    text = serial.shape_of(FileFacts) + serial.shape_of(RunRecord)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_stamp(path: "os.PathLike[str] | str") -> str:
    """A file's size and modification time, which change when it is edited ("-" when unreadable)."""
    try:
        info = os.stat(path)
    except OSError:
        return "-"
    return f"{info.st_size}:{info.st_mtime_ns}"


@lru_cache(maxsize=None)
def code_identity() -> str:
    """actorlint's version and the size and modification time of each of its source files."""
    package = Path(__file__).resolve().parent
    parts = [__version__]
    for path in sorted(package.rglob("*.py")):
        parts.append(f"{path.relative_to(package).as_posix()}:{file_stamp(path)}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _write_atomic(target: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=_TEMPORARY_PREFIX)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
