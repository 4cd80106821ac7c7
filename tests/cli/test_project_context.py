"""Issue 14, section 1: checking part of a project (explicit paths, pre-commit's staged
files, standard input) gives, for those files, exactly what checking the whole tree gives.
The project root is the config file's folder, else the version-control root; the rest of
the project is read as context, never reported."""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import codes_and_lines, json_diagnostics, write_tree

ACTORS = '''\
import pykka


class Tuner(pykka.ThreadingActor):
    def frequency(self):
        return 101.1
'''

# Names no framework: only what main.py passes in makes `tuner` a handle.
STATION = '''\
class Station:
    def __init__(self, tuner):
        self.tuner = tuner

    def now_playing(self):
        return self.tuner.frequency().get()
'''

MAIN = '''\
from radio.actors import Tuner
from radio.station import Station


def main():
    return Station(Tuner.start().proxy())
'''

PROJECT = {"radio/__init__.py": "", "radio/actors.py": ACTORS, "radio/station.py": STATION, "radio/main.py": MAIN}
STATION_FINDING = ("radio/station.py", 6, "ACT201")


def test_a_path_inside_the_project_gets_what_the_tree_run_gives(tmp_path: Path, run) -> None:
    write_tree(tmp_path, PROJECT)
    tree = run("check", ".", "--no-cache")
    assert STATION_FINDING in codes_and_lines(tree)
    alone = run("check", "radio/station.py", "--no-cache")
    assert codes_and_lines(alone) == [f for f in codes_and_lines(tree) if f[0] == "radio/station.py"]
    # The context files are read, never reported.
    assert all(d["path"] == "radio/station.py"
               for d in json_diagnostics(run("check", "radio/station.py", "--no-cache", "--output-format", "json")))


def test_standard_input_with_a_filename_gets_the_project_too(tmp_path: Path, run) -> None:
    write_tree(tmp_path, PROJECT)
    # The text on stdin stands for the file: a time limit added there is seen.
    bounded = STATION.replace(".get()", ".get(timeout=2)")
    result = run("check", "--stdin-filename", "radio/station.py", "-", "--no-cache", input=bounded)
    assert codes_and_lines(result) == []
    result = run("check", "--stdin-filename", "radio/station.py", "-", "--no-cache", input=STATION)
    assert [(line, code) for _, line, code in codes_and_lines(result)] == [(6, "ACT201")]


def test_the_version_control_root_is_the_project_without_a_config(tmp_path: Path, run) -> None:
    write_tree(tmp_path, PROJECT, pyproject=None)
    (tmp_path / ".git").mkdir()
    assert STATION_FINDING in codes_and_lines(run("check", "radio/station.py", "--no-cache"))


def test_without_a_project_root_only_the_files_asked_for_are_read(tmp_path: Path, run) -> None:
    # No config and no version control: the folder above is not guessed to be a project.
    write_tree(tmp_path, PROJECT, pyproject=None)
    assert codes_and_lines(run("check", "radio/station.py", "--no-cache")) == []


def test_excluded_files_are_not_context(tmp_path: Path, run) -> None:
    pyproject = '[tool.actorlint]\nselect = ["ACT201"]\nexclude = ["radio/main.py"]\n'
    write_tree(tmp_path, PROJECT, pyproject=pyproject)
    assert codes_and_lines(run("check", "radio/station.py", "--no-cache")) == []


def test_fixing_a_subset_writes_only_the_files_asked_for(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {**PROJECT, "radio/other.py": STATION.replace("Station", "Other")
                          + "\n\ndef use():\n    from radio.actors import Tuner\n    return Other(Tuner.start().proxy())\n"})
    before = (tmp_path / "radio/other.py").read_text(encoding="utf-8")
    run("check", "radio/station.py", "--no-cache", "--fix", "--unsafe-fixes")
    assert ".get(timeout=" in (tmp_path / "radio/station.py").read_text(encoding="utf-8")
    assert (tmp_path / "radio/other.py").read_text(encoding="utf-8") == before
