"""The linter's whole visible output on every fixture and on ``examples/`` (diagnostics,
related locations, fix edits) equals the recording in tests/data/recorded_outputs.json.

This test asserts sameness, not correctness: the fixtures' markers (test_fixtures.py)
and the fix goldens say what is right. It catches a refactoring that changes anything a
user can see; a change meant to alter output re-records with
``python -m tests.recorded_outputs --write`` and shows the diff in review."""

from __future__ import annotations

import json

import pytest

from tests.recorded_outputs import RECORDED, cases, run_case

RECORDING = json.loads(RECORDED.read_text(encoding="utf-8"))
CASES = list(cases())


def test_every_case_is_recorded() -> None:
    assert sorted(name for name, *_ in CASES) == sorted(RECORDING)


@pytest.mark.parametrize("case", CASES, ids=[name for name, *_ in CASES])
def test_output_equals_the_recording(case) -> None:
    name, files, root, settings = case
    assert run_case(files, root, settings) == RECORDING[name]
