"""Per-file facts cached by content hash, under ``.actorlint_cache/`` in the project root.

The key covers the file's bytes, its path and module name (facts name both), actorlint's
own code (its version, and the size and time of each of its source files, so that an
edited checkout never reads stale facts) and the settings that change facts. Entries
are written to a temporary file and renamed into place, so concurrent runs never see
half an entry; an entry that cannot be read back is ignored and rebuilt.

A whole run's result is kept too, under ``runs/``: one entry per way of invoking
actorlint (settings, folder, files), holding the key of the run that wrote it. A run
whose key matches (every file's key, the rules installed, the settings) reports that
result without loading any facts.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional

from actorlint import __version__
from actorlint.analyse import FileJob
from actorlint.config import Settings
from actorlint.model.facts import FileFacts

__all__ = ["CACHE_DIR_NAME", "Cache", "code_identity", "file_stamp"]

CACHE_DIR_NAME = ".actorlint_cache"
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by actorlint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


class Cache:
    """A folder of pickled ``FileFacts``, one file per key."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt

    @classmethod
    def open(cls, settings: Settings) -> Optional["Cache"]:
        """The cache of the project ``settings`` belong to; None when it cannot be created."""
        top = settings.root / CACHE_DIR_NAME
        folder = top / __version__
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not (top / "CACHEDIR.TAG").exists():
                _write_atomic(top / "CACHEDIR.TAG", _TAG.encode())
            if not (top / ".gitignore").exists():
                _write_atomic(top / ".gitignore", b"# Created by actorlint.\n*\n")
        except OSError:
            return None
        # Everything that changes what a file's facts are: the code that collects them,
        # blocking calls and frameworks.
        salt = f"{code_identity()}\0{','.join(settings.extend_blocking_calls)}\0{settings.frameworks!r}"
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
        """The cached facts for ``key``, or None when absent or damaged."""
        value = _load(self.folder / key[:2] / key)
        return value if isinstance(value, FileFacts) else None

    def put(self, key: str, facts: FileFacts) -> None:
        """Store facts under ``key``; failures only cost the next run some time."""
        _store(self.folder / key[:2] / key, facts)

    def get_run(self, slot: str, key: str) -> Optional[object]:
        """The result stored in ``slot`` when the run that stored it had ``key``."""
        stored = _load(self.folder / "runs" / slot)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
            return stored[1]
        return None

    def put_run(self, slot: str, key: str, result: object) -> None:
        """Store a run's result in ``slot`` (replacing the last one) under its key."""
        _store(self.folder / "runs" / slot, (key, result))


def _load(path: Path) -> object:
    """What ``path`` holds, or None when it is absent, truncated or written by another version."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:
        return None


def _store(path: Path, value: object) -> None:
    """Pickle ``value`` to ``path`` atomically; a failure only costs the next run some time."""
    try:
        path.parent.mkdir(exist_ok=True)
        _write_atomic(path, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass


def file_stamp(path: "os.PathLike[str] | str") -> str:
    """A file's size and modification time, which change when it is edited ("-" when unreadable)."""
    try:
        stat = os.stat(path)
    except OSError:
        return "-"
    return f"{stat.st_size}:{stat.st_mtime_ns}"


@lru_cache(maxsize=None)
def code_identity() -> str:
    """actorlint's version and the size and modification time of each of its source files."""
    package = Path(__file__).resolve().parent
    parts = [__version__]
    for path in sorted(package.rglob("*.py")):
        parts.append(f"{path.relative_to(package).as_posix()}:{file_stamp(path)}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _write_atomic(target: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
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
