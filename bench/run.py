"""actorlint against LibCST's bare parse, Ruff and Fixit on the bench corpus, in one run.

    python bench/corpus.py                       # once: download and unpack the corpus
    python bench/run.py [--repeat 3] [--json out.json] [--write-docs]

Measured, each in its own subprocess, alternating round-robin (the order rotates between
repetitions), medians over ``--repeat`` repetitions:

- actorlint cold (``--no-cache``), warm (cache primed, nothing changed) and after one
  file was touched (a unique comment line appended, removed again afterwards);
- LibCST ``parse_module`` alone over the files actorlint parses, in one process and in
  as many processes as actorlint has workers;
- ``ruff check --select ASYNC,S113`` and ``ruff check --select ALL`` (``--no-cache``);
- Fixit's default rules on a subset (celery, dramatiq, pykka, thespian by default), and
  actorlint cold on the same subset, for a per-line comparison.

Every run works on a copy of the ``.py`` files in a temporary folder, with an empty
``actorlint.toml`` there, so that actorlint's cache lands in that folder and neither the
corpus nor the repository is ever written to. actorlint is run from this checkout
(``PYTHONPATH``), whatever is installed.

Wall time is the parent's clock around the child; CPU time is user + system of the
child and every descendant it waited for (``os.wait4``); "peak RSS, largest process" is
the ``ru_maxrss`` ``wait4`` reports, which for a process tree is the largest single
process, not a sum. The /proc sampler (every 0.1 s) splits that into the main
process's peak, the largest worker's peak and the largest sum over the tree; it can
miss a short spike. Forked workers share pages with their parent, so RSS sums overcount.

Fixit is looked for with ``--fixit``, then beside this Python, then on ``PATH``, then in
``<cache>/fixit-venv`` (its own venv keeps Fixit's ``click<8.2`` pin out of actorlint's).

Which files actorlint parses (its prefilter leaves most files unparsed): the first run,
which primes the cache, goes through a wrapper that records every file handed to
``actorlint.analyse.analyse`` (the one function that parses a file in full, in the main
process or a forked worker); the parse-only runs parse exactly those. If nothing was
recorded (the wrapper no longer fits the engine), they parse every discovered file, and
the output says so.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tokenize
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import CorpusMissing, count_lines, default_cache, package_folders

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
DOCS_PAGE = REPO / "docs" / "performance.md"
NOTES_MARKER = "<!-- notes: everything below this line is kept by bench/run.py --write-docs -->"
DEFAULT_FIXIT_SUBSET = ("celery", "dramatiq", "pykka", "thespian")
RECORD_FLAG = "--record-parsed"


# --- measuring one child ---------------------------------------------------------------

@dataclass
class Sample:
    """One run of one command."""

    wall: float
    cpu: float
    maxrss_mb: float              # wait4: the largest single process of the tree
    main_peak_mb: float           # /proc sampling
    worker_peak_mb: float
    total_peak_mb: float
    processes: int                # distinct processes seen by the sampler
    exit_code: Optional[int]
    timed_out: bool = False


class _TreeSampler(threading.Thread):
    """Polls /proc for the RSS of a process and its descendants."""

    def __init__(self, root: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.stop = threading.Event()
        self.peaks: Dict[int, int] = {}
        self.parents: Dict[int, int] = {}  # every process of the tree seen, with its parent
        self.total_peak = 0

    def _snapshot(self) -> Dict[int, int]:
        parents: Dict[int, int] = {}
        rss: Dict[int, int] = {}
        try:
            names = os.listdir("/proc")
        except OSError:
            return {}
        for name in names:
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat", "rb") as handle:
                    text = handle.read()
            except OSError:
                continue
            # pid (comm) state ppid ... ; comm may hold spaces and parentheses.
            fields = text[text.rfind(b")") + 2:].split()
            if len(fields) < 22:
                continue
            pid = int(name)
            parents[pid] = int(fields[1])
            rss[pid] = int(fields[21]) * PAGE
        tree = {self.root} if self.root in rss else set()
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        for pid in tree:
            self.parents[pid] = parents[pid]
        return {pid: rss[pid] for pid in tree}

    def run(self) -> None:
        while not self.stop.is_set():
            found = self._snapshot()
            for pid, value in found.items():
                self.peaks[pid] = max(self.peaks.get(pid, 0), value)
            launcher = found.get(self.root, 0) if GNU_TIME else 0
            self.total_peak = max(self.total_peak, sum(found.values()) - launcher)
            self.stop.wait(self.interval)


def _gnu_time() -> Optional[str]:
    """GNU time, the launcher that makes ``ru_maxrss`` the tool's own (see ``measure``)."""
    path = shutil.which("time") or "/usr/bin/time"
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if "GNU" in out.stdout + out.stderr else None


GNU_TIME = _gnu_time()


def measure(argv: Sequence[str], *, cwd: Path, env: Dict[str, str], stdout: Path,
            stderr: Path, timeout: float) -> Sample:
    """Run ``argv`` to completion (or ``timeout``) and measure it.

    On Linux a process's ``ru_maxrss`` starts from the peak of the memory image it
    replaced at ``exec``: a tool forked from this bench (tens of MB, having imported
    actorlint) would never report less than the bench's own peak. So the tool is started
    by GNU time, a small C program, whose child starts from GNU time's image; its ``%M``
    is the tool's peak (the largest process of its tree). Without GNU time, ``wait4``'s
    figure is used and may be inflated that way for small tools.
    """
    rss_file = stdout.with_suffix(".rss")
    command = list(argv)
    if GNU_TIME:
        command = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *command]
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL, start_new_session=True)
        sampler = _TreeSampler(child.pid)
        sampler.start()
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            try:
                os.killpg(child.pid, 9)
            except OSError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
            sampler.stop.set()
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
    sampler.join()
    maxrss_kib = usage.ru_maxrss  # Linux reports KiB
    tool = child.pid
    if GNU_TIME:
        try:
            maxrss_kib = int(rss_file.read_text().split()[-1])
        except (OSError, ValueError, IndexError):
            pass
        # The tool is GNU time's child; GNU time itself (about 2 MB) is left out.
        tool = min((pid for pid, parent in sampler.parents.items() if parent == child.pid),
                   default=child.pid)
        sampler.peaks.pop(child.pid, None)
    main_peak = sampler.peaks.get(tool, 0)
    others = [v for pid, v in sampler.peaks.items() if pid != tool]
    mb = 1024 * 1024
    return Sample(
        wall=wall, cpu=usage.ru_utime + usage.ru_stime,
        maxrss_mb=maxrss_kib * 1024 / mb,
        main_peak_mb=main_peak / mb, worker_peak_mb=max(others, default=0) / mb,
        total_peak_mb=sampler.total_peak / mb, processes=len(sampler.peaks),
        exit_code=child.returncode, timed_out=expired.is_set(),
    )


# --- the parse-only child --------------------------------------------------------------

def _decode(data: bytes) -> str:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    return text.removeprefix("\ufeff")


def _parse_one(path: str) -> Tuple[int, int]:
    import libcst

    try:
        libcst.parse_module(_decode(Path(path).read_bytes()))
        return 1, 0
    except Exception:  # noqa: BLE001 - syntax errors, undecodable files, recursion: counted
        return 0, 1


def parse_only(list_file: Path, processes: int) -> int:
    """The body of ``run.py --parse-only LIST --processes N``: parse every listed file."""
    import libcst  # noqa: F401  (imported before the clock matters, as actorlint does)

    paths = [line for line in list_file.read_text(encoding="utf-8").splitlines() if line]
    paths.sort(key=lambda p: -os.path.getsize(p))  # large first, as actorlint feeds workers
    if processes > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = list(pool.imap_unordered(_parse_one, paths, chunksize=4))
    else:
        results = [_parse_one(p) for p in paths]
    print(json.dumps({"files": len(paths), "parsed": sum(r[0] for r in results),
                      "failed": sum(r[1] for r in results)}))
    return 0


# --- setting up the work folder --------------------------------------------------------

def copy_tree(sources: Sequence[Path], target: Path) -> List[Path]:
    """Copy the ``.py``/``.pyi`` files of ``sources`` under ``target``; the copied roots."""
    roots = []
    for source in sources:
        source = source.resolve()
        root = target / source.name
        suffix = 1
        while root.exists():
            suffix += 1
            root = target / f"{source.name}-{suffix}"
        if source.is_file():
            root.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root)
        else:
            for directory, subdirs, names in os.walk(source):
                subdirs.sort()
                for name in names:
                    if name.endswith((".py", ".pyi")):
                        src = Path(directory) / name
                        dst = root / src.relative_to(source)
                        dst.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(src, dst)
        roots.append(root)
    return roots


def actorlint_discover(roots: Sequence[Path], config: Path, cwd: Path) -> List[Path]:
    """The files actorlint checks under ``roots`` (absolute paths)."""
    from actorlint.config import load_settings
    from actorlint.discovery import discover

    settings = load_settings(config, cwd)
    here = os.getcwd()
    os.chdir(cwd)
    try:
        return [Path(os.path.abspath(p)) for p in discover([str(r) for r in roots], settings)]
    finally:
        os.chdir(here)


def record_parsed(record: Path, actorlint_argv: List[str]) -> int:
    """The body of ``run.py --record-parsed FILE -- ARGS``: ``actorlint ARGS``, appending
    the path of every file parsed in full to FILE (one line each, from any process)."""
    import actorlint.analyse as analyse_module
    from actorlint import engine, workers

    original = analyse_module.analyse

    def recording(job, *args, **kwargs):  # type: ignore[no-untyped-def]
        line = (os.path.abspath(job.path) + "\n").encode("utf-8", "surrogateescape")
        descriptor = os.open(record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, line)  # one write with O_APPEND: lines never interleave
        finally:
            os.close(descriptor)
        return original(job, *args, **kwargs)

    analyse_module.analyse = recording
    for module in (engine, workers):
        for name, value in list(vars(module).items()):
            if value is original:
                setattr(module, name, recording)
    from actorlint.cli import main as actorlint_main

    try:
        actorlint_main(actorlint_argv)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def pick_touch_target(files: Sequence[Path], preferred: str = "celery") -> Path:
    """A mid-size file (median size), from the preferred package when it is there."""
    pool = [f for f in files if f"/{preferred}/" in f.as_posix()] or list(files)
    pool = sorted(pool, key=lambda f: (f.stat().st_size, f.as_posix()))
    return pool[len(pool) // 2]


def find_fixit(explicit: Optional[str], cache: Path) -> Optional[str]:
    candidates = [explicit] if explicit else []
    candidates += [str(Path(sys.executable).parent / "fixit"), shutil.which("fixit") or "",
                   str(cache / "fixit-venv" / "bin" / "fixit")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _version(argv: Sequence[str]) -> str:
    try:
        out = subprocess.run(list(argv), capture_output=True, text=True, timeout=60, check=False)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "unknown"


# --- the bench -------------------------------------------------------------------------

@dataclass
class Task:
    key: str
    label: str
    argv: List[str]
    lines: int = 0
    files: int = 0
    before: Optional[Callable[[int], None]] = None
    after: Optional[Callable[[], None]] = None
    samples: List[Sample] = field(default_factory=list)
    outputs: List[Tuple[Path, Path]] = field(default_factory=list)

    def median(self, attribute: str) -> Optional[float]:
        values = [getattr(s, attribute) for s in self.samples if not s.timed_out]
        return statistics.median(values) if values else None


def _lines(files: Sequence[Path]) -> int:
    return sum(count_lines(f.read_bytes()) for f in files)


def _actorlint_report(stdout: Path, stderr: Path) -> dict:
    """Diagnostics by code, ACT000 details and internal errors of one actorlint run."""
    try:
        diagnostics = json.loads(stdout.read_text(encoding="utf-8") or "[]")
    except ValueError:
        diagnostics = None
    errors = stderr.read_text(encoding="utf-8", errors="replace").splitlines()
    internal = [line for line in errors if "internal error" in line and line.startswith("error:")]
    report = {
        "json_ok": diagnostics is not None,
        "internal_errors": len(internal),
        "internal_error_heads": internal[:20],
        "stderr_tail": errors[-10:],
    }
    if diagnostics is not None:
        report["diagnostics"] = len(diagnostics)
        report["by_code"] = dict(sorted(Counter(d["code"] for d in diagnostics).items()))
        report["act000"] = [f"{d['path']}:{d['line']}: {d['message']}"
                            for d in diagnostics if d["code"] == "ACT000"]
        report["_keys"] = sorted((d["path"], d["line"], d["column"], d["code"], d["message"])
                                 for d in diagnostics)
    return report


def main(argv: Optional[Sequence[str]] = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [RECORD_FLAG] and len(arguments) >= 3 and arguments[2] == "--":
        return record_parsed(Path(arguments[1]), arguments[3:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=None,
                        help="the corpus cache of bench/corpus.py (default: $ACTORLINT_BENCH_CACHE "
                             "or ~/.cache/actorlint-bench)")
    parser.add_argument("--paths", nargs="+", type=Path,
                        help="bench these files/folders instead of the corpus (copied first)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions; medians over them (default 3)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds before one run is killed")
    parser.add_argument("--jobs", type=int, default=None,
                        help="actorlint --jobs (default: actorlint's own default, all cores)")
    parser.add_argument("--fixit", default=None, help="the fixit executable")
    parser.add_argument("--fixit-subset", default=",".join(DEFAULT_FIXIT_SUBSET),
                        help="comma-separated corpus folders (name prefixes) for the Fixit comparison")
    parser.add_argument("--skip", default="", help="comma-separated task keys to leave out "
                        "(cold,warm,touched,edited,staged,alone,parse1,parseN,ruff_async,ruff_all,fixit,cold_subset)")
    parser.add_argument("--ruff", default=None, help="the ruff executable (default: beside this Python)")
    parser.add_argument("--json", type=Path, help="write every sample and the environment here")
    parser.add_argument("--write-docs", action="store_true", help=f"rewrite {DOCS_PAGE.relative_to(REPO)}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--from-json", type=Path, metavar="FILE",
                        help="measure nothing: print (and with --write-docs, write) the report of "
                             "an earlier run's --json FILE")
    parser.add_argument("--parse-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--processes", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(arguments)
    if args.parse_only:
        return parse_only(args.parse_only, args.processes)

    if args.from_json:
        return report_from_json(args.from_json, write=args.write_docs)

    cache = args.cache if args.cache is not None else default_cache()
    if args.paths:
        missing = [str(p) for p in args.paths if not p.exists()]
        if missing:
            print(f"error: no such path: {', '.join(missing)}", file=sys.stderr)
            return 2
        sources = list(args.paths)
    else:
        try:
            sources = package_folders(cache)
        except CorpusMissing as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    workers = args.jobs or os.cpu_count() or 1

    work = Path(tempfile.mkdtemp(prefix="actorlint-bench-"))
    try:
        return _bench(args, cache, sources, skip, workers, work)
    finally:
        if args.keep:
            print(f"\nwork folder kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(work.parent / f"{work.name}-alone", ignore_errors=True)


def _bench(args: argparse.Namespace, cache: Path, sources: List[Path], skip: set,
           workers: int, work: Path) -> int:
    started = datetime.datetime.now().astimezone()
    commit_at_start = _git_commit()
    load_before = os.getloadavg()
    tree = work / "tree"
    logs = work / "logs"
    logs.mkdir()
    roots = copy_tree(sources, tree)
    config = work / "actorlint.toml"
    config.write_text("# bench: defaults; roots the cache in this folder\n", encoding="utf-8")
    rel_roots = [str(r.relative_to(work)) for r in roots]

    discovered = actorlint_discover(roots, config, work)
    files_lines = _lines(discovered)
    print(f"{len(discovered)} files, {files_lines:,} lines discovered", file=sys.stderr)

    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("ACTORLINT_BENCH_CACHE", None)
    python = sys.executable
    this = str(Path(__file__).resolve())
    ruff = args.ruff or str(Path(python).parent / "ruff")
    if not os.access(ruff, os.X_OK):
        ruff = shutil.which("ruff") or ""
    fixit = find_fixit(args.fixit, cache)

    check = ["check", "--exit-zero", "--output-format", "json", "--config", str(config)]
    if args.jobs:
        check += ["--jobs", str(args.jobs)]
    lint = [python, "-m", "actorlint", *check]

    def run(task: Task, rep: int) -> Sample:
        out = logs / f"{task.key}-{rep}.out"
        err = logs / f"{task.key}-{rep}.err"
        if task.before:
            task.before(rep)
        try:
            sample = measure(task.argv, cwd=work, env=env, stdout=out, stderr=err, timeout=args.timeout)
        finally:
            if task.after:
                task.after()
        print(f"  {task.key:<12} {sample.wall:8.2f} s wall {sample.cpu:8.2f} s CPU "
              f"{sample.maxrss_mb:7.0f} MB{'  TIMED OUT' if sample.timed_out else ''}"
              f"{'' if sample.exit_code == 0 else f'  exit {sample.exit_code}'}", file=sys.stderr)
        task.outputs.append((out, err))
        task.samples.append(sample)
        return sample

    # The first run primes the cache and records which files actorlint parses in full.
    record = work / "parsed-by-actorlint.txt"
    prime = Task("prime", "actorlint cold, writing the cache (recording what it parses)",
                 [python, this, RECORD_FLAG, str(record), "--", *check, *rel_roots],
                 files_lines, len(discovered))
    print("priming the cache (actorlint cold, writing the cache, recording the files it parses)",
          file=sys.stderr)
    run(prime, 0)
    recorded = sorted({Path(line) for line in
                       (record.read_text(encoding="utf-8").splitlines() if record.exists() else [])
                       if line})
    if recorded:
        parsed = recorded
        parse_basis = "the files actorlint parsed in full in the priming run (recorded)"
    else:
        parsed = list(discovered)
        parse_basis = ("every discovered file: nothing was recorded "
                       "(did the priming run fail, or no longer call actorlint.analyse.analyse?)")
    parsed_lines = _lines(parsed)
    parse_list = work / "parse-list.txt"
    parse_list.write_text("".join(f"{p}\n" for p in parsed), encoding="utf-8")
    print(f"LibCST parse-only runs: {len(parsed)} files, {parsed_lines:,} lines ({parse_basis})",
          file=sys.stderr)

    touch_target = pick_touch_target(parsed)
    original = touch_target.read_bytes()

    def settle(rep: int) -> None:
        """Run actorlint once, unmeasured, on the tree as it is: the warm run is "nothing
        changed since the last run", and the touched run "one file changed since then"
        (the run before may have been the touched run of the last repetition)."""
        subprocess.run(lint + rel_roots, cwd=work, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)

    def touch(rep: int) -> None:
        settle(rep)
        stamp = f"\n# actorlint bench: touched, repetition {rep}, {time.time_ns()}\n".encode()
        touch_target.write_bytes(original + stamp)

    def restore() -> None:
        touch_target.write_bytes(original)

    def edit(rep: int) -> None:
        """An edit that moves the file's code: a comment line inserted at its top, so that
        every position in its facts changes (the touched run's comment at the end moves
        nothing, which the run record can see; this is the costlier, common edit of an
        actor module)."""
        settle(rep)
        stamp = f"# actorlint bench: edited, repetition {rep}, {time.time_ns()}\n".encode()
        touch_target.write_bytes(stamp + original)

    # Pre-commit's case: only the touched file is asked for; the rest of the project is
    # read as context from the warm cache. Against it: the same file alone in a folder of
    # its own (its own config, so its own project and cache), warm, touched the same way.
    alone = work.parent / f"{work.name}-alone"  # outside the project, removed with it
    alone.mkdir()
    (alone / "actorlint.toml").write_text("", encoding="utf-8")
    alone_file = alone / touch_target.name
    alone_file.write_bytes(original)
    alone_argv = lint + ["--config", str(alone / "actorlint.toml"), str(alone_file)]

    def touch_alone(rep: int) -> None:
        alone_file.write_bytes(original)
        subprocess.run(alone_argv, cwd=work, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        # The same kind of edit as the staged run's (a text never seen before): a stamp seen in
        # an earlier bench run would be answered from the cache, which the staged run is not.
        alone_file.write_bytes(original + f"\n# actorlint bench: touched, repetition {rep}, {time.time_ns()}\n".encode())

    def restore_alone() -> None:
        alone_file.write_bytes(original)

    prefixes = [p.strip() for p in args.fixit_subset.split(",") if p.strip()]
    subset_roots = [r for r in roots if any(r.name.startswith(p) for p in prefixes)]
    subset_files = [f for f in discovered if any(r in f.parents for r in subset_roots)]
    subset_rel = [str(r.relative_to(work)) for r in subset_roots]

    tasks: List[Task] = [
        Task("cold", "actorlint cold (--no-cache)", lint + ["--no-cache"] + rel_roots,
             files_lines, len(discovered)),
        Task("warm", "actorlint warm (cache, nothing changed)", lint + rel_roots,
             files_lines, len(discovered), before=settle),
        Task("touched", "actorlint warm, one file touched", lint + rel_roots, files_lines,
             len(discovered), before=touch, after=restore),
        Task("edited", "actorlint warm, one file edited (a line inserted at its top)", lint + rel_roots,
             files_lines, len(discovered), before=edit, after=restore),
        Task("staged", "actorlint warm, only the touched file asked for (a staged file)",
             lint + [str(touch_target.relative_to(work))], _lines([touch_target]), 1,
             before=touch, after=restore),
        Task("alone", "actorlint warm, the touched file alone in a project of its own",
             alone_argv, _lines([touch_target]), 1, before=touch_alone, after=restore_alone),
        Task("parse1", "LibCST parse_module only, 1 process",
             [python, this, "--parse-only", str(parse_list), "--processes", "1"],
             parsed_lines, len(parsed)),
        Task("parseN", f"LibCST parse_module only, {workers} processes",
             [python, this, "--parse-only", str(parse_list), "--processes", str(workers)],
             parsed_lines, len(parsed)),
    ]
    if ruff:
        for key, select in (("ruff_async", "ASYNC,S113"), ("ruff_all", "ALL")):
            tasks.append(Task(key, f"ruff check --select {select}",
                              [ruff, "check", "--isolated", "--select", select, "--no-cache",
                               "--exit-zero", "--statistics"] + rel_roots, files_lines, len(discovered)))
    else:
        print("ruff not found: the Ruff runs are skipped", file=sys.stderr)
    subset_lines = _lines(subset_files)
    if subset_roots and fixit:
        tasks.append(Task("fixit", f"fixit lint (default rules), subset: {', '.join(r.name for r in subset_roots)}",
                          [fixit, "lint"] + subset_rel, subset_lines, len(subset_files)))
        tasks.append(Task("cold_subset", "actorlint cold, same subset", lint + ["--no-cache"] + subset_rel,
                          subset_lines, len(subset_files)))
    elif not fixit:
        print("fixit not found (pip install fixit==2.2.1, or --fixit PATH): the Fixit runs are skipped",
              file=sys.stderr)
    else:
        print(f"no corpus folder matches --fixit-subset {args.fixit_subset}: the Fixit runs are skipped",
              file=sys.stderr)
    tasks = [t for t in tasks if t.key not in skip]
    tasks_all = tasks + [prime]

    for rep in range(args.repeat):
        print(f"repetition {rep + 1} of {args.repeat}", file=sys.stderr)
        shift = rep % len(tasks) if tasks else 0
        for task in tasks[shift:] + tasks[:shift]:
            run(task, rep)
    ended = datetime.datetime.now().astimezone()

    # The warm path should not import LibCST at all (every file is a cache hit).
    warm_imports_libcst: Optional[bool] = None
    if any(t.key == "warm" for t in tasks):
        err = logs / "warm-importtime.err"
        measure([python, "-X", "importtime", *lint[1:], *rel_roots], cwd=work, env=env,
                stdout=logs / "warm-importtime.out", stderr=err, timeout=args.timeout)
        modules = [line.rsplit("|", 1)[-1].strip() for line in
                   err.read_text(encoding="utf-8", errors="replace").splitlines()
                   if line.startswith("import time:")]
        warm_imports_libcst = any(m == "libcst" or m.startswith("libcst.") for m in modules)

    # What actorlint said: diagnostics, ACT000, internal errors; warm agrees with cold?
    reports: Dict[str, dict] = {}
    for task in tasks_all:
        if task.key in ("cold", "warm", "touched", "edited", "cold_subset", "prime") and task.outputs:
            reports[task.key] = _actorlint_report(*task.outputs[-1])
    checks = {}
    if "cold" in reports and "_keys" in reports["cold"]:
        for key in ("warm", "prime"):
            if key in reports and "_keys" in reports[key]:
                checks[f"{key} == cold"] = reports[key]["_keys"] == reports["cold"]["_keys"]
    for report in reports.values():
        report.pop("_keys", None)

    environment = {
        "date": started.isoformat(timespec="seconds"),
        "duration_s": round((ended - started).total_seconds()),
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "libcst": _module_version("libcst"),
        "actorlint": _actorlint_version(),
        "actorlint_commit": _git_commit(),
        "actorlint_commit_at_start": commit_at_start,
        "ruff": _version([ruff, "--version"]) if ruff else None,
        "fixit": _version([fixit, "--version"]) if fixit else None,
        "workers": workers,
        "repeat": args.repeat,
        "command": "python bench/run.py" + (" " + shlex.join(sys.argv[1:]) if sys.argv[1:] else ""),
        "corpus": [p.name for p in sources],
        "files": len(discovered),
        "lines": files_lines,
        "parsed_files": len(parsed),
        "parsed_lines": parsed_lines,
        "parse_basis": parse_basis,
        "touched_file": touch_target.relative_to(tree).as_posix(),
        "fixit_subset": [r.name for r in subset_roots],
        "fixit_subset_files": len(subset_files),
        "fixit_subset_lines": subset_lines,
        "warm_imports_libcst": warm_imports_libcst,
    }
    for task in tasks_all:  # parse-only children report their failures
        if task.key.startswith("parse") and task.outputs:
            try:
                environment[f"{task.key}_result"] = json.loads(task.outputs[-1][0].read_text())
            except ValueError:
                environment[f"{task.key}_result"] = None
    table, verdicts = render(tasks_all, environment, reports, checks)
    print()
    print(table)
    if args.json:
        payload = {
            "environment": environment,
            "tasks": [{"key": t.key, "label": t.label, "argv": t.argv, "files": t.files,
                       "lines": t.lines, "samples": [asdict(s) for s in t.samples]} for t in tasks_all],
            "actorlint_output": reports,
            "checks": checks,
            "targets": verdicts,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"\nraw results: {args.json}", file=sys.stderr)
    if args.write_docs:
        write_docs(table, environment)
        print(f"wrote {DOCS_PAGE}", file=sys.stderr)
    return 0


# --- reporting -------------------------------------------------------------------------

def report_from_json(path: Path, *, write: bool) -> int:
    """Render the report of a run saved with ``--json`` (for example after changing the
    report, or to write the docs from a run made elsewhere)."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"error: cannot read {path}: {error}", file=sys.stderr)
        return 2
    tasks = [Task(t["key"], t["label"], t["argv"], t["lines"], t["files"],
                  samples=[Sample(**sample) for sample in t["samples"]]) for t in payload["tasks"]]
    environment = payload["environment"]
    table, _ = render(tasks, environment, payload.get("actorlint_output", {}), payload.get("checks", {}))
    print(table)
    if write:
        write_docs(table, environment)
        print(f"wrote {DOCS_PAGE}", file=sys.stderr)
    return 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _actorlint_version() -> str:
    """The version of the actorlint this checkout holds (the one the bench runs)."""
    try:
        from actorlint import __version__
    except ImportError:
        return "unknown"
    return __version__


def _module_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=30, check=False).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "actorlint"],
                               capture_output=True, text=True, timeout=30, check=False).stdout.strip()
        return f"{head}{' + uncommitted changes in actorlint/' if dirty else ''}" if head else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _fmt(value: Optional[float], digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def render(tasks: List[Task], env: dict, reports: Dict[str, dict], checks: Dict[str, bool]) -> Tuple[str, list]:
    """The Markdown report: the medians table, the ratios, the targets, actorlint's output."""
    by_key = {t.key: t for t in tasks}
    lines = [
        (f"{env['files']:,} files, {env['lines']:,} lines ({', '.join(env['corpus'])}); "
         f"{env['repeat']} repetition{'s' if env['repeat'] != 1 else ''}, medians; "
         f"{env['cpus']} CPUs, actorlint workers: {env['workers']}."),
        "",
        ("| Run | Files | Lines | Wall s | CPU s | Peak RSS MB, largest process | "
         "Sampled peak MB: main / largest worker / tree | Lines/s (wall) | Exit |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for task in tasks:
        if not task.samples:
            continue
        wall = task.median("wall")
        rate = f"{task.lines / wall:,.0f}" if wall else "—"
        exits = sorted({str(s.exit_code) + (" (timeout)" if s.timed_out else "") for s in task.samples})
        n = "" if len(task.samples) == env["repeat"] else f" (n={len(task.samples)})"
        worker = task.median("worker_peak_mb") if any(s.processes > 1 for s in task.samples) else None
        lines.append(
            f"| {task.label}{n} | {task.files:,} | {task.lines:,} | {_fmt(wall)} | {_fmt(task.median('cpu'))} | "
            f"{_fmt(task.median('maxrss_mb'), 0)} | {_fmt(task.median('main_peak_mb') or None, 0)} / "
            f"{_fmt(worker, 0)} / {_fmt(task.median('total_peak_mb') or None, 0)} | {rate} | {', '.join(exits)} |")

    def med(key: str, attribute: str = "wall") -> Optional[float]:
        task = by_key.get(key)
        return task.median(attribute) if task and task.samples else None

    def ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
        return a / b if a is not None and b else None

    verdicts = []

    def verdict(name: str, value: Optional[float], shown: str, ok: Optional[bool], detail: str = "") -> None:
        status = "—" if ok is None else ("pass" if ok else "**FAIL**")
        verdicts.append({"target": name, "value": value, "pass": ok, "detail": detail})
        lines.append(f"| {name} | {shown} | {status} | {detail} |")

    lines += ["", "| Target (issue 6) | Measured | Result | Also |", "|---|---:|---|---|"]
    cold_vs_parse = ratio(med("cold"), med("parseN"))
    verdict("cold ≤ 1.5x LibCST parse of the parsed files (wall, same process count)", cold_vs_parse,
            f"{_fmt(cold_vs_parse)}x", None if cold_vs_parse is None else cold_vs_parse <= 1.5,
            f"vs 1-process parse wall: {_fmt(ratio(med('cold'), med('parse1')))}x; "
            f"CPU vs 1-process parse CPU: {_fmt(ratio(med('cold', 'cpu'), med('parse1', 'cpu')))}x")
    fixit_rate = ratio(med("fixit"), by_key["fixit"].lines if "fixit" in by_key else None)
    ours_rate = ratio(med("cold_subset"), by_key["cold_subset"].lines if "cold_subset" in by_key else None)
    speedup = ratio(fixit_rate, ours_rate)
    verdict("cold ≥ 10x faster than Fixit per line, same files (wall)", speedup, f"{_fmt(speedup, 1)}x",
            None if speedup is None else speedup >= 10,
            f"Fixit {_fmt(fixit_rate and fixit_rate * 1000, 3)} ms/line, actorlint "
            f"{_fmt(ours_rate and ours_rate * 1000, 3)} ms/line; CPU ratio "
            f"{_fmt(ratio(med('fixit', 'cpu'), med('cold_subset', 'cpu')), 1)}x")
    warm_vs_ruff = ratio(med("warm"), med("ruff_async"))
    verdict("warm ≤ ruff --select ASYNC,S113 --no-cache (wall)", warm_vs_ruff, f"{_fmt(warm_vs_ruff)}x",
            None if warm_vs_ruff is None else warm_vs_ruff <= 1.0,
            f"warm {_fmt(med('warm'))} s, ruff {_fmt(med('ruff_async'))} s")
    def extra_over(key: str, base: str, measure: str = "wall") -> Optional[float]:
        """The median of ``key``'s samples minus ``base``'s, paired by repetition (the two
        runs of the same round)."""
        paired = [getattr(a, measure) - getattr(b, measure) for a, b in
                  zip(by_key[key].samples if key in by_key else [], by_key[base].samples if base in by_key else [])
                  if not (a.timed_out or b.timed_out)]
        return statistics.median(paired) if paired else None

    extra = extra_over("touched", "warm")
    verdict("one file changed: < 1 s on top of warm (wall)", extra, f"{_fmt(extra)} s",
            None if extra is None else extra < 1.0,
            f"CPU: {_fmt(extra_over('touched', 'warm', 'cpu'))} s; touched: {env['touched_file']}")
    edited_extra = extra_over("edited", "warm")
    verdict("one file edited, its code moved: < 1 s on top of warm (wall)", edited_extra,
            f"{_fmt(edited_extra)} s", None if edited_extra is None else edited_extra < 1.0,
            f"CPU: {_fmt(extra_over('edited', 'warm', 'cpu'))} s; edited: {env['touched_file']}")
    staged_extra = extra_over("staged", "alone")
    verdict("one staged file: <= 0.5 s over the file alone, warm (wall)", staged_extra,
            f"{_fmt(staged_extra)} s", None if staged_extra is None else staged_extra <= 0.5,
            f"staged {_fmt(med('staged'))} s, alone {_fmt(med('alone'))} s")
    worker_peak = None
    cold = by_key.get("cold")
    if cold and cold.samples:
        # Without sampled workers (a single-process run), the whole process is the worker.
        worker_peak = (cold.median("worker_peak_mb") if any(s.processes > 1 for s in cold.samples)
                       else cold.median("maxrss_mb"))
    main_peak = cold.median("main_peak_mb") if cold and cold.samples else None
    for key, select in (("ruff_all", "ALL"), ("ruff_async", "ASYNC,S113")):
        peak = med(key, "maxrss_mb")
        verdict(f"peak RSS per worker ≤ Ruff's whole-process peak (ruff --select {select})", worker_peak,
                f"{_fmt(worker_peak, 0)} MB",
                None if worker_peak is None or peak is None else worker_peak <= peak,
                f"Ruff {_fmt(peak, 0)} MB; actorlint main process {_fmt(main_peak, 0)} MB; "
                f"LibCST parse alone, largest process {_fmt(med('parse1', 'maxrss_mb'), 0)} MB")

    lines += ["", "actorlint's own output (last cold run unless said):", ""]
    for key, report in reports.items():
        label = by_key[key].label
        if not report.get("json_ok"):
            lines.append(f"- {label}: output was not JSON; stderr ends: {report['stderr_tail'][-3:]}")
            continue
        lines.append(f"- {label}: {report['diagnostics']} diagnostics {report['by_code']}; "
                     f"ACT000: {len(report['act000'])}; internal errors: {report['internal_errors']}")
    for name, ok in checks.items():
        lines.append(f"- diagnostics of {name}: {'identical' if ok else '**DIFFERENT**'}")
    if env.get("warm_imports_libcst") is not None:
        lines.append(f"- the warm run imports LibCST: {'**yes**' if env['warm_imports_libcst'] else 'no'} "
                     "(`python -X importtime`)")
    act000 = reports.get("cold", {}).get("act000", [])
    if act000:
        lines += ["", "ACT000 on the corpus (cold run):", ""]
        lines += [f"- `{entry}`" for entry in act000[:40]]
        if len(act000) > 40:
            lines.append(f"- ... and {len(act000) - 40} more")
    internal = reports.get("cold", {}).get("internal_error_heads", [])
    if internal:
        lines += ["", "Internal errors (cold run, first lines):", ""]
        lines += [f"- `{entry}`" for entry in internal]
    return "\n".join(lines), verdicts


def _commit_note(env: dict) -> str:
    start = env.get("actorlint_commit_at_start")
    if start and start != env.get("actorlint_commit"):
        return f" (**{start} when the run started**: actorlint changed during the run)"
    return ""


def write_docs(table: str, env: dict) -> None:
    notes = ""
    if DOCS_PAGE.exists():
        previous = DOCS_PAGE.read_text(encoding="utf-8")
        if NOTES_MARKER in previous:
            notes = previous.split(NOTES_MARKER, 1)[1].lstrip("\n")
    parse_failed = (env.get("parse1_result") or env.get("parseN_result") or {}).get("failed")
    text = f"""# Performance

The latest figures of `bench/run.py` on the bench corpus (issue 6). Regenerate them with:

```bash
python bench/corpus.py        # once: downloads the pinned releases to ~/.cache/actorlint-bench
python bench/run.py --repeat 3 --json /tmp/bench.json --write-docs
```

The figures below came from `{env['command']}`.

`bench/corpus.py` fetches django 5.2.19, celery 5.7.0, kombu 5.7.0, dramatiq 2.2.1,
pykka 4.5.0, mopidy 3.4.2, thespian 4.0.1, ray 2.60.0 (the cp311 manylinux wheel,
unzipped, never installed) and sqlalchemy 2.1.9 with `pip download --no-deps`, and keeps
their `.py` files. Every tool runs in its own subprocess on a copy of those files, the
tools alternating round-robin; the figures are medians. CPU time is user + system of
the process and the workers it waited for; "largest process" is `wait4`'s `ru_maxrss`,
the peak of the biggest single process of the tree (not a sum); the sampled peaks come
from polling `/proc` every 0.1 s (forked workers share pages with their parent, so the
tree sum overcounts).

## Results

Measured {env['date']} ({env['duration_s']} s in all), actorlint {env['actorlint']} at
commit {env['actorlint_commit']}{_commit_note(env)}.

{table}

Which files the parse-only runs parse: {env['parse_basis']}
({env['parsed_files']:,} files, {env['parsed_lines']:,} lines{'' if not parse_failed else f'; {parse_failed} failed to parse'}).
The one-file-changed run appends a unique comment line to `{env['touched_file']}` and
restores it afterwards; the edited run inserts one at its top instead, which moves every
position in the file. The Fixit comparison runs on {', '.join(env['fixit_subset']) or 'nothing'}
({env['fixit_subset_files']:,} files, {env['fixit_subset_lines']:,} lines).

## Machine

- CPUs: {env['cpus']} ({env['cpu_model']}); load average before / after:
  {env['load_average_before']} / {env['load_average_after']} (other work on the machine
  slows every tool alike, but widens the spread)
- {env['platform']}
- Python {env['python']}, LibCST {env['libcst']}, {env['ruff']}, Fixit: {env['fixit']}

{NOTES_MARKER}

{notes}"""
    DOCS_PAGE.write_text(text.rstrip() + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
