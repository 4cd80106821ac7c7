"""``collect``: one LibCST pass over a module, then the facts of the file.

1. The binder walks the module once, recording scopes, bindings, classes and the nodes
   that may become sites, with their control context (``binder.py``, ``control.py``).
2. Once the whole module is seen (a name's value depends on every assignment to it),
   the interpreter evaluates those nodes (``evaluator.py``, ``interpreter.py``) into
   drafts: sites, large payloads, classes, tasks (``drafts.py``, ``large_values.py``,
   ``definitions.py``), and the reply flow between sites (``reply_flow.py``).
3. Every draft declares the nodes it needs placed; positions are computed for those
   only (``placement.py``, ``libcst_internals/positions.py``), and the drafts become facts.
"""

from __future__ import annotations

from typing import Dict, Mapping, Optional

import libcst as cst

from actorlint.model import blocking as blocking_table
from actorlint.model.collect.assumptions import interpret, interpret_assuming
from actorlint.model.collect.binder import Binder
from actorlint.model.collect.definitions import ClassRecord, TaskRecord, limit_settings, module_instances
from actorlint.model.collect.evaluator import Evaluator
from actorlint.model.collect.flow_recorder import FlowRecorder
from actorlint.model.collect.interpreter import Interpreter
from actorlint.model.collect.placement import LineOffsets, Wanted
from actorlint.model.collect.reply_flow import dependencies
from actorlint.model.facts import FileFacts
from actorlint.model.frameworks import BUILTIN_CATALOG, TIME_LIMITERS, Catalog
from actorlint.model.import_placement import added_import, import_block
from actorlint.model.libcst_internals.positions import locate
from actorlint.model.values import Qual

__all__ = ["collect"]


def collect(
    module: cst.Module,
    path: str,
    module_name: str,
    *,
    is_package: bool = False,
    blocking: Optional[Mapping[str, blocking_table.BlockingCall]] = None,
    source: Optional[str] = None,
    catalog: Catalog = BUILTIN_CATALOG,
) -> FileFacts:
    """Turn a parsed module into its facts; ``source`` is the module's text, when at hand."""
    specs = catalog.frameworks.values()
    setting_names = frozenset(name for spec in specs for name in spec.limit_settings + spec.annotation_settings)
    limit_keywords = frozenset(k for spec in specs for k in spec.limit_keywords)
    binder = Binder(module_name, is_package, setting_names)
    binder.walk(module)
    evaluator = Evaluator(binder)
    blocking_calls = blocking if blocking is not None else blocking_table.BLOCKING_CALLS
    interpreter = Interpreter(evaluator, catalog, blocking_calls)
    interpreter.flows = FlowRecorder(evaluator)

    class_roles = frozenset(spec.class_role for spec in specs if spec.class_role)
    plain = interpret(interpreter, binder, binder.candidates, class_roles)
    assumed = interpret_assuming(binder, plain, evaluator.consulted, catalog, blocking_calls, class_roles)
    sites = plain.sites + assumed.sites
    payloads = plain.payloads + assumed.payloads
    wrapped_classes = plain.wrapped
    concurrency_keywords = frozenset(k for spec in specs for k in spec.concurrency_keywords)
    retry_keywords = frozenset(k for spec in specs for k in spec.retry_keywords)
    replies = frozenset(m for spec in specs for m in spec.reply_methods)
    classes = [record for record in (ClassRecord(info, evaluator, concurrency_keywords, replies, retry_keywords)
                                     for info in binder.classes)
               if record.may_be_actor()]
    tasks = [record for record in (
        TaskRecord(node, scope, outer, evaluator, limit_keywords, module_name)
        for node, scope, outer in binder.decorated_functions
    ) if record.decorators]
    block = import_block(module, module_name.split(".", 1)[0])

    wanted = Wanted(binder.elifs)
    for draft in (*sites, *classes, *tasks, *payloads, block):
        draft.wants(wanted)
    notes = interpreter.instances
    for _, call in notes.shared:
        wanted.node(call, None)
    text = source if source is not None else module.code
    offsets = LineOffsets(text)
    positions = locate(module, text, wanted.nodes, wanted.statements, binder.statement_numbers,
                       binder.statement_count, offsets.starts)

    imports = _module_imports(binder)
    messages = frozenset(id(draft.node) for draft in sites if draft.fields["kind"] in ("call", "cast"))
    module_names = frozenset(binder.module_scope.bindings)
    store_names = {spec.name: _name_for(imports, frozenset({spec.object_store}))
                   for spec in specs if spec.object_store} if payloads else {}
    return FileFacts(
        path=path, module=module_name,
        classes=tuple(record.fact(positions, offsets, limit_keywords, messages) for record in classes),
        sites=tuple(draft.fact(index, positions, offsets) for index, draft in enumerate(sites)),
        payloads=tuple(draft.fact(positions, offsets, module_names, store_names) for draft in payloads),
        imports=imports,
        tasks=tuple(record.fact(positions, offsets) for record in tasks),
        instances=module_instances(binder, evaluator, catalog),
        limit_settings=limit_settings(binder, catalog),
        wrapped_classes=tuple(dict.fromkeys(wrapped_classes)),
        concurrent_classes=tuple(sorted(notes.concurrent)),
        shared_actors=tuple(dict.fromkeys((actor, positions.span(call)) for actor, call in notes.shared)),
        pooled_classes=tuple(sorted(notes.pooled)),
        retried_classes=tuple(sorted(notes.retried)),
        dependencies=tuple(dependencies(sites, frozenset(binder.asserted), binder.guard_points)),
        time_limited_name=_name_for(imports, TIME_LIMITERS),
        module_names=module_names,
        runtime_import=added_import(block, positions, offsets),
        flows=interpreter.flows.flows(),
    )


def _module_imports(binder: Binder) -> Dict[str, str]:
    """Module-level names bound once, to a qualified name (imports, classes, functions)."""
    return {
        name: bindings[0].name
        for name, bindings in binder.module_scope.bindings.items()
        if len(bindings) == 1 and isinstance(bindings[0], Qual)
    }


def _name_for(imports: Dict[str, str], qualnames: frozenset) -> Optional[str]:
    """The expression that names one of ``qualnames`` through the module's own imports."""
    for name, target in sorted(imports.items()):
        if target in qualnames:
            return name
    for name, target in sorted(imports.items()):
        for qualname in sorted(qualnames):
            if qualname.startswith(target + "."):
                return name + qualname[len(target):]
    return None
