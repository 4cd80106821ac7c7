"""Actors used as caches: a mailbox in front of a dict.

ACT302  actor-as-cache  an actor's handlers only read and write entries of one dict
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Set, Tuple

from actorlint.diagnostics import Diagnostic, Location, Span
from actorlint.model.facts import Actor, ProjectFacts
from actorlint.rules._context import actor_phrase, capitalized
from actorlint.rules.base import ProjectRule

__all__ = ["ActorAsCache"]

_DEFAULT_REMEDY = "a lock-protected or concurrent map in the callers' process"


class ActorAsCache(ProjectRule):
    """## What it does
    Checks for actors whose handlers do nothing but read and write the entries of one
    dict-like attribute of `self` (subscripts, `get`, `setdefault`, `pop`, `update`, `del`,
    `in`, `len`, `keys`/`values`/`items`, with pure built-ins and expiry arithmetic around
    them), with at least one handler that reads and one that writes. Lifecycle hooks
    (`on_start`, ...) and `__init__` are left aside.

    ## Why is this bad?
    An actor handles one message at a time, so a cache behind an actor serializes every
    read behind every write, and every caller pays a message round trip for a dict lookup.
    The cache meant to take load off a slow resource becomes the bottleneck itself (the
    first field report, "GenServers as caches"). Reads of a cache do not need an actor's
    one-at-a-time guarantee: put the entries where the callers can read them concurrently.

    - Threads in one process (Pykka, Thespian's in-process system): a dict guarded by a
      `threading.Lock`, or a concurrent cache library, in the callers' process.
    - Ray: let the actor serve messages concurrently (`max_concurrency`, with a lock around
      the dict) or share the values through the object store (`ray.put`) so readers do not
      queue.

    Not reported: an actor that also does other work in a handler (I/O, calls, computing),
    one whose handler computes an entry from the state (`self.points[c] =
    self.points.get(c, 0) + n`: the actor makes that update atomic, which is its job),
    an actor that serves several messages at once (Ray `max_concurrency` on the decorator
    or in `.options(...)`, an `async def` handler), and actors whose class is not in the
    checked tree. A preview rule: it runs with `--preview`.

    ## Example
    ```python
    import time

    import pykka


    class PriceCache(pykka.ThreadingActor):
        def __init__(self, ttl=60.0):
            super().__init__()
            self.ttl = ttl
            self.entries = {}

        def get(self, sku):
            entry = self.entries.get(sku)
            if entry is None or time.monotonic() - entry[1] > self.ttl:
                return None
            return entry[0]

        def put(self, sku, price):
            self.entries[sku] = (price, time.monotonic())
    ```

    Use instead:
    ```python
    import threading
    import time


    class PriceCache:
        def __init__(self, ttl=60.0):
            self.ttl = ttl
            self.entries = {}
            self.lock = threading.Lock()

        def get(self, sku):
            with self.lock:
                entry = self.entries.get(sku)
            if entry is None or time.monotonic() - entry[1] > self.ttl:
                return None
            return entry[0]

        def put(self, sku, price):
            with self.lock:
                self.entries[sku] = (price, time.monotonic())
    ```

    ## References
    - [Field report: GenServers as caches](https://hexdocs.pm/elixir/GenServer.html)
    - [Ray: threaded actors (max_concurrency)](https://docs.ray.io/en/latest/ray-core/actors/async_api.html)
    """

    code = "ACT302"
    name = "actor-as-cache"
    summary = "An actor's handlers only read and write the entries of one dict"
    preview = True

    def check(self, project: ProjectFacts) -> Iterator[Diagnostic]:
        concurrent = {(framework, qualname) for facts in project.files
                      for framework, qualname in facts.concurrent_classes}
        for qualname in sorted(project.actors):
            actor = project.actors[qualname]
            if actor.task_queue or qualname not in project.classes or (actor.framework, qualname) in concurrent:
                continue
            found = self._cache(actor, project)
            if found is None:
                continue
            attr, state, readers, writers = found
            spec = project.frameworks.get(actor.framework)
            remedy = spec.cache_remedy if spec is not None and spec.cache_remedy else _DEFAULT_REMEDY
            yield self.diagnostic(
                actor.path, actor.span,
                f"{capitalized(actor_phrase(actor))} only reads and writes the entries of `self.{attr}` "
                f"({_names(readers)} read, {_names(writers)} write): every read waits behind every "
                f"write in its mailbox; use {remedy}",
                related=(Location(state[0], state[1], f"the cached entries: `self.{attr}`"),),
            )

    def _cache(self, actor: Actor, project: ProjectFacts) -> Optional[Tuple[str, Tuple[str, Span], List[str], List[str]]]:
        """The attribute an actor serves as a cache, where it is made, and the handlers
        reading and writing it; None when the actor is anything more than that."""
        spec = project.frameworks.get(actor.framework)
        lifecycle = spec.lifecycle_handlers if spec is not None else ()
        served = [h for h in project.handlers_of(actor.qualname)
                  if h.method.name not in lifecycle and not h.method.name.startswith("__")]
        if not served or any(h.method.is_async or h.method.cache_access is None for h in served):
            return None
        lineage = project.lineage(actor.qualname)
        if any(cls.concurrent for cls, _ in lineage):
            return None
        read: Set[str] = set()
        written: Set[str] = set()
        for handler in served:
            access = handler.method.cache_access
            assert access is not None
            read.update(access.reads)
            written.update(access.writes)
        if len(written) != 1 or not read <= written:
            return None
        attr = next(iter(written))
        state = next(((path, span) for cls, path in lineage for name, span in cls.dict_attributes if name == attr), None)
        if state is None:
            return None  # not seen made a dict-like value
        readers = sorted(h.method.name for h in served if attr in h.method.cache_access.reads)  # type: ignore[union-attr]
        writers = sorted(h.method.name for h in served if attr in h.method.cache_access.writes)  # type: ignore[union-attr]
        if not readers or not writers:
            return None
        return attr, state, readers, writers


def _names(methods: List[str]) -> str:
    shown = ", ".join(f"`{name}`" for name in methods[:3])
    return shown + (f" and {len(methods) - 3} more" if len(methods) > 3 else "")
