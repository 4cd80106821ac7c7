"""Values the file alone cannot decide stay symbolic (issue 13), named for inference
across the program (issue 14), and read as unknown until they are solved."""

from __future__ import annotations

import textwrap
from typing import Dict

import libcst as cst

from actorlint.model.blocking import BLOCKING_CALLS
from actorlint.model.collect import collect
from actorlint.model.collect.binder import Binder
from actorlint.model.collect.evaluator import Evaluator
from actorlint.model.collect.interpreter import Interpreter
from actorlint.model.frameworks import BUILTIN_CATALOG
from actorlint.model.resolve import resolve
from actorlint.model.values import Handle, Symbol, Value, known, read_assumption

FRONTEND = textwrap.dedent('''
    import pykka

    from pkg.workers import make_pool


    class Backend(pykka.ThreadingActor):
        pass


    class Frontend(pykka.ThreadingActor):
        def __init__(self, config, core, *extra, **options):
            super().__init__()
            self.core = core
            self.pool = make_pool(config)
            self.local = Backend.start()

        def on_event(self, event):
            core = self.core
            pool = self.pool
            audio = self.audio
            local = self.local
            count = len(event)
            return core, pool, audio, local, count, extra, options
''')


def _values(source: str, function: str) -> Dict[str, Value]:
    """The value of every name returned by ``function`` (a tuple of names)."""
    module = cst.parse_module(source)
    binder = Binder("pkg.frontend", False)
    binder.walk(module)
    evaluator = Evaluator(binder)
    Interpreter(evaluator, BUILTIN_CATALOG, BLOCKING_CALLS)
    scope = binder.functions[function]
    returned = scope.returns[0].expression
    return {element.value.value: evaluator.value_of(element.value, scope) for element in returned.elements}


def test_parameters_returns_and_attributes_from_elsewhere_are_symbols() -> None:
    values = _values(FRONTEND, "pkg.frontend.Frontend.on_event")
    assert values["core"] == Symbol(Symbol.PARAMETER, "pkg.frontend.Frontend.__init__", "core")
    assert values["pool"] == Symbol(Symbol.RETURNED, "pkg.workers.make_pool")
    assert values["audio"] == Symbol(Symbol.ATTRIBUTE, "pkg.frontend.Frontend", "audio")


def test_what_the_file_decides_is_not_symbolic() -> None:
    values = _values(FRONTEND, "pkg.frontend.Frontend.on_event")
    assert values["local"] == Handle("pykka.ref", "pkg.frontend.Backend", origin="self.local")
    assert values["count"] is None  # a builtin's result: unknown, not a symbol
    # ``*extra`` and ``**options`` hold containers, never a handle.
    assert values["extra"] is None and values["options"] is None


def test_symbols_read_as_unknown_and_make_only_conditional_facts() -> None:
    assert not known(Symbol(Symbol.PARAMETER, "f", "x")) and not known(None)
    assert known(Handle("pykka.ref"))
    source = FRONTEND + textwrap.dedent('''
        def ping(core):
            return core.ask("ping")  # a message, once inference knows what core is
    ''')
    facts = collect(cst.parse_module(source), "pkg/frontend.py", "pkg.frontend")
    # The plain pass makes no site of it; the assumption passes make one per role that
    # has an ``ask``, each standing for the actor the parameter turns out to hold.
    symbol = Symbol(Symbol.PARAMETER, "pkg.frontend.ping", "core")
    assumed = {read_assumption(site.target.actor) for site in facts.sites if site.label == "ask"}
    assert assumed == {("pykka.ref", symbol)}
    # Nothing in the tree calls ``ping``: resolution keeps none of them.
    assert not [site for site in resolve([facts]).sites["pkg/frontend.py"] if site.label == "ask"]
