"""``actorlint-runtime`` is a distribution an application can depend on alone: built from
``runtime/`` as pip builds it, installed alone in a fresh virtual environment (no
actorlint, no libcst, no click), the import ``actorlint check --fix`` writes works and
the helper does its job."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from tests.runtime_dist import build_runtime_wheel

USE = textwrap.dedent("""
    import importlib.util, json, time
    from actorlint_runtime import TimeLimitExceeded, time_limited

    @time_limited(seconds=0.2)
    def stuck():
        time.sleep(1.0)

    try:
        stuck()
        outcome = "returned"
    except TimeLimitExceeded as error:
        outcome = str(error)
    print(json.dumps({
        "outcome": outcome,
        "others": [m for m in ("actorlint", "libcst", "click") if importlib.util.find_spec(m)],
    }))
""")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_runtime_wheel(tmp_path_factory.mktemp("runtime-wheel"))


def test_the_wheel_holds_the_package_its_type_marker_and_no_dependency(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = next(archive.read(n) for n in names if n.endswith(".dist-info/METADATA")).decode()
    assert "actorlint_runtime/py.typed" in names and "actorlint_runtime/__init__.py" in names
    assert not any(name.startswith("actorlint/") for name in names)  # not the linter
    assert "Requires-Dist" not in metadata  # the standard library only
    assert "Name: actorlint-runtime" in metadata


def test_installed_alone_in_a_fresh_environment_it_works(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True, timeout=120)
    python = env_dir / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-index", str(wheel)],
                             capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    run = subprocess.run([str(python), "-I", "-c", USE], capture_output=True, text=True, timeout=60,
                         cwd=str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ('{"outcome": "stuck exceeded its time limit of 0.2 s", "others": []}')
