"""Blocking in handlers: the actor is a single thread of work, so whatever a handler
waits for, every message queued behind it waits for too.

ACT101  blocking-call-in-handler  a known blocking call (or a wait for a task) runs inside a handler
ACT102  sync-call-in-handler      a handler waits for another actor's reply
ACT103  self-call-deadlock        a handler waits for a reply from its own actor
"""

from __future__ import annotations

from typing import Iterator

from actorlint.diagnostics import Diagnostic
from actorlint.model.blocking import CATEGORIES
from actorlint.model.facts import BlockingSite, FileFacts, MessageSite, ProjectFacts
from actorlint.rules._context import (
    blocks_handler, capitalized, handler_phrase, handler_sites, is_self_call, target_phrase,
    waits_for_work, waits_in_handler,
)
from actorlint.rules.base import FileRule

__all__ = ["BlockingCallInHandler", "SelfCallDeadlock", "SyncCallInHandler"]


class BlockingCallInHandler(FileRule):
    """## What it does
    Checks for known blocking calls (sleeping, synchronous HTTP, sockets, subprocesses,
    SMTP/FTP, `input()`, synchronous database drivers, and thread or queue waits without
    a timeout) made directly inside an actor's message handler.

    ## Why is this bad?
    An actor handles one message at a time. While a handler sleeps or waits on the
    network, every other message in the actor's mailbox waits too, and callers that
    asked with a timeout give up although their own request was quick. The actor turns
    into a bottleneck, and one slow remote server stalls everything behind it.

    A timeout on the blocking call itself (`requests.get(url, timeout=2)`) bounds the
    wait but still holds the actor for up to that long, so it is reported too. Only the
    thread and queue waits (`Event.wait`, `Queue.get`, `Lock.acquire`, `Thread.join`,
    ...) are accepted when given a timeout or made non-blocking.

    In an `async def` handler (Ray async actors), any synchronous blocking call stalls
    the event loop, including opening and reading files.

    Waiting for work that no actor does is blocking too: `ray.get` of a Ray task's
    result (a `@ray.remote` function) or of a placement group's `ready()` inside a
    handler holds the actor until the task has run (ACT102 is for waits on another
    actor's reply).

    Only code lexically inside the handler counts: helpers (`_private` methods), nested
    functions and lambdas are not followed. Task-queue workers (Celery, Dramatiq) are not
    checked: blocking there is their job.

    ## Example
    ```python
    import time

    import pykka


    class Poller(pykka.ThreadingActor):
        def on_receive(self, message):
            time.sleep(5)
            return message
    ```

    Use instead:
    ```python
    import pykka


    class Poller(pykka.ThreadingActor):
        def on_receive(self, message):
            # Schedule the next poll instead of sleeping in the handler.
            return message
    ```

    ## Options
    - `extend-blocking-calls`

    ## References
    - [Pykka: actors process one message at a time](https://pykka.readthedocs.io/en/stable/)
    - [Ray: AsyncIO / concurrency for actors](https://docs.ray.io/en/latest/ray-core/actors/async_api.html)
    """

    code = "ACT101"
    name = "blocking-call-in-handler"
    summary = "A blocking call runs inside an actor's message handler"

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        for site, handler in handler_sites(project, facts.path):
            loop = " and stalls its event loop" if handler.method.is_async else ""
            if isinstance(site, MessageSite) and waits_for_work(site) and waits_in_handler(site, handler) \
                    and not handler.actor.task_queue:
                yield self.diagnostic(
                    facts.path, site.span,
                    f"`{site.label}` waits for {target_phrase(site.target, project, site.framework)} inside "
                    f"{handler_phrase(handler)}{loop}",
                    statement_lines=site.statement_lines,
                )
            if not isinstance(site, BlockingSite) or not blocks_handler(site, handler):
                continue
            what = CATEGORIES.get(site.category or "", "blocks")
            yield self.diagnostic(
                facts.path, site.span,
                f"`{site.blocking}` {what} inside {handler_phrase(handler)}{loop}",
                statement_lines=site.statement_lines,
            )


class SyncCallInHandler(FileRule):
    """## What it does
    Checks for actor handlers that make a synchronous call to another actor: they send a
    message and wait for the reply (`ref.ask(...)`, `future.get()`, `proxy.method().get()`,
    `ray.get(...)`, Thespian `ActorSystem().ask(...)`).

    ## Why is this bad?
    While the handler waits, its own actor serves nobody: the wait adds the other actor's
    whole queue to this actor's latency, and calls that form a cycle (A asks B while B
    asks A) deadlock. Send a message and handle the reply as another message instead, or
    pass the work on with a cast.

    In an `async def` handler, `await`ing the reply is fine: the event loop serves other
    messages meanwhile. A synchronous `ray.get` there still blocks the loop, and is
    reported.

    A Thespian actor must not use `ActorSystem().ask` at all: inside an actor, send a
    message with `self.send` and receive the reply in `receiveMessage`.

    ## Example
    ```python
    import pykka


    class Pricing(pykka.ThreadingActor):
        def quote(self, sku):
            return 10


    class Checkout(pykka.ThreadingActor):
        def on_start(self):
            self.pricing = Pricing.start()

        def total(self, skus):
            return sum(self.pricing.ask(("quote", sku), timeout=2) for sku in skus)
    ```

    Use instead:
    ```python
    import pykka


    class Checkout(pykka.ThreadingActor):
        def __init__(self, prices):
            super().__init__()
            self.prices = prices  # keep what the handler needs in the actor's own state

        def total(self, skus):
            return sum(self.prices[sku] for sku in skus)
    ```

    ## References
    - [Pykka: ActorRef.ask and futures](https://pykka.readthedocs.io/en/stable/api/)
    - [Ray: anti-pattern, calling ray.get in a loop / inside actors](https://docs.ray.io/en/latest/ray-core/patterns/index.html)
    - [Thespian: actors must not call ActorSystem().ask](https://thespianpy.com/doc/using.html)
    """

    code = "ACT102"
    name = "sync-call-in-handler"
    summary = "An actor handler waits synchronously for another actor's reply"

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        for site, handler in handler_sites(project, facts.path):
            if not waits_in_handler(site, handler) or is_self_call(site, handler) or waits_for_work(site):
                continue
            assert isinstance(site, MessageSite)
            yield self.diagnostic(
                facts.path, site.span,
                f"{capitalized(handler_phrase(handler))} waits for "
                f"{target_phrase(site.target, project, site.framework)} "
                f"with `{site.label}`",
                statement_lines=site.statement_lines,
            )


class SelfCallDeadlock(FileRule):
    """## What it does
    Checks for actor handlers that make a synchronous call to their own actor:
    `self.actor_ref.ask(...)`, `self.actor_ref.proxy().method().get()`,
    `self.actor_ref.stop()` (which waits by default), `ray.get` on a method of
    `ray.get_runtime_context().current_actor`, or Thespian
    `ActorSystem().ask(self.myAddress, ...)`.

    ## Why is this bad?
    The reply can only be produced by the actor's next message, and the actor cannot
    take its next message until the handler returns: the handler deadlocks until the
    call times out, or forever when it has no timeout.

    ## Example
    ```python
    import pykka


    class Account(pykka.ThreadingActor):
        def balance(self):
            return 0

        def report(self):
            return self.actor_ref.proxy().balance().get(timeout=1)
    ```

    Use instead:
    ```python
    import pykka


    class Account(pykka.ThreadingActor):
        def balance(self):
            return 0

        def report(self):
            return self.balance()  # call the method directly: it is the same actor
    ```

    ## References
    - [Pykka: stopping an actor from inside (`self.stop()`)](https://pykka.readthedocs.io/en/stable/api/)
    """

    code = "ACT103"
    name = "self-call-deadlock"
    summary = "An actor handler waits for a reply from its own actor"

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        for site, handler in handler_sites(project, facts.path):
            if not waits_in_handler(site, handler) or not is_self_call(site, handler):
                continue
            yield self.diagnostic(
                facts.path, site.span,
                f"{capitalized(handler_phrase(handler))} waits for its own actor with "
                f"`{site.label}`: the reply cannot come before the handler returns",
                statement_lines=site.statement_lines,
            )
