"""How the code runs its actors, noted where it creates or looks them up: several
messages at once (``Cls.options(max_concurrency=8)``, for ACT302 and ACT303), with its messages retried
after a crash (``max_task_retries``, ACT304), one shared instance found by name (``Cls.options(name="registry", get_if_exists=True)``, Thespian
``createActor(Cls, globalName="registry")``, for ACT303), or a pool of instances
(``ActorPool([...])``). Which keywords mean what is framework data."""

from __future__ import annotations

from typing import List, Set, Tuple

import libcst as cst

from actorlint.model.collect.evaluator import Evaluator
from actorlint.model.collect.scopes import Scope
from actorlint.model.facts import ActorClass
from actorlint.model.frameworks import Catalog, framework_of_role
from actorlint.model.values import Const

__all__ = ["InstanceNotes"]

_OFF = (Const(None), Const(False), Const(0))


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
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        if any(keyword in keywords and self.values.value_of(keywords[keyword], scope) != Const(1)
               for keyword in spec.concurrency_keywords):
            self.concurrent.add(ActorClass(framework, actor))
        if any(keyword in keywords and self.values.value_of(keywords[keyword], scope) not in (Const(None), Const(False))
               for keyword in spec.shared_keywords):
            self.shared.append((ActorClass(framework, actor), node))
        if any(keyword in keywords and self.values.value_of(keywords[keyword], scope) not in _OFF
               for keyword in spec.retry_keywords):
            self.retried.add(ActorClass(framework, actor))

    def pool(self, framework: str, actor: str) -> None:
        """Instances of ``actor`` served behind a pool (``ActorPool(actors)``)."""
        self.pooled.add(ActorClass(framework, actor))
