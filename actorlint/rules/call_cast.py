"""Mixed call and cast: one actor serving waiting callers and fire-and-forget senders.

ACT301  mixed-call-and-cast  an actor receives both calls and casts in the checked tree
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

from actorlint.diagnostics import Diagnostic, Location
from actorlint.model.facts import CALL, CAST, MessageSite, ProjectFacts
from actorlint.rules._context import actor_phrase, capitalized
from actorlint.rules.base import ProjectRule

__all__ = ["MixedCallAndCast"]

class MixedCallAndCast(ProjectRule):
    """## What it does
    Checks for actors that receive both calls (the sender waits for the reply:
    `ref.ask`, `proxy.method().get()`, `ray.get(handle.method.remote())`,
    `ActorSystem().ask`) and casts (the sender does not wait: `ref.tell`,
    `proxy.method.defer()`, a `proxy.method()` or `handle.method.remote()` whose result is
    dropped, `ActorSystem().tell`, `self.send`) anywhere in the checked tree.

    ## Why is this bad?
    An actor works through its mailbox in order. Casts are cheap for their senders, so
    they pile up; a caller that waits for a reply then waits behind every queued cast,
    and its timeout runs out although its own request was quick. The other way round,
    casts lag behind slow calls. Mixing both on one actor ties the latency of the waiting
    callers to the volume of fire-and-forget traffic.

    Give the two kinds of traffic their own actors (for example, one actor per kind of
    work, or a pool for the casts), or make every sender use the same style.

    `ray.get(handle.method.remote())` is one call, not a cast plus a call; stopping an
    actor is neither. Actors are told apart by class across the whole tree: two classes
    with the same name in different modules are different actors. Test code (the
    `test-paths` setting: `test_*.py`, `*_test.py`, `conftest.py`, `tests/`, `test/`)
    does not count: a test both calls and casts the actor it tests.

    ## Example
    ```python
    import smtplib

    import pykka


    class Mailer(pykka.ThreadingActor):
        def on_receive(self, message):
            with smtplib.SMTP("mail.example.com", timeout=10) as smtp:
                smtp.sendmail("shop@example.com", [message["to"]], message["body"])
            return True


    def send_receipt(mailer, to, body):
        return mailer.ask({"to": to, "body": body}, timeout=5)


    def send_newsletter(mailer, to, body):
        mailer.tell({"to": to, "body": body})


    def main():
        mailer = Mailer.start()
        send_receipt(mailer, "a@example.com", "thanks")
        mailer.tell({"to": "b@example.com", "body": "news"})
        return mailer.ask({"to": "c@example.com", "body": "receipt"}, timeout=5)
    ```

    Use instead:
    ```python
    import smtplib

    import pykka


    class Mailer(pykka.ThreadingActor):
        def on_receive(self, message):
            with smtplib.SMTP("mail.example.com", timeout=10) as smtp:
                smtp.sendmail("shop@example.com", [message["to"]], message["body"])
            return True


    class BulkMailer(Mailer):
        pass


    def main():
        receipts = Mailer.start()      # callers wait: a quiet mailbox
        newsletters = BulkMailer.start()  # fire-and-forget traffic goes elsewhere
        newsletters.tell({"to": "b@example.com", "body": "news"})
        return receipts.ask({"to": "c@example.com", "body": "receipt"}, timeout=5)
    ```

    ## References
    - [Elixir field report: GenServer call and cast on one server](https://hexdocs.pm/elixir/GenServer.html)
    """

    code = "ACT301"
    name = "mixed-call-and-cast"
    summary = "An actor receives both calls and casts"

    def check(self, project: ProjectFacts) -> Iterator[Diagnostic]:
        calls: Dict[str, List[Tuple[str, MessageSite]]] = {}
        casts: Dict[str, List[Tuple[str, MessageSite]]] = {}
        for path in sorted(project.sites):
            if self.settings.is_test_path(Path(os.path.abspath(path))):
                continue  # a test both calls and casts the actor it tests
            for site in project.sites[path]:
                if not isinstance(site, MessageSite):
                    continue
                target = site.target
                if target is None or target.actor is None or site.lifecycle:  # stopping is neither
                    continue
                if site.kind == CALL:
                    calls.setdefault(target.actor, []).append((path, site))
                elif site.kind == CAST:
                    casts.setdefault(target.actor, []).append((path, site))
        for qualname in sorted(set(calls) & set(casts)):
            actor = project.actors.get(qualname)
            if actor is None:
                continue
            call_sites, cast_sites = calls[qualname], casts[qualname]
            first_call, first_cast = call_sites[0], cast_sites[0]
            yield self.diagnostic(
                actor.path, actor.span,
                f"{capitalized(actor_phrase(actor))} receives {_count(len(call_sites), 'call')} "
                f"(e.g. {_where(first_call)}) and {_count(len(cast_sites), 'cast')} "
                f"(e.g. {_where(first_cast)}): casts queue behind slow calls",
                related=tuple(
                    Location(path, site.span, f"{kind}: `{site.label}`")
                    for kind, sites in (("call", call_sites), ("cast", cast_sites))
                    for path, site in sites
                ),
            )


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _where(entry: Tuple[str, MessageSite]) -> str:
    path, site = entry
    return f"{path}:{site.span.line}"
