"""One actor for everyone: a shared instance whose handler blocks.

ACT303  single-actor-bottleneck  a blocking handler of an actor run as one shared instance
"""

from __future__ import annotations

from typing import Dict, Iterator, List, Set, Tuple

from actorlint.diagnostics import Diagnostic, Location, Span
from actorlint.model.facts import BlockingSite, ClassFact, Handler, ProjectFacts
from actorlint.rules._context import capitalized, handler_phrase, holds_handler, short_name
from actorlint.rules.base import ProjectRule

__all__ = ["SingleActorBottleneck"]

_DEFAULT_REMEDY = "several instances behind a pool"


class SingleActorBottleneck(ProjectRule):
    """## What it does
    Checks for a handler that blocks (a blocking call, as ACT101 reports, or a wait for
    another actor, as ACT102 reports) in an actor that the code runs as one shared instance
    found by name or from a registry: Ray `Cls.options(name=..., get_if_exists=True)`,
    Thespian `createActor(Cls, globalName=...)`, Pykka `ActorRegistry.get_by_class(Cls)[0]`;
    and nothing lets it serve several messages at once
    (Ray `max_concurrency` or an async actor, Thespian `@troupe`, several instances behind a
    `ray.util.ActorPool`).

    ## Why is this bad?
    A named actor is easy to reach from anywhere, so everyone reaches it, and it handles
    their messages one at a time. When its handler blocks, every caller in the system
    queues behind the slowest request (the first field report, "Registries to the
    rescue"): the registry that made the actor easy to find made it the bottleneck.
    Serve the work from a pool of instances, or let the actor take several messages at
    once, and keep the one named actor for what must be serialized.

    Not reported: actors whose class is not in the checked tree, handlers that do not
    block, actors created without a name, and a registry's instances used all together
    (`for ref in ActorRegistry.get_by_class(Cls)`). A preview rule: it runs with `--preview`.

    ## Example
    ```python
    import ray
    import requests


    @ray.remote
    class Geocoder:
        def locate(self, address):
            return requests.get("https://geo.example.com", params={"q": address}, timeout=5).json()


    def geocoder():
        return Geocoder.options(name="geocoder", get_if_exists=True).remote()
    ```

    Use instead:
    ```python
    import ray
    import requests


    @ray.remote(max_concurrency=16)
    class Geocoder:
        def locate(self, address):
            return requests.get("https://geo.example.com", params={"q": address}, timeout=5).json()


    def geocoder():
        return Geocoder.options(name="geocoder", get_if_exists=True).remote()
    ```

    ## References
    - [Field report: registries to the rescue](https://hexdocs.pm/elixir/Registry.html)
    - [Ray: ActorPool](https://docs.ray.io/en/latest/ray-core/api/doc/ray.util.ActorPool.html)
    """

    code = "ACT303"
    name = "single-actor-bottleneck"
    summary = "A handler blocks in an actor the code runs as one shared instance"
    preview = True

    def check(self, project: ProjectFacts) -> Iterator[Diagnostic]:
        shared: Dict[str, List[Tuple[str, Span]]] = {}
        busy: Set[str] = set()  # served concurrently, or by several instances
        for facts in project.files:
            for (_, qualname), span in facts.shared_actors:
                shared.setdefault(qualname, []).append((facts.path, span))
            busy.update(qualname for _, qualname in facts.concurrent_classes + facts.pooled_classes)
        reported: Set[str] = set()
        for path in sorted(project.sites):
            for site in project.sites[path]:
                handler = project.handlers.get(site.function) if site.function else None
                if handler is None or handler.method.qualname in reported or not holds_handler(site, handler):
                    continue
                actor = handler.actor
                entry = project.classes.get(actor.qualname)
                if actor.qualname not in shared or actor.qualname in busy or entry is None \
                        or self._serves_many(entry[0], handler, project):
                    continue
                reported.add(handler.method.qualname)
                where_path, where = shared[actor.qualname][0]
                spec = project.frameworks.get(actor.framework)
                remedy = spec.pool_remedy if spec is not None and spec.pool_remedy else _DEFAULT_REMEDY
                what = site.blocking if isinstance(site, BlockingSite) else site.label
                yield self.diagnostic(
                    handler.where, handler.method.span,
                    f"{capitalized(handler_phrase(handler))} blocks (`{what}` on line {site.span.line}), and the "
                    f"code runs `{short_name(actor.qualname)}` as one shared instance, found by name or from a registry: "
                    f"every caller "
                    f"queues behind it; use {remedy}",
                    related=(
                        Location(where_path, where, "the one shared instance is made or found here"),
                        Location(path, site.span, f"blocks: `{what}`"),
                    ),
                )

    @staticmethod
    def _serves_many(cls: ClassFact, handler: Handler, project: ProjectFacts) -> bool:
        """The class lets its instance take several messages at once, or pools instances."""
        spec = project.frameworks.get(handler.actor.framework)
        pools = spec.pool_decorators if spec is not None else ()
        return handler.actor.task_queue or cls.concurrent or handler.method.is_async \
            or any(method.is_async for method in cls.methods) or any(d in pools for d in cls.decorators)
