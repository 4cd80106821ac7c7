"""The bench corpus: pinned releases from PyPI, unpacked to their ``.py`` files.

    python bench/corpus.py [--cache DIR] [--sample N [--seed S]]

Each release is fetched with ``pip download --no-deps`` (a wheel when one exists for
CPython 3.11 on manylinux x86_64, else the sdist) into ``DIR/dist/`` and unpacked into
``DIR/src/NAME-VERSION/``, keeping only ``.py`` files. Nothing is ever installed (Ray's
wheel is only unzipped). ``DIR`` defaults to ``$ACTORLINT_BENCH_CACHE`` or
``~/.cache/actorlint-bench``: outside the repository, so the downloaded code is never
committed.

Running it again does nothing for a release whose folder is complete: a marker file in
each folder records how many files were unpacked, and a folder whose count disagrees is
unpacked again. It prints files and lines per release and the total.

``--sample N`` prints a deterministic sample of N corpus files instead (one path a
line), as CI's crash test draws it. Tests import the same functions::

    from bench.corpus import corpus_files, sample, default_cache
    files = sample(corpus_files(default_cache()), 200, seed=0)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator, List, Optional, Sequence, Tuple

__all__ = [
    "RELEASES",
    "CorpusMissing",
    "Release",
    "corpus_files",
    "default_cache",
    "ensure",
    "package_folders",
    "sample",
]

ENV_VAR = "ACTORLINT_BENCH_CACHE"
MARKER = ".actorlint-bench.json"  # in each package folder: {"files": n, "lines": m}

# The platform a binary-only wheel (Ray's) is fetched for; pure-Python wheels match too.
_WHEEL_TARGET = ("--platform", "manylinux2014_x86_64", "--python-version", "3.11",
                 "--implementation", "cp", "--abi", "cp311")


@dataclass(frozen=True)
class Release:
    name: str
    version: str
    wheel_only: bool = False  # never fall back to the sdist (Ray's sdist is not its source)

    @property
    def folder(self) -> str:
        return f"{self.name}-{self.version}"


RELEASES: Tuple[Release, ...] = (
    Release("django", "5.2.19"),
    Release("celery", "5.7.0"),
    Release("kombu", "5.7.0"),
    Release("dramatiq", "2.2.1"),
    Release("pykka", "4.5.0"),
    Release("mopidy", "3.4.2"),
    Release("thespian", "4.0.1"),
    Release("ray", "2.60.0", wheel_only=True),
    Release("sqlalchemy", "2.1.9"),
)


class CorpusMissing(FileNotFoundError):
    """The corpus has not been downloaded (or not completely) into the cache."""


def default_cache() -> Path:
    """``$ACTORLINT_BENCH_CACHE``, else ``~/.cache/actorlint-bench``."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "actorlint-bench"


def _source_root(cache: Path) -> Path:
    return Path(cache) / "src"


def package_folders(cache: Path) -> List[Path]:
    """The unpacked folder of every release, in ``RELEASES`` order.

    Raises CorpusMissing when one is absent or incomplete.
    """
    folders = []
    missing = []
    for release in RELEASES:
        folder = _source_root(cache) / release.folder
        if _marker(folder) is None:
            missing.append(release.folder)
        folders.append(folder)
    if missing:
        raise CorpusMissing(
            f"the bench corpus is missing or incomplete in {cache} ({', '.join(missing)}): "
            f"run `python bench/corpus.py --cache {cache}` first")
    return folders


def corpus_files(cache: Optional[Path] = None) -> List[Path]:
    """Every ``.py`` file of the corpus, sorted; raises CorpusMissing if not downloaded."""
    cache = default_cache() if cache is None else Path(cache)
    files: List[Path] = []
    for folder in package_folders(cache):
        files.extend(_python_files(folder))
    return sorted(files)


def sample(files: Sequence[Path], n: int, seed: int = 0) -> List[Path]:
    """``n`` files chosen from ``files`` by ``seed``: the same choice wherever the cache is.

    The choice depends on the files' order by path only, not on the order given; the
    result is sorted. All the files when ``n`` is at least their number.
    """
    ordered = sorted(files, key=lambda p: Path(p).as_posix())
    if n >= len(ordered):
        return list(ordered)
    chosen = random.Random(seed).sample(range(len(ordered)), n)
    return [ordered[i] for i in sorted(chosen)]


def count_lines(data: bytes) -> int:
    """Lines as an editor numbers them: a last line without a newline counts too."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def _python_files(folder: Path) -> Iterator[Path]:
    for directory, subdirs, names in os.walk(folder):
        subdirs.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                yield Path(directory) / name


def _marker(folder: Path) -> Optional[dict]:
    """The marker's record when the folder is complete (its file count still agrees)."""
    try:
        record = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        expected = int(record["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    actual = sum(1 for _ in _python_files(folder))
    return record if actual == expected else None


# --- downloading and unpacking ---------------------------------------------------------

def _pip_download(release: Release, dest: Path, *, wheel: bool) -> Optional[Path]:
    """Download the release's wheel (or sdist) into ``dest``; the archive, or None."""
    dest.mkdir(parents=True, exist_ok=True)
    before = set(dest.iterdir())
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
               "--quiet", "--dest", str(dest), f"{release.name}=={release.version}"]
    if wheel:
        command += ["--only-binary=:all:", *_WHEEL_TARGET]
    else:
        command += ["--no-binary=:all:"]
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               check=False)
    if completed.returncode != 0:
        if wheel and not release.wheel_only:
            print("  no wheel for this platform; trying the sdist", file=sys.stderr)
        else:
            print(f"  pip download ({'wheel' if wheel else 'sdist'}) failed:\n"
                  + "\n".join("    " + line for line in completed.stdout.strip().splitlines()[-5:]),
                  file=sys.stderr)
        return None
    found = _archive_in(dest, release, wheel=wheel)
    if found is None:  # pip found it already there: nothing new, look by name
        new = [p for p in set(dest.iterdir()) - before]
        found = new[0] if new else None
    return found


def _normalized(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _archive_in(dest: Path, release: Release, *, wheel: bool) -> Optional[Path]:
    """An already-downloaded archive of the release in ``dest``, if any."""
    if not dest.is_dir():
        return None
    prefix = _normalized(f"{release.name}-{release.version}-")
    for path in sorted(dest.iterdir()):
        stem = _normalized(path.name)
        is_wheel = path.name.endswith(".whl")
        is_sdist = path.name.endswith((".tar.gz", ".zip", ".tar.bz2"))
        if stem.startswith(prefix) and ((wheel and is_wheel) or (not wheel and is_sdist)):
            return path
    return None


def _safe_relative(name: str, strip_top: bool) -> Optional[PurePosixPath]:
    """An archive member's path, made relative and free of ``..``; None to skip it."""
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".", "/")]
    if strip_top:
        parts = parts[1:]
    if not parts or any(p == ".." for p in parts):
        return None
    return PurePosixPath(*parts)


def _unpack(archive: Path, target: Path) -> None:
    """Write the ``.py`` members of a wheel, zip or tarball under ``target``."""
    target.mkdir(parents=True)
    sdist = not archive.name.endswith(".whl")
    if archive.name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as bundle:
            for info in bundle.infolist():
                if info.is_dir() or not info.filename.endswith(".py"):
                    continue
                relative = _safe_relative(info.filename, strip_top=sdist)
                if relative is not None:
                    _write(target / relative, bundle.read(info))
    else:
        with tarfile.open(archive) as bundle:
            for member in bundle:
                if not member.isfile() or not member.name.endswith(".py"):
                    continue
                relative = _safe_relative(member.name, strip_top=True)
                handle = bundle.extractfile(member)
                if relative is not None and handle is not None:
                    _write(target / relative, handle.read())


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _tally(folder: Path) -> Tuple[int, int]:
    files = lines = 0
    for path in _python_files(folder):
        files += 1
        lines += count_lines(path.read_bytes())
    return files, lines


def ensure(cache: Path, *, quiet: bool = False) -> List[Tuple[Release, int, int, str]]:
    """Download and unpack every release not yet complete in ``cache``.

    Returns (release, files, lines, kind) per release, where kind is ``wheel``, ``sdist``
    or the kind recorded when it was unpacked by an earlier run.
    """
    cache = Path(cache)
    dist = cache / "dist"
    results = []
    for release in RELEASES:
        folder = _source_root(cache) / release.folder
        record = _marker(folder)
        if record is None:
            if not quiet:
                print(f"{release.folder}: downloading", file=sys.stderr)
            archive = _archive_in(dist, release, wheel=True) or _pip_download(release, dist, wheel=True)
            if archive is None and not release.wheel_only:
                archive = _archive_in(dist, release, wheel=False) or _pip_download(release, dist, wheel=False)
            if archive is None:
                raise SystemExit(f"error: could not download {release.name}=={release.version}")
            # Unpack beside the final folder, then rename: an interrupted run leaves no
            # folder that looks complete.
            _source_root(cache).mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{release.folder}-", dir=_source_root(cache)))
            try:
                inner = staging / "out"
                _unpack(archive, inner)
                files, lines = _tally(inner)
                record = {"files": files, "lines": lines, "archive": archive.name,
                          "kind": "wheel" if archive.name.endswith(".whl") else "sdist"}
                (inner / MARKER).write_text(json.dumps(record) + "\n", encoding="utf-8")
                if folder.exists():
                    shutil.rmtree(folder)
                inner.rename(folder)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        results.append((release, int(record["files"]), int(record["lines"]), str(record.get("kind", "?"))))
    return results


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=None,
                        help=f"where to download and unpack (default: ${ENV_VAR} or ~/.cache/actorlint-bench)")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="print N deterministically chosen corpus files and exit (downloads nothing)")
    parser.add_argument("--seed", type=int, default=0, help="the seed of --sample (default 0)")
    args = parser.parse_args(argv)
    cache = args.cache if args.cache is not None else default_cache()

    if args.sample is not None:
        try:
            files = corpus_files(cache)
        except CorpusMissing as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        for path in sample(files, args.sample, args.seed):
            print(path)
        return 0

    results = ensure(cache)
    width = max(len(r.folder) for r, *_ in results)
    print(f"corpus in {_source_root(cache)}")
    print(f"{'release':<{width}}  {'kind':<5}  {'files':>6}  {'lines':>9}")
    for release, files, lines, kind in results:
        print(f"{release.folder:<{width}}  {kind:<5}  {files:>6}  {lines:>9,}")
    total_files = sum(r[1] for r in results)
    total_lines = sum(r[2] for r in results)
    print(f"{'total':<{width}}  {'':<5}  {total_files:>6}  {total_lines:>9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
