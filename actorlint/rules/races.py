"""Races across messages: a decision or a value taken from one reply and acted on in a
later message to the same actor, while other senders can change the actor in between.

ACT501  check-then-act     a call's reply guards a later message to the same actor
ACT502  read-modify-write  a call's reply builds the argument of a later message to it
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, FrozenSet, Iterator, Optional, Tuple

from actorlint.diagnostics import Diagnostic, Location
from actorlint.model.facts import CAST, FileFacts, MessageSite, ProjectFacts
from actorlint.rules._context import target_phrase
from actorlint.rules.base import FileRule

__all__ = ["CheckThenAct", "ReadModifyWrite"]

_GUARDS = frozenset({"guard"})


def _pairs(facts: FileFacts, project: ProjectFacts, hows: FrozenSet[str],
           reading_checks: bool = False) -> Iterator[Tuple[MessageSite, MessageSite]]:
    """(check, act) pairs of the given kinds whose sites survived resolution, address the
    same actor, and whose act can change that actor's state; the first act for each
    check. ``reading_checks``: leave out checks known to change state themselves (a
    ``try_reserve()`` tested and set in one message)."""
    kept: Dict[int, MessageSite] = {site.id: site for site in project.sites.get(facts.path, ())
                                    if isinstance(site, MessageSite)}
    seen = set()
    for first, second, how in facts.dependencies:
        if how not in hows or first in seen or first not in kept or second not in kept:
            continue
        check, act = kept[first], kept[second]
        if check.target is None or act.target is None or check.target.actor != act.target.actor:
            continue
        if reading_checks and check.target.method is not None and _state_change(check, project):
            continue  # a named handler that tests and sets in one message
        acts = _state_change(act, project)
        if not (acts if acts is not None else act.kind == CAST):
            continue  # a read; or a call whose handler is not seen (a cast: why else send it)
        seen.add(first)
        yield check, act


def _state_change(site: MessageSite, project: ProjectFacts) -> Optional[bool]:
    """Whether a message changes its actor's state (rules.md, ACT501 precision), as read
    from the handler's class or the framework's contract (for a message naming no
    handler, any handler it may run changing state is enough); None when not known.
    Stopping the actor is not an act on what was read."""
    if site.lifecycle or site.target is None:
        return False
    framework = project.frameworks.get(site.framework or "")
    # A message naming no handler runs the framework's default ones (``on_receive``), or
    # for a declared framework whichever of its handlers the message selects.
    handlers = (framework.default_handlers or framework.handler_names) if framework is not None else ()
    changes = project.state_changes
    return changes.of(site.target.actor, site.target.method, handlers) if changes is not None else None


class CheckThenAct(FileRule):
    """## What it does
    Checks for functions that ask an actor something and, depending on the reply, send
    the same actor another message: the reply guards the second message (an `if`,
    `elif` or `while` test, a ternary, an `assert`, the left side of `and`/`or`, or an
    early `return`/`raise`/`continue` on it).

    ## Why is this bad?
    The actor answers one message at a time, but between your two messages other senders
    get their turn. The seat that was free when you asked can be taken by the time your
    "reserve" arrives, and both buyers get it. The actor's one-message-at-a-time promise
    only protects work done inside a single message: move the check and the act into one
    handler ("reserve this seat if it is free") and let the actor decide.

    Only the same handle counts (the same variable or attribute): two refs to different
    actors, even of one class, are not reported, and neither is a reply that does not
    decide the second message. The second message must be able to change the actor's
    state: a cast, or a call to a handler that assigns or mutates `self` state (read
    from the class when it is in the checked tree, from the framework's contract for
    actors it starts itself, such as Mopidy's Core); a second read is not an act, and a
    call whose handler cannot be seen is not reported. In test code (`test-paths`) an
    `assert` guards nothing: a failing assert ends the test, and a test drives the
    actor alone.

    ## Example
    ```python
    import pykka


    class SeatReservations(pykka.ThreadingActor):
        def __init__(self):
            super().__init__()
            self.reserved = set()

        def is_available(self, seat):
            return seat not in self.reserved

        def mark_reserved(self, seat):
            self.reserved.add(seat)


    def reserve_seat(seats, seat):
        if seats.is_available(seat).get(timeout=5):
            seats.mark_reserved(seat).get(timeout=5)
            return True
        return False


    def main():
        return reserve_seat(SeatReservations.start().proxy(), "A1")


    def main_named():
        seats = SeatReservations.start().proxy()
        if seats.is_available("A1").get(timeout=5):
            seats.mark_reserved("A1").get(timeout=5)
    ```

    Use instead:
    ```python
    import pykka


    class SeatReservations(pykka.ThreadingActor):
        def __init__(self):
            super().__init__()
            self.reserved = set()

        def reserve(self, seat):
            if seat in self.reserved:
                return False
            self.reserved.add(seat)
            return True


    def main_named():
        seats = SeatReservations.start().proxy()
        return seats.reserve("A1").get(timeout=5)
    ```

    ## References
    - [Field report: the seat-reservation race and its fix](https://hexdocs.pm/elixir/GenServer.html)
    """

    code = "ACT501"
    name = "check-then-act"
    summary = "A call's reply decides a later message to the same actor"

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        if not facts.dependencies:
            return
        # A failing assert ends a test, and a test drives the actor alone: no guard there.
        hows = _GUARDS if self.settings.is_test_path(Path(os.path.abspath(facts.path))) else _GUARDS | {"assert"}
        for check, act in _pairs(facts, project, hows, reading_checks=True):
            yield self.diagnostic(
                facts.path, check.span,
                f"The reply of `{check.label}` from {target_phrase(check.target, project, check.framework)} decides the "
                f"`{act.label}` on line {act.span.line}, but other messages can reach the actor "
                "in between",
                statement_lines=check.statement_lines,
                related=(Location(facts.path, act.span, f"acts on the reply: `{act.label}`"),),
            )


class ReadModifyWrite(FileRule):
    """## What it does
    Checks for functions that read a value from an actor with a call and send the same
    actor a message built from that value (`n = counter.ask("get")` then
    `counter.tell(("set", n + 1))`).

    ## Why is this bad?
    Between the read and the write, other senders can change the value: two clients both
    read 10, both write 11, and one increment is lost. Send the change itself ("add 1")
    and let the actor apply it inside one message.

    Only a changed reply counts: arithmetic, `not`, a comparison, an f-string, a spread
    into a new collection, a comprehension, a slice, a method or built-in that derives a
    new value (`playlist.replace(...)`, `sorted(...)`), or a reply changed in place
    (`state["x"] = 1`) before it is sent back. Handing back what the actor gave, whole or
    a part of it, is a protocol and is not reported: `token = lock.acquire()` then
    `lock.release(token)`, `p = playlists.create(name)` then `playlists.delete(p.uri)`.
    Nor is a reply from one part of an actor sent to another part (`core.library.search()`
    built into `core.tracklist.add()`, two traversable attributes of one actor): nothing
    read is written back. As for ACT501, the write must be able to change the actor's
    state. Test code
    (`test-paths`) is not checked: a test is the actor's only client, so no update made
    in between can be lost (a test that creates a playlist, changes it and saves it back
    sets up a state).

    ## Example
    ```python
    import pykka


    class Counter(pykka.ThreadingActor):
        def __init__(self):
            super().__init__()
            self.value = 0

        def get(self):
            return self.value

        def set(self, value):
            self.value = value


    def increment():
        counter = Counter.start().proxy()
        current = counter.get().get(timeout=5)
        counter.set(current + 1)
    ```

    Use instead:
    ```python
    import pykka


    class Counter(pykka.ThreadingActor):
        def __init__(self):
            super().__init__()
            self.value = 0

        def add(self, amount):
            self.value += amount
            return self.value


    def increment():
        counter = Counter.start().proxy()
        return counter.add(1).get(timeout=5)
    ```
    """

    code = "ACT502"
    name = "read-modify-write"
    summary = "A value read from an actor is written back to it in a later message"

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        if not facts.dependencies or self.settings.is_test_path(Path(os.path.abspath(facts.path))):
            return  # a test drives the actor alone: no other client's update to lose
        for read, write in _pairs(facts, project, frozenset({"argument"})):
            yield self.diagnostic(
                facts.path, read.span,
                f"The reply of `{read.label}` from {target_phrase(read.target, project, read.framework)} goes back to "
                f"the same actor in `{write.label}` on line {write.span.line}; updates made in "
                "between are lost",
                statement_lines=read.statement_lines,
                related=(Location(facts.path, write.span, f"writes the value back: `{write.label}`"),),
            )
