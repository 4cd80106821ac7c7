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

__all__ = ["CACHE_DIR_NAME", "Cache"]

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
        try:
            with open(self.folder / key[:2] / key, "rb") as handle:
                value = pickle.load(handle)
        except Exception:  # absent, truncated, or written by another version: rebuild
            return None
        return value if isinstance(value, FileFacts) else None

    def put(self, key: str, facts: FileFacts) -> None:
        """Store facts under ``key``; failures only cost the next run some time."""
        try:
            (self.folder / key[:2]).mkdir(exist_ok=True)
            _write_atomic(self.folder / key[:2] / key, pickle.dumps(facts, pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass


    def get_run(self, slot: str, key: str) -> Optional[object]:
        """The result stored in ``slot`` when the run that stored it had ``key``."""
        try:
            with open(self.folder / "runs" / slot, "rb") as handle:
                stored_key, result = pickle.load(handle)
        except Exception:  # absent or damaged: run in full
            return None
        return result if stored_key == key else None

    def put_run(self, slot: str, key: str, result: object) -> None:
        """Store a run's result in ``slot`` (replacing the last one) under its key."""
        try:
            (self.folder / "runs").mkdir(exist_ok=True)
            _write_atomic(self.folder / "runs" / slot, pickle.dumps((key, result), pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass


@lru_cache(maxsize=None)
def code_identity() -> str:
    """actorlint's version and the size and modification time of each of its source files."""
    package = Path(__file__).resolve().parent
    parts = [__version__]
    for path in sorted(package.rglob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(package).as_posix()}:{stat.st_size}:{stat.st_mtime_ns}")
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
