"""Work that lives only in a mailbox: a cast whose handler has an effect that must not be lost.

ACT304  fire-and-forget-side-effect  a cast to an in-memory actor whose handler sends mail or writes over HTTP
"""

from __future__ import annotations

import fnmatch
from typing import Dict, Iterator, Optional, Sequence, Set, Tuple

from actorlint.diagnostics import Diagnostic, Location
from actorlint.model.facts import CAST, BlockingSite, Handler, MessageSite, ProjectFacts
from actorlint.model.side_effects import side_effect
from actorlint.rules._context import actor_phrase
from actorlint.rules.base import ProjectRule

__all__ = ["FireAndForgetSideEffect"]

_DEFAULT_REMEDY = "a persistence-backed worker (Celery or Dramatiq with late acknowledgement) or an outbox table"


class FireAndForgetSideEffect(ProjectRule):
    """## What it does
    Checks for casts (the sender does not wait: `ref.tell(...)`, `proxy.method.defer()`, a
    dropped `proxy.method()` or `handle.method.remote()`, Thespian `send`) to an in-memory
    actor whose handler has an effect outside the process that must not be lost: sending
    mail, or an HTTP write (`post`, `put`, `patch`, `delete`).

    ## Why is this bad?
    A cast lives only in the actor's mailbox, in memory. If the process crashes or the
    actor restarts before the handler runs, the message is gone, nobody is told, and
    nothing retries it: the receipt is never mailed, the payment never posted (the second
    field report, footnote 3). Work that must happen belongs in a persistence-backed
    queue: a Celery or Dramatiq task with late acknowledgement, or an outbox table that a
    worker drains; or, for Ray, an actor whose messages are retried (`max_task_retries`).

    Not reported: calls (the caller waits and sees a failure), casts to task-queue workers
    (Celery, Dramatiq: their messages are persisted), Ray actor classes given
    `max_task_retries` (on the decorator, or in `.options()` where any instance is made),
    handlers whose effects are reads or local work, and actors whose class is not in the
    checked tree. A preview rule: it runs with `--preview`.

    ## Example
    ```python
    import smtplib

    import pykka


    class Mailer(pykka.ThreadingActor):
        def send_receipt(self, to, body):
            with smtplib.SMTP("mail.example.com", timeout=10) as smtp:
                smtp.sendmail("shop@example.com", [to], body)


    def checkout(to):
        mailer = Mailer.start().proxy()
        mailer.send_receipt.defer(to, "Thanks for your order")
    ```

    Use instead:
    ```python
    import smtplib

    from celery import Celery

    app = Celery("shop")


    @app.task(acks_late=True)
    def send_receipt(to, body):
        with smtplib.SMTP("mail.example.com", timeout=10) as smtp:
            smtp.sendmail("shop@example.com", [to], body)


    def checkout(to):
        send_receipt.delay(to, "Thanks for your order")
    ```

    ## References
    - [Celery: acks_late](https://docs.celeryq.dev/en/stable/userguide/tasks.html#Task.acks_late)
    - [Ray: actor fault tolerance](https://docs.ray.io/en/latest/ray-core/fault_tolerance/actors.html)
    """

    code = "ACT304"
    name = "fire-and-forget-side-effect"
    summary = "A cast to an in-memory actor carries an effect that must not be lost"
    preview = True

    def check(self, project: ProjectFacts) -> Iterator[Diagnostic]:
        retried: Set[str] = {qualname for facts in project.files for _, qualname in facts.retried_classes}
        effects = self._effects(project)
        for path in sorted(project.sites):
            for site in project.sites[path]:
                if not isinstance(site, MessageSite) or site.kind != CAST or site.target is None \
                        or site.target.actor is None or site.lifecycle:
                    continue
                actor = project.actors.get(site.target.actor)
                entry = project.classes.get(site.target.actor)
                if actor is None or entry is None or actor.task_queue or entry[0].retried or actor.qualname in retried:
                    continue
                found = self._effect_of(site, project.handlers_reaching(actor.qualname), effects, project)
                if found is None:
                    continue
                handler, (effect_path, effect) = found
                what = side_effect(effect.blocking)
                spec = project.frameworks.get(actor.framework)
                remedy = spec.durable_remedy if spec is not None and spec.durable_remedy else _DEFAULT_REMEDY
                yield self.diagnostic(
                    path, site.span,
                    f"`{site.label}` casts to {actor_phrase(actor)}, whose handler `{handler.method.name}` {what} "
                    f"(`{effect.blocking}` on line {effect.span.line}): the message lives only in the mailbox, "
                    f"so a crash or restart loses it and nothing retries it; use {remedy}",
                    statement_lines=site.statement_lines,
                    related=(Location(effect_path, effect.span, f"{what}: `{effect.blocking}`"),),
                )

    @staticmethod
    def _effects(project: ProjectFacts) -> Dict[str, Tuple[str, BlockingSite]]:
        """Per handler (method qualname): the first side effect written in it."""
        found: Dict[str, Tuple[str, BlockingSite]] = {}
        for path in sorted(project.sites):
            for site in project.sites[path]:
                if isinstance(site, BlockingSite) and site.function and side_effect(site.blocking):
                    found.setdefault(site.function, (path, site))
        return found

    @staticmethod
    def _effect_of(site: MessageSite, handlers: Sequence[Handler], effects: Dict[str, Tuple[str, BlockingSite]],
                   project: ProjectFacts) -> Optional[Tuple[Handler, Tuple[str, BlockingSite]]]:
        """The handler the cast runs (its named method, or for a message naming none the
        framework's default handlers) and the side effect in it, if any."""
        assert site.target is not None
        if site.target.method is not None:
            wanted = [h for h in handlers if h.method.name == site.target.method]
        else:
            spec = project.frameworks.get(site.framework or "")
            patterns = spec.default_handlers if spec is not None else ()
            wanted = [h for h in handlers if any(fnmatch.fnmatchcase(h.method.name, p) for p in patterns)]
        for handler in sorted(wanted, key=lambda h: h.method.qualname):
            if handler.method.qualname in effects:
                return handler, effects[handler.method.qualname]
        return None
