"""Time limits: a call that waits must say how long it is willing to wait.

ACT201  call-without-timeout  a call waits for a reply with no time limit
"""

from __future__ import annotations

from typing import Iterator

from actorlint.diagnostics import Diagnostic
from actorlint.model.facts import FileFacts, ProjectFacts, Timeout
from actorlint.rules._context import target_phrase
from actorlint.rules.base import FileRule

__all__ = ["CallWithoutTimeout"]

_HOW = {
    Timeout.MISSING: "no time limit",
    Timeout.NONE: "no time limit (`timeout=None`)",
    Timeout.INFINITE: "no time limit (an infinite timeout)",
}


class CallWithoutTimeout(FileRule):
    """## What it does
    Checks for calls that wait for an actor's reply with no time limit: Pykka
    `ref.ask(msg)`, `future.get()`, `proxy.method().get()`, `ref.stop()`, `await future`
    and setting an attribute through a proxy; Ray `ray.get(...)`, `ray.wait(...)` and
    `await handle.method.remote()`; Thespian `ActorSystem().ask(addr, msg)`. A timeout of
    `None`, `float("inf")` or `math.inf` counts as none.

    ## Why is this bad?
    If the actor is slow, stuck, or dead, the caller waits forever, and whatever waits
    on the caller hangs with it. A time limit turns a hang into an error you can handle
    and see in your logs. Choose a limit above the time the actor's handler may take,
    with headroom for the messages queued before yours.

    Some waits cannot take a limit (`await` on a Pykka future, `proxy.attr = value`):
    use `future.get(timeout=...)` or a method call with a timeout instead.

    ## Example
    ```python
    import pykka


    class Inventory(pykka.ThreadingActor):
        def on_receive(self, message):
            return 3


    def count():
        inventory = Inventory.start()
        return inventory.ask({"sku": "A-1"})
    ```

    Use instead:
    ```python
    import pykka


    class Inventory(pykka.ThreadingActor):
        def on_receive(self, message):
            return 3


    def count():
        inventory = Inventory.start()
        return inventory.ask({"sku": "A-1"}, timeout=5.0)
    ```

    ## Options
    - `call-timeout`

    ## References
    - [Pykka: ActorRef.ask timeout](https://pykka.readthedocs.io/en/stable/api/)
    - [Ray: ray.get timeout](https://docs.ray.io/en/latest/ray-core/api/doc/ray.get.html)
    """

    code = "ACT201"
    name = "call-without-timeout"
    summary = "A call waits for an actor's reply with no time limit"

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        for site in project.sites.get(facts.path, ()):
            if site.kind != "call" or site.timeout not in Timeout.UNBOUNDED:
                continue
            yield self.diagnostic(
                facts.path, site.span,
                f"`{site.label}` waits for {target_phrase(site.target)} with {_HOW[site.timeout]}",
                statement_lines=site.statement_lines,
            )
