"""The prefilter (actorlint/prefilter.py) never changes the result: the same diagnostics
with it on and off, on every fixture, the examples, real packages, and the cross-file
cases it has to follow in rounds."""

from __future__ import annotations

import sysconfig
import textwrap
from pathlib import Path
from typing import Dict, List

import pytest

from actorlint.config import Settings
from actorlint.engine import check_files, collect_facts, jobs_for_paths
from actorlint.model.declared import FrameworkDeclaration
from actorlint.prefilter import FileWords, PairMatcher, WordMatcher, word_pattern
from tests.fixture_harness import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(sysconfig.get_paths()["purelib"])


def _both(paths: List[Path], root: Path, settings: Settings) -> None:
    jobs = jobs_for_paths(paths, root)
    on = check_files(jobs, settings, workers=2, prefilter=True)
    off = check_files(jobs, settings, workers=2, prefilter=False)
    assert not on.internal_errors and not off.internal_errors
    assert on.diagnostics == off.diagnostics
    return on


def test_fixtures_and_examples_are_the_same_with_and_without_prefilter() -> None:
    paths = sorted(FIXTURES.rglob("*.py")) + sorted((ROOT / "examples").rglob("*.py"))
    result = _both(paths, ROOT, Settings(root=ROOT, select=("ALL",)))
    assert len(result.diagnostics) > 300


@pytest.mark.parametrize("package", [
    "pykka", "dramatiq", "click",
    # Larger trees: run by the bench (pytest -m slow), not in CI.
    pytest.param("celery", marks=pytest.mark.slow), pytest.param("thespian", marks=pytest.mark.slow),
    pytest.param("kombu", marks=pytest.mark.slow),
])
def test_installed_packages_are_the_same_with_and_without_prefilter(package: str) -> None:
    folder = SITE / package
    if not folder.is_dir():
        pytest.skip(f"{package} is not installed")
    _both(sorted(folder.rglob("*.py")), SITE, Settings(root=SITE, select=("ALL",)))


def _project(tmp_path: Path, files: Dict[str, str]) -> List[Path]:
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        if path.suffix == ".py":
            paths.append(path)
    return sorted(paths)


# Each project needs a later round: the file that matters names no framework itself.
_PROJECTS = {
    "intermediate base in a third file": {
        "shop/__init__.py": "",
        "shop/base.py": "import pykka\n\nclass Base(pykka.ThreadingActor):\n    pass\n",
        "shop/middle.py": "from shop.base import Base\n\nclass Middle(Base):\n    pass\n",
        "shop/worker.py": """\
            import time
            from shop.middle import Middle

            class Worker(Middle):
                def on_receive(self, message):
                    time.sleep(1)
            """,
        "shop/client.py": """\
            from shop.worker import Worker

            def run():
                return Worker.start().ask("x")
            """,
    },
    "celery app re-exported by the package": {
        "proj/__init__.py": "from .extensions import celery_app\n",
        "proj/extensions.py": "import celery\n\ncelery_app = celery.Celery('proj')\n",
        "proj/jobs.py": """\
            from proj import celery_app

            @celery_app.task
            def add(x, y):
                return x + y

            @celery_app.task
            def total(items):
                return add.delay(1, 2).get()
            """,
    },
    "framework base re-exported under another name": {
        "core/__init__.py": "from pykka import ThreadingActor as ServiceBase\n",
        "core/svc.py": """\
            import time
            from core import ServiceBase

            class Poller(ServiceBase):
                def poll(self):
                    time.sleep(1)
            """,
    },
    "a handle carried by an instance of a project class": {
        "app/__init__.py": "",
        "app/context.py": """\
            import pykka

            class Core(pykka.ThreadingActor):
                def get_state(self):
                    return 1

            class Ctx:
                def __init__(self, core):
                    self.core = core

            def make():
                return Ctx(Core.start().proxy())
            """,
        "app/commands.py": """\
            from app.context import Ctx

            def state(context: Ctx):
                return context.core.get_state().get()
            """,
    },
    "syntax errors in files the prefilter leaves out": {
        "util/__init__.py": "",
        "util/broken.py": "def f(:\n    pass\n",
        "util/py2.py": "print 'hello'\n",
        "util/nested.py": "x = " + "(" * 300 + "1" + ")" * 300 + "\n",
        "util/fine.py": "def g():\n    return 1\n",
    },
}


@pytest.mark.parametrize("name", sorted(_PROJECTS))
def test_cross_file_projects_are_the_same_with_and_without_prefilter(tmp_path: Path, name: str) -> None:
    paths = _project(tmp_path, _PROJECTS[name])
    result = _both(paths, tmp_path, Settings(root=tmp_path, select=("ALL",)))
    codes = sorted({d.code for d in result.diagnostics})
    assert codes, "each project has something to report"


def test_declared_framework_with_a_package_level_re_export(tmp_path: Path) -> None:
    paths = _project(tmp_path, {
        "myapp/__init__.py": "from myapp.bus import Actor\n",
        "myapp/bus.py": "class Actor:\n    def request(self, message, timeout=None):\n        return message\n",
        "myapp/workers.py": """\
            import time
            from myapp import Actor

            class Printer(Actor):
                def handle_print(self, text):
                    time.sleep(1)
            """,
    })
    declaration = FrameworkDeclaration("bus", actor_bases=("myapp.bus.Actor",), handlers=("handle_*",),
                                       calls=("myapp.bus.Actor.request",))
    result = _both(paths, tmp_path, Settings(root=tmp_path, select=("ALL",), frameworks=(declaration,)))
    assert sorted(d.code for d in result.diagnostics) == ["ACT101", "ACT202"]


def test_files_that_cannot_matter_are_not_parsed(tmp_path: Path) -> None:
    paths = _project(tmp_path, _PROJECTS["intermediate base in a third file"] | {
        "shop/models.py": "class Order:\n    total = 0\n",
        "shop/views.py": "from shop.models import Order\n\ndef show():\n    return Order()\n",
    })
    files = collect_facts(jobs_for_paths(paths, tmp_path), Settings(root=tmp_path), workers=1, cache=None)
    parsed = sorted(f.path for f in files if f.parsed)
    assert parsed == ["shop/base.py", "shop/client.py", "shop/middle.py", "shop/worker.py"]


def test_warm_run_imports_no_libcst(tmp_path: Path) -> None:
    """With every file a cache hit (parsed ones and syntax-only ones alike), a run reads
    its answers from the cache and never imports LibCST."""
    import subprocess
    import sys

    _project(tmp_path, _PROJECTS["intermediate base in a third file"] | {
        "shop/models.py": "class Order:\n    total = 0\n",
        "pyproject.toml": "[tool.actorlint]\nselect = ['ALL']\n",
    })
    probe = (
        "import sys\n"
        "from actorlint.cli import main\n"
        "try:\n"
        "    main(['check', '.', '--exit-zero'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('libcst loaded: %s\\n' % ('libcst' in sys.modules))\n"
    )
    env_path = str(ROOT)
    runs = [
        subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                       env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"})
        for _ in range(2)
    ]
    assert "libcst loaded: True" in runs[0].stderr, runs[0].stderr
    assert "libcst loaded: False" in runs[1].stderr, runs[1].stderr
    assert runs[0].stdout == runs[1].stdout and "ACT101" in runs[1].stdout


def _regex_pair_search(pairs, data: bytes) -> bool:
    """The plain reading of a pair match: both words, as whole words, anywhere."""
    return any(word_pattern([name]).search(data) and word_pattern([module]).search(data)
               for name, module in pairs)


@pytest.mark.parametrize("pairs", [
    [("ThreadingActor", "pykka"), ("Seat", "booking"), ("ask", "proxy")],
    [("start", "tasks"), ("app", "celery"), ("send", "dramatiq")],
    [("Grüße", "modül"), ("café", "tasks"), ("worker", "ünïcode")],  # words beyond ASCII
])
def test_pair_matcher_agrees_with_whole_word_patterns(pairs) -> None:
    samples = [
        "from booking import Seat\nSeat.start()\n", "# Seat and booking_x\n", "Seats = booking\n",
        "from modül import Grüße\n", "Grüßen = modül\n", "café = tasks.café\n", "x.café2 tasks\n",
        "worker ünïcode\n", "from tasks import start", "app=celery.Celery()",
    ]
    sources = [text.encode("utf-8") for text in samples]
    sources += [path.read_bytes() for path in sorted((ROOT / "tests" / "fixtures").rglob("*.py"))]
    matcher = PairMatcher(pairs, FileWords())
    outcomes = [matcher.search(data) for data in sources]
    assert outcomes == [_regex_pair_search(pairs, data) for data in sources]
    assert True in outcomes and False in outcomes


def test_word_matcher_agrees_with_its_pattern() -> None:
    words = ["pykka", "ray", "celery"]
    matcher, pattern = WordMatcher(words), word_pattern(words)
    sources = [b"import ray\n", b"array = 1\n", b"x = ray_tune\n", b"ray", b"", b"(celery)"]
    sources += [path.read_bytes() for path in sorted((ROOT / "tests" / "fixtures").rglob("*.py"))]
    assert [matcher.search(d) for d in sources] == [pattern.search(d) is not None for d in sources]
