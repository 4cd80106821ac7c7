"""How the code runs its actors, noted where it creates or looks them up: several
messages at once (``Cls.options(max_concurrency=8)``, for ACT302 and ACT303), with its messages retried
after a crash (``max_task_retries``, ACT304), one shared instance found by name (``Cls.options(name="registry", get_if_exists=True)``, Thespian
``createActor(Cls, globalName="registry")``, Pykka ``ActorRegistry.get_by_class(Cls)[0]``,
for ACT303), or a pool of instances
(``ActorPool([...])``). Which keywords mean what is framework data."""

from __future__ import annotations

from typing import Collection, Iterable, List, Set, Tuple

import libcst as cst

from actorlint.model.collect.evaluator import Evaluator
from actorlint.model.collect.scopes import Scope
from actorlint.model.facts import ActorClass
from actorlint.model.frameworks import Catalog, framework_of_role
from actorlint.model.values import Const, Value

__all__ = ["InstanceNotes", "concurrency_and_retries"]

_OFF = (Const(None), Const(False), Const(0))


def concurrency_and_retries(keywords: Iterable[Tuple[str, Value]], concurrency: Collection[str],
                            retries: Collection[str]) -> Tuple[bool, bool]:
    """Whether keywords of a decorator or ``.options()`` call (name, value) let an actor
    serve several messages at once (``max_concurrency`` not 1), and retry its messages
    (``max_task_retries`` not 0)."""
    keywords = list(keywords)
    return (any(name in concurrency and value != Const(1) for name, value in keywords),
            any(name in retries and value not in _OFF for name, value in keywords))


class InstanceNotes:
    """What the interpreter notes about actor instances in one file."""

    def __init__(self, catalog: Catalog, evaluator: Evaluator) -> None:
        self.catalog = catalog
        self.values = evaluator
        self.concurrent: Set[ActorClass] = set()
        # (actor class, the call that makes or finds the one shared instance).
        self.shared: List[Tuple[ActorClass, cst.Call]] = []
        self.pooled: Set[ActorClass] = set()
        self.retried: Set[ActorClass] = set()

    def created(self, node: cst.Call, scope: Scope, role: str, actor: str) -> None:
        """A call giving a value of ``role`` for ``actor``: when it configures or makes an
        instance (the framework's ``instance_option_roles``), what its keywords say."""
        framework = framework_of_role(role)
        spec = self.catalog.frameworks.get(framework)
        if spec is None or role not in spec.instance_option_roles:
            return
        keywords = [(arg.keyword.value, self.values.value_of(arg.value, scope))
                    for arg in node.args if arg.keyword is not None]
        concurrent, retried = concurrency_and_retries(keywords, spec.concurrency_keywords, spec.retry_keywords)
        if concurrent:
            self.concurrent.add(ActorClass(framework, actor))
        if retried:
            self.retried.add(ActorClass(framework, actor))
        if any(name in spec.shared_keywords and value not in (Const(None), Const(False)) for name, value in keywords):
            self.shared.append((ActorClass(framework, actor), node))

    def taken_first(self, subscript: cst.Subscript, role: str, actor: str) -> None:
        """``registry_list[0]``: the first instance of ``actor`` out of a list a registry
        gives for its class (the framework's ``shared_element_roles``), which treats the
        class as one shared instance (Pykka ``ActorRegistry.get_by_class(Cls)[0]``)."""
        framework = framework_of_role(role)
        spec = self.catalog.frameworks.get(framework)
        if spec is None or role not in spec.shared_element_roles or len(subscript.slice) != 1:
            return
        index = subscript.slice[0].slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.Integer) and index.value.value == "0":
            self.shared.append((ActorClass(framework, actor), subscript))

    def pool(self, framework: str, actor: str) -> None:
        """Instances of ``actor`` served behind a pool (``ActorPool(actors)``)."""
        self.pooled.add(ActorClass(framework, actor))
