"""Helpers rules share for reading resolved facts: which handler a site runs in, and
how to name actors and targets in messages."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

from actorlint.model.facts import CALL, Actor, AnySite, BlockingSite, Handler, HandleFact, MessageSite, ProjectFacts
from actorlint.model.frameworks import framework_of_role

__all__ = [
    "actor_phrase", "blocks_handler", "capitalized", "handler_phrase", "handler_sites", "holds_handler",
    "is_self_call",
    "short_name", "target_phrase", "waits_for_work", "waits_in_handler",
]


def short_name(qualname: str) -> str:
    """The last component of a qualified name."""
    return qualname.rpartition(".")[2]


def handler_sites(project: ProjectFacts, path: str) -> Iterator[Tuple[AnySite, Handler]]:
    """The sites of one file that run directly inside an actor handler."""
    for site in project.sites.get(path, ()):
        if site.function is None:
            continue
        handler = project.handlers.get(site.function)
        if handler is not None:
            yield site, handler


def is_self_call(site: MessageSite, handler: Handler) -> bool:
    """Whether the site addresses the very actor whose handler it runs in."""
    target = site.target
    return target is not None and target.is_self and target.actor == handler.actor.qualname


def waits_in_handler(site: AnySite, handler: Handler) -> bool:
    """Whether a call site holds the handler (and so the actor) until the reply comes.

    An ``await`` in an ``async def`` handler yields to the actor's event loop, which goes
    on serving other messages, so it does not hold the actor.
    """
    if not isinstance(site, MessageSite) or site.kind != CALL:
        return False
    return not (site.awaited and handler.method.is_async)


def holds_handler(site: AnySite, handler: Handler) -> bool:
    """What ACT101 or ACT102 would report in the handler: a blocking call, or a wait for
    another actor's reply (or for work no actor does) that holds the actor."""
    return blocks_handler(site, handler) or (
        isinstance(site, MessageSite) and waits_in_handler(site, handler) and not is_self_call(site, handler))


def blocks_handler(site: AnySite, handler: Handler) -> bool:
    """Whether a blocking site counts in this handler (ACT101)."""
    if not isinstance(site, BlockingSite) or handler.actor.task_queue:
        return False
    return handler.method.is_async or not site.async_only


def capitalized(text: str) -> str:
    """``text`` with its first letter upper-cased (the rest untouched)."""
    return text[:1].upper() + text[1:]


# What a wait is for when no actor is known, by the role of what it waits on, then by
# the framework of the call (rules.md, ACT201 precision: say what is waited for).
_ROLE_PHRASES = {
    "ray.taskref": "a Ray task", "ray.pgref": "a placement group", "ray.objectref": "a Ray object ref",
    "pykka.future": "a Pykka future", "celery.asyncresult": "a Celery result",
    "celery.groupresult": "a Celery group's results", "dramatiq.message": "a Dramatiq message's result",
    "dramatiq.pipeline": "a Dramatiq pipeline's result", "dramatiq.group": "a Dramatiq group's results",
}
_FRAMEWORK_PHRASES = {"ray": "a Ray object ref"}
# Waits for work that is not an actor's (a task, resources): blocking work in a handler
# (ACT101), not a call to another actor (ACT102).
_WORK_ROLES = frozenset({"ray.taskref", "ray.pgref"})


def target_phrase(target: Optional[HandleFact], project: ProjectFacts, framework: Optional[str] = None) -> str:
    """How a message names what a call waits for: the actor (the noun from the run's
    catalog), else what kind of result, else "an actor"."""
    if target is not None and target.actor is not None:
        spec = project.frameworks.get(framework_of_role(target.role))
        noun = spec.noun if spec is not None else "actor"
        return f"{noun} `{short_name(target.actor)}`"
    if target is not None and target.role in _ROLE_PHRASES:
        return _ROLE_PHRASES[target.role]
    return _FRAMEWORK_PHRASES.get(framework or "", "an actor")


def waits_for_work(site: AnySite) -> bool:
    """Whether a call waits for work that no actor does (a Ray task, a placement group)."""
    return isinstance(site, MessageSite) and site.target is not None and site.target.actor is None \
        and site.target.role in _WORK_ROLES


def actor_phrase(actor: Actor) -> str:
    """``actor `Crawler```, or ``task `send_mail``` for a Celery task."""
    return f"{actor.noun} `{short_name(actor.qualname)}`"


def handler_phrase(handler: Handler) -> str:
    """``handler `fetch` of `Crawler```; a task function is its own handler: ``task `add```."""
    if handler.method.qualname == handler.actor.qualname:
        return actor_phrase(handler.actor)
    names = [f"`{short_name(name)}`" for name in (handler.actor.qualname, *handler.shared_with)]
    actors = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"handler `{handler.method.name}` of {actors}"
