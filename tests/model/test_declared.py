"""Frameworks declared in config: validated with clear errors, and understood exactly as
the built-in frameworks they imitate."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from actorlint.config import ConfigError, Settings, load_settings
from actorlint.engine import check_files, fix_files, jobs_for_paths
from actorlint.model.declared import FrameworkDeclaration, TimeoutParam, catalog_for
from tests.fixture_harness import FIXTURES


def _run(folder: Path, settings: Settings, names: Tuple[str, ...] = ()) -> List[Tuple[str, int, int, str, str]]:
    paths = [folder / name for name in names] if names else sorted(folder.glob("*.py"))
    result = check_files(jobs_for_paths(paths, folder), settings)
    assert not result.internal_errors, result.internal_errors
    return [(d.path, d.span.line, d.span.column, d.code, d.message) for d in result.diagnostics]


def _mirror(tmp_path: Path, fixture: str, renames: Dict[str, str], stub: str) -> Path:
    """A copy of a built-in framework's fixture where the framework is an in-house module."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    for old, new in renames.items():
        text = re.sub(old, new, text)
    (folder / fixture).write_text(text, encoding="utf-8")
    (folder / "inhouse.py").write_text(stub, encoding="utf-8")
    return folder


# Each case: a built-in framework's fixture, how to rewrite its imports to an in-house
# module, and the declaration that describes that module as the built-in is described.
_CASES = {
    "pykka": (
        "ACT101.py",
        {r"\bimport pykka as pk\b": "import inhouse as pk", r"\bimport pykka\b": "import inhouse as pykka",
         r"\bfrom pykka import\b": "from inhouse import"},
        "class Actor:\n    pass\n\n\nclass ThreadingActor(Actor):\n    pass\n",
        FrameworkDeclaration(
            "inhouse", actor_bases=("inhouse.Actor", "inhouse.ThreadingActor"),
            handlers=("on_receive", "on_start", "on_stop", "on_failure"),
            public_methods_are_handlers=True,
        ),
    ),
    "thespian": (
        "ACT101_thespian.py",
        {r"\bimport thespian\.actors as ta\b": "import inhouse as ta",
         r"\bfrom thespian\.actors import\b": "from inhouse import"},
        "class Actor:\n    pass\n\n\nclass ActorTypeDispatcher(Actor):\n    pass\n\n\n"
        "class ActorSystem:\n    pass\n\n\nclass WakeupMessage:\n    pass\n",
        FrameworkDeclaration(
            "inhouse", actor_bases=("inhouse.Actor", "inhouse.ActorTypeDispatcher"),
            handlers=("receiveMessage", "receiveMsg_*"), serializes=True,
        ),
    ),
}


@pytest.mark.parametrize("builtin", sorted(_CASES))
@pytest.mark.parametrize("require", ["unbounded", "all"])
def test_declared_framework_behaves_like_the_builtin(tmp_path: Path, builtin: str, require: str) -> None:
    fixture, renames, stub, declaration = _CASES[builtin]
    select = ("ACT101", "ACT202")
    expected = _run(FIXTURES, Settings(root=FIXTURES, select=select, require_time_limits=require),
                    (fixture,))
    folder = _mirror(tmp_path, fixture, renames, stub)
    declared = Settings(root=folder, select=select, require_time_limits=require, frameworks=(declaration,))
    found = [d for d in _run(folder, declared) if d[0] == fixture]
    assert found == expected and len(expected) >= 5
    # Without the declaration the in-house module is just code: nothing is an actor.
    assert [d for d in _run(folder, Settings(root=folder, select=select)) if d[0] == fixture] == []


def test_declared_fix_is_the_builtin_fix(tmp_path: Path) -> None:
    fixture, renames, stub, declaration = _CASES["thespian"]
    folder = _mirror(tmp_path, fixture, renames, stub)
    settings = Settings(root=folder, select=("ACT202",), frameworks=(declaration,))
    declared = fix_files(jobs_for_paths([folder / fixture], folder), settings, unsafe=True)
    builtin = fix_files(jobs_for_paths([FIXTURES / fixture], FIXTURES),
                        Settings(root=FIXTURES, select=("ACT202",)), unsafe=True)
    assert declared.fixed == builtin.fixed > 0
    text = builtin.changes[0].text
    for old, new in renames.items():
        text = re.sub(old, new, text)
    assert declared.changes[0].text == text


def _settings(tmp_path: Path, body: str) -> Settings:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.actorlint]\n" + body, encoding="utf-8")
    return load_settings(path, tmp_path)


def test_declaration_is_read_from_pyproject(tmp_path: Path) -> None:
    settings = _settings(tmp_path, """
[tool.actorlint.frameworks.bus]
actor-bases = ["myapp.bus.Actor"]
handlers = ["handle_*", "on_message"]
calls = ["myapp.bus.Actor.request"]
casts = ["myapp.bus.Actor.publish"]
timeout-param = { name = "timeout", position = 2 }
serializes = true
""")
    assert settings.frameworks == (FrameworkDeclaration(
        "bus", actor_bases=("myapp.bus.Actor",), handlers=("handle_*", "on_message"),
        calls=("myapp.bus.Actor.request",), casts=("myapp.bus.Actor.publish",),
        timeout_param=TimeoutParam("timeout", 2), serializes=True,
    ),)
    catalog = catalog_for(settings.frameworks)
    assert catalog.frameworks["bus"].serializes
    request = catalog.members[("bus.actor", "request")]
    assert request.site == "call" and request.timeout.name == "timeout" and request.timeout.position == 2
    assert catalog.members[("bus.actor", "publish")].site == "cast"
    assert catalog.self_members[("bus", "request")].site == "call"
    # The settings fingerprint (the cache key) changes with the declaration.
    assert settings.fingerprint() != Settings().fingerprint()


@pytest.mark.parametrize("body, message", [
    ('[tool.actorlint.frameworks.bus]\nactor-base = ["a.B"]\nhandlers = ["x"]\n',
     'frameworks.bus.actor-base: unknown key; did you mean "actor-bases"?'),
    ('[tool.actorlint.frameworks.bus]\nhandlers = ["x"]\n',
     "frameworks.bus: declares no actors: give actor-bases or actor-decorators (or both)"),
    ('[tool.actorlint.frameworks.bus]\nactor-bases = ["a.B"]\n',
     "frameworks.bus: declares no handlers"),
    ('[tool.actorlint.frameworks.bus]\nactor-bases = ["Actor"]\nhandlers = ["x"]\n',
     'frameworks.bus.actor-bases: expected dotted qualified names such as "myapp.bus.Actor", got "Actor"'),
    ('[tool.actorlint.frameworks.bus]\nactor-bases = ["a.B"]\nhandlers = ["x"]\ntimeout-param = { name = "timeout", position = -1 }\n',
     "frameworks.bus.timeout-param: position: expected a non-negative integer, got -1"),
    ('[tool.actorlint.frameworks.bus]\nactor-bases = ["a.B"]\nhandlers = ["x"]\ntimeout-param = "timeout"\n',
     "frameworks.bus.timeout-param: expected a table"),
    ('[tool.actorlint.frameworks.bus]\nactor-bases = ["a.B"]\nhandlers = ["x"]\nserializes = "yes"\n',
     "frameworks.bus.serializes: expected true or false, got 'yes'"),
    ('[tool.actorlint.frameworks.bus]\nactor-bases = ["a.B"]\nhandlers = ["x"]\ntimeout-unit = "ms"\n',
     'frameworks.bus.timeout-unit: expected "seconds" or "milliseconds", got \'ms\''),
    ('[tool.actorlint.frameworks.pykka]\nactor-bases = ["a.B"]\nhandlers = ["x"]\n',
     'frameworks.pykka: "pykka" is a built-in framework; choose another name'),
    ('[tool.actorlint.frameworks.My-Bus]\nactor-bases = ["a.B"]\nhandlers = ["x"]\n',
     "frameworks.My-Bus: expected a framework name of lower-case letters"),
    ('frameworks = ["bus"]\n', "frameworks: expected a table of framework tables"),
    ('[tool.actorlint.frameworks.plugins]\ninjects = { bus = { actor = "myapp.bus.Bus", handle = "bus.actor" } }\n',
     "frameworks.plugins: injects needs modules"),
    ('[tool.actorlint.frameworks.plugins]\nmodules = ["myapp"]\ninjects = { bus = "myapp.bus.Bus" }\n',
     "frameworks.plugins.injects.bus: expected a table such as"),
    ('[tool.actorlint.frameworks.plugins]\nmodules = ["myapp"]\n'
     'injects = { bus = { actor = "myapp.bus.Bus", handle = "future" } }\n',
     "frameworks.plugins.injects.bus: handle: expected one of pykka.ref, pykka.proxy"),
    ('[tool.actorlint.frameworks.plugins]\nmodules = ["my app"]\n'
     'injects = { bus = { actor = "myapp.bus.Bus" } }\n',
     "frameworks.plugins.modules: expected a list of module names"),
    ('[tool.actorlint.frameworks.plugins]\nmodules = ["myapp"]\n'
     'injects = { bus = { actor = "myapp.bus.Bus" } }\nstate-changing = ["set_*"]\n',
     "frameworks.plugins.state-changing: expected a table such as"),
    ('[tool.actorlint.frameworks.plugins]\nmodules = ["myapp"]\n'
     'injects = { bus = { actor = "myapp.bus.Bus" } }\nstate-changing = { Bus = ["set_*"] }\n',
     "frameworks.plugins.state-changing: expected a qualified class name"),
    ('[tool.actorlint.frameworks.plugins]\nmodules = ["myapp"]\n'
     'injects = { bus = { actor = "myapp.bus.Bus" } }\nstate-changing = { "myapp.bus.Bus" = ["set volume"] }\n',
     "frameworks.plugins.state-changing.myapp.bus.Bus: expected a method name or a pattern"),
])
def test_bad_declarations_name_the_key(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        _settings(tmp_path, body)
    text = str(error.value)
    assert text.startswith(f"{tmp_path / 'pyproject.toml'}: [tool.actorlint] ")
    assert message in text, text


def test_frameworks_page_covers_every_builtin_send() -> None:
    """docs/frameworks.md is hand-written: it must name every framework, and every API
    member that sends a message (call or cast), so it cannot fall behind the tables."""
    from actorlint.model.frameworks import BUILTIN_CATALOG

    page = (Path(__file__).resolve().parents[2] / "docs" / "frameworks.md").read_text(encoding="utf-8")
    sections = {line[3:].strip().lower() for line in page.splitlines() if line.startswith("## ")}
    missing = []
    for name, spec in BUILTIN_CATALOG.frameworks.items():
        if name not in sections:
            missing.append(f"section {name}")
        public = [q for q in spec.actor_bases + spec.task_decorators if "._" not in q]
        if public and not any(f"`{q}" in page or f"@{q}" in page for q in public):
            missing.append(f"{name}: none of {public}")
    for (role, member), spec in BUILTIN_CATALOG.members.items():
        if (spec.site or spec.implicit_cast) and member != "*" and f".{member}" not in page:
            missing.append(f"{role}.{member}")
    for qualname, spec in BUILTIN_CATALOG.functions.items():
        if spec.site and qualname.rpartition(".")[2] not in page:
            missing.append(qualname)
    assert not missing, missing


def test_two_declared_frameworks_are_both_recognised_in_either_order() -> None:
    """Issue 13, bug 1: with two frameworks declared, an instance of a class the
    collector could not place was always taken for the first one's, so the second
    one's calls went unseen (swapping the tables swapped which one was reported)."""
    from dataclasses import replace as replaced

    from tests.fixture_harness import FIXTURES, expected_for, fixture_settings, lint

    folder = FIXTURES / "ACT201_two_frameworks_project"
    files = sorted(folder.glob("*.py"))
    expected = expected_for(files, folder)
    settings = fixture_settings(files, folder, expected)
    assert [d.name for d in settings.frameworks] == ["bus", "mq"]
    assert len(expected) == 2
    for frameworks in (settings.frameworks, tuple(reversed(settings.frameworks))):
        assert lint(files, folder, replaced(settings, frameworks=frameworks)) == expected


def test_a_contract_alone_is_a_framework_declaration(tmp_path: Path) -> None:
    """``injects`` with ``modules`` and no actors of its own: a contract over actors of
    other frameworks, as the built-in Mopidy one is (docs/frameworks.md)."""
    settings = _settings(tmp_path, """
[tool.actorlint.frameworks.plugins]
modules = ["myapp.plugins"]
injects = { bus = { actor = "myapp.bus.Bus", handle = "pykka.proxy" }, store = { actor = "myapp.store.Store" } }
""")
    framework = catalog_for(settings.frameworks).frameworks["plugins"]
    assert framework.modules == ("myapp.plugins",)
    assert framework.injects == (
        ("bus", "pykka.proxy", "myapp.bus.Bus"), ("store", "plugins.actor", "myapp.store.Store"),
    )
