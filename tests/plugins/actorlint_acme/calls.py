"""Rules about how long callers wait for actors."""

from __future__ import annotations

from typing import Iterator

from actorlint.diagnostics import Diagnostic
from actorlint.model.facts import FileFacts, ProjectFacts, Timeout
from actorlint.rules.base import FileRule

__all__ = ["LongCallTimeout"]

# Frameworks whose call timeouts are in seconds.
_SECONDS = frozenset({"pykka", "ray", "thespian"})
# The longest wait this pack accepts, in seconds.
_LIMIT = 60.0


class LongCallTimeout(FileRule):
    """## What it does
    Checks for calls that wait for an actor's reply with a timeout of more than 60
    seconds: `ref.ask(msg, timeout=120)`, `future.get(timeout=300)`,
    `ray.get(ref, timeout=90)`.

    ## Why is this bad?
    A caller that waits minutes for one reply is stuck as long as the actor is: the
    timeout no longer turns a hang into a timely error. Such values are often
    milliseconds written where seconds are expected (`timeout=5000` meant as five
    seconds). Keep the wait short and handle the timeout, or make the work a message
    whose result comes back as another message.

    ## Example
    ```python
    import pykka


    class Report(pykka.ThreadingActor):
        def on_receive(self, message):
            return message


    def build():
        return Report.start().ask("build", timeout=5000)
    ```

    Use instead:
    ```python
    import pykka


    class Report(pykka.ThreadingActor):
        def on_receive(self, message):
            return message


    def build():
        return Report.start().ask("build", timeout=5)
    ```
    """

    code = "ACM101"
    name = "long-call-timeout"
    summary = "A call may wait more than a minute for an actor's reply"

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        for site in project.sites.get(facts.path, ()):
            if (
                site.kind == "call"
                and site.timeout == Timeout.GIVEN
                and site.framework in _SECONDS
                and site.timeout_value is not None
                and site.timeout_value > _LIMIT
            ):
                yield self.diagnostic(
                    facts.path, site.span,
                    f"`{site.label}` may wait {site.timeout_value:g} s for a reply "
                    f"(more than {_LIMIT:g} s)",
                    statement_lines=site.statement_lines,
                )
