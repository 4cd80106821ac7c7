"""Time limits: a call that waits must say how long it waits, and a handler that blocks
must be bounded below the callers' patience.

ACT201  call-without-timeout          a call waits for a reply with no time limit
ACT202  handler-without-time-limit    a handler that blocks or waits is not time-limited
ACT203  time-limit-without-headroom   a handler's time limit leaves its callers no headroom
"""

from __future__ import annotations

import fnmatch
from typing import Dict, Iterator, List, Optional, Tuple

from actorlint.diagnostics import Applicability, Diagnostic, Edit, Fix, Location, Span
from actorlint.model.facts import (
    CALL, AnySite, FileFacts, Handler, MessageSite, ProjectFacts, TimeLimitSite, Timeout,
)
from actorlint.model.frameworks import RUNTIME_MODULE
from actorlint.rules._context import capitalized, handler_phrase, handler_sites, holds_handler, target_phrase
from actorlint.rules.base import FileRule, ProjectRule

__all__ = ["CallWithoutTimeout", "HandlerWithoutTimeLimit", "TimeLimitWithoutHeadroom"]

_HOW = {
    Timeout.MISSING: "no time limit",
    Timeout.NONE: "no time limit (`timeout=None`)",
    Timeout.INFINITE: "no time limit (an infinite timeout)",
}
_TIME_LIMITED = "time_limited"
_IMPORT_LINE = f"from {RUNTIME_MODULE} import {_TIME_LIMITED}\n"


def _seconds(value: float) -> str:
    """A number of seconds as Python source: ``5.0``, ``0.5``."""
    return repr(float(value))


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

    ## Fix safety
    The fix adds `timeout=<call-timeout>` (or replaces `None` / an infinite timeout).
    It is unsafe: a call that used to wait as long as it took now raises the framework's
    time-out error (`pykka.Timeout`, `ray.exceptions.GetTimeoutError`; Thespian's `ask`
    returns `None`) when the actor is slower than the limit. No fix is offered for waits
    that cannot take a limit (`await`, proxy attribute assignment) or for calls that pass
    `*args` / `**kwargs`.

    ## Options
    - `call-timeout`

    ## References
    - [Pykka: ActorRef.ask timeout](https://pykka.readthedocs.io/en/stable/api/)
    - [Ray: ray.get timeout](https://docs.ray.io/en/latest/ray-core/api/doc/ray.get.html)
    """

    code = "ACT201"
    name = "call-without-timeout"
    summary = "A call waits for an actor's reply with no time limit"
    fix_applicability = Applicability.UNSAFE

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        for site in project.sites.get(facts.path, ()):
            if not isinstance(site, MessageSite) or site.kind != CALL or site.timeout not in Timeout.UNBOUNDED:
                continue
            yield self.diagnostic(
                facts.path, site.span,
                f"`{site.label}` waits for {target_phrase(site.target, project, site.framework)} "
                f"with {_HOW[site.timeout]}",
                statement_lines=site.statement_lines, fix=self._fix(site, _unit(project, site)),
            )

    def _fix(self, site: MessageSite, unit: float) -> Optional[Fix]:
        if site.edit is None:
            return None
        start, end, how = site.edit
        value = _in_unit(self.settings.call_timeout, unit)
        content = {"append": f", timeout={value}", "first": f"timeout={value}"}.get(how, value)
        verb = "Set" if how == "replace" else "Add"
        return Fix(f"{verb} `timeout={value}`", Applicability.UNSAFE, (Edit(start, end, content),))


def _unit(project: ProjectFacts, site: MessageSite) -> float:
    """How many seconds one unit of the site's framework's timeouts is (Dramatiq: 0.001)."""
    spec = project.frameworks.get(site.framework or "")
    return spec.unit if spec is not None else 1.0


def _in_unit(seconds: float, unit: float) -> str:
    """A number of seconds as Python source in a framework's unit: ``5.0``, or ``5000`` ms."""
    if unit == 1.0:
        return _seconds(seconds)
    value = seconds / unit
    return str(int(round(value))) if abs(value - round(value)) < 1e-9 else repr(value)


def counts_for_time_limit(site: AnySite, handler: Handler) -> bool:
    """Whether a site is work that ACT101, ACT102 or ACT201 would report in the handler,
    whatever time limit the call carries itself (the rules.md reading of ACT202)."""
    if holds_handler(site, handler):
        return True
    return isinstance(site, MessageSite) and site.kind == CALL and site.timeout in Timeout.UNBOUNDED


class HandlerWithoutTimeLimit(FileRule):
    """## What it does
    Checks for actor handlers that block or wait (anything ACT101, ACT102 or ACT201
    reports inside them, even calls that carry their own timeout) and are not bounded by
    `time_limited` (from `actorlint_runtime`, the standard-library-only
    `actorlint-runtime` distribution; `actorlint.runtime` is the same helper).

    ## Why is this bad?
    Callers give up after their timeout, but the actor does not: a handler stuck on a
    slow server or a library call that never returns keeps the actor busy, and every
    message behind it times out too. The actor looks alive, so nothing restarts it.
    Bounding the handler as a whole, below the callers' timeout, turns a stuck actor into
    one failed request. Timeouts on the individual calls do not do this: their sum can
    still outlast the caller.

    `time_limited` satisfies this rule but does not silence ACT101/ACT102/ACT201 on the
    calls inside the handler: they still hold the actor while they run.

    With `require-time-limits = "all"`, every handler is reported until it is
    time-limited (the field report's advice: default to time-limiting callbacks).

    ## Example
    ```python
    import pykka
    import requests


    class PriceFeed(pykka.ThreadingActor):
        def on_receive(self, message):
            return requests.get(message["url"], timeout=3).json()
    ```

    Use instead:
    ```python
    import pykka
    import requests

    from actorlint_runtime import time_limited


    class PriceFeed(pykka.ThreadingActor):
        @time_limited(seconds=4.0)
        def on_receive(self, message):
            return requests.get(message["url"], timeout=3).json()
    ```

    ## Fix safety
    For a task of a task queue whose workers enforce limits themselves, the fix adds
    that framework's own keyword to the decorator that makes the task, and no import:
    Celery's `soft_time_limit=<handler-time-limit>` (the task gets `SoftTimeLimitExceeded`
    and can clean up), Dramatiq's `time_limit=` in milliseconds. A class-based task, or
    a decorator that already passes that keyword, gets no fix.

    Otherwise the fix adds `@time_limited(seconds=<handler-time-limit>)` as the handler's innermost
    decorator and `from actorlint_runtime import time_limited` to the module's import
    block where isort and Ruff sort it (or reuses an existing import); the application
    then needs the `actorlint-runtime` distribution (standard library only), not the
    linter.

    It is unsafe: the handler's body now runs in a worker thread while the actor's
    thread waits for it, at most the limit. Past the limit the actor raises
    `TimeLimitExceeded` to its caller (or returns `on_timeout`'s value) and serves its
    next message, and the body, which nothing interrupts, runs on to its end in its
    thread: what it changes after the limit (the actor's own attributes included) may
    interleave with later messages, unless those writes are made under
    `with committing():`, which runs them only while the caller still waits. The body
    does not see the actor thread's `threading.local` values. No fix is offered when the
    module already binds the name `time_limited` to something else.

    ## Options
    - `handler-time-limit`
    - `require-time-limits`

    ## References
    - [actorlint runtime: time_limited](../runtime.md)
    """

    code = "ACT202"
    name = "handler-without-time-limit"
    summary = "A handler that blocks or waits is not bounded by a time limit"
    fix_applicability = Applicability.UNSAFE

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        work: Dict[str, List[AnySite]] = {}
        bounded = set()
        for site, handler in handler_sites(project, facts.path):
            if isinstance(site, TimeLimitSite):
                bounded.add(handler.method.qualname)
            elif counts_for_time_limit(site, handler):
                work.setdefault(handler.method.qualname, []).append(site)
        require_all = self.settings.require_time_limits == "all"
        for handler in project.handlers_defined_in(facts.path):
            method = handler.method
            if method.time_limited or method.qualname in bounded or handler.framework_bounded:
                continue
            sites = work.get(method.qualname)
            if sites:
                first = min(sites, key=lambda s: (s.span.line, s.span.column))
                reason = f" (`{first.label}` on line {first.span.line})"
            elif require_all:
                reason = ""
            else:
                continue
            spec = project.frameworks.get(handler.actor.framework)
            keyword = spec.limit_fix_keyword if spec is not None else None
            yield self.diagnostic(
                facts.path, method.span,
                f"{capitalized(handler_phrase(handler))} has no time limit{reason}",
                fix=self._keyword_fix(facts, handler, keyword, spec.unit) if keyword else self._fix(facts, handler),
            )

    def _keyword_fix(self, facts: FileFacts, handler: Handler, keyword: str, unit: float) -> Optional[Fix]:
        """The framework's own limit on the task's decorator (its worker enforces it);
        None for a class-based task, or a decorator that already passes the keyword."""
        task = next((t for t in facts.tasks if t.qualname == handler.method.qualname), None)
        if task is None or handler.task_decorator is None or handler.task_decorator >= len(task.keyword_anchors):
            return None
        anchor = task.keyword_anchors[handler.task_decorator]
        if keyword in anchor.keywords:
            return None  # ``soft_time_limit=None``: changing it is the user's call
        value = round(self.settings.handler_time_limit / unit, 6)
        text = f"{keyword}={_seconds(value) if unit == 1 else f'{value:g}'}"
        edit = Edit(anchor.offset, anchor.offset, f"{anchor.prefix}{text}{anchor.suffix}")
        return Fix(f"Add `{text}` to the decorator: the worker enforces it", Applicability.UNSAFE, (edit,))

    def _fix(self, facts: FileFacts, handler: Handler) -> Optional[Fix]:
        seconds = _seconds(self.settings.handler_time_limit)
        method = handler.method
        name = facts.time_limited_name
        edits = []
        if name is None:
            if _TIME_LIMITED in facts.module_names:
                return None  # the import would shadow the module's own `time_limited`
            name = _TIME_LIMITED
            anchor = facts.runtime_import
            text = "\n" * anchor.newlines_before + _IMPORT_LINE + "\n" * anchor.newlines_after
            edits.append(Edit(anchor.offset, anchor.offset, text))
        edits.append(Edit(method.def_offset, method.def_offset,
                          f"{method.indent}@{name}(seconds={seconds})\n"))
        return Fix(f"Add `@time_limited(seconds={seconds})`: the actor stops waiting for the body at the limit",
                   Applicability.UNSAFE, tuple(edits))


class TimeLimitWithoutHeadroom(ProjectRule):
    """## What it does
    Checks for handlers whose `time_limited` seconds are more than `headroom` (default
    0.8) times the smallest timeout their callers use anywhere in the checked tree.

    ## Why is this bad?
    A caller's timeout starts when it sends the message, not when the handler starts:
    messages queued before it eat into it. A handler allowed to run as long as its
    caller waits (or longer) times out *after* the caller has given up, so the caller
    sees a bare time-out instead of the handler's own error, and the actor stays busy for
    a reply nobody reads. Keep the handler's limit clearly below the callers' timeout: 4 s
    against a 5 s caller.

    Callers that pass no timeout do not count here (ACT201 reports them); "more than" is
    strict, so 4.0 s against a 5.0 s caller at headroom 0.8 is fine.

    ## Example
    ```python
    import pykka

    from actorlint_runtime import time_limited


    class Quotes(pykka.ThreadingActor):
        @time_limited(seconds=5.0)
        def on_receive(self, message):
            return 1


    def latest():
        return Quotes.start().ask("latest", timeout=5.0)
    ```

    Use instead:
    ```python
    import pykka

    from actorlint_runtime import time_limited


    class Quotes(pykka.ThreadingActor):
        @time_limited(seconds=4.0)
        def on_receive(self, message):
            return 1


    def latest():
        return Quotes.start().ask("latest", timeout=5.0)
    ```

    ## Options
    - `headroom`

    ## References
    - [actorlint runtime: choosing a limit](../runtime.md)
    """

    code = "ACT203"
    name = "time-limit-without-headroom"
    summary = "A handler's time limit leaves its callers no headroom"

    def check(self, project: ProjectFacts) -> Iterator[Diagnostic]:
        callers = _timed_callers(project)
        headroom = self.settings.headroom
        for handler, seconds, span, path, how in _limits(project):
            timed = [
                (timeout, caller_path, site)
                for timeout, caller_path, site in callers.get(handler.actor.qualname, ())
                if _invokes(site, handler, project)
            ]
            if not timed:
                continue
            smallest, caller_path, caller = min(timed, key=lambda t: (t[0], t[1], t[2].span))
            if seconds <= headroom * smallest:
                continue
            yield self.diagnostic(
                path, span,
                f"`{how}` on {handler_phrase(handler)} is more than "
                f"{headroom:g} x the {smallest:g} s timeout its caller uses at "
                f"{caller_path}:{caller.span.line}",
                related=tuple(
                    Location(p, s.span, f"caller waits {t:g} s") for t, p, s in sorted(
                        timed, key=lambda t: (t[1], t[2].span))
                ),
            )


def _timed_callers(project: ProjectFacts) -> Dict[str, List[Tuple[float, str, MessageSite]]]:
    """Per actor class: every call that waits for it with a numeric timeout."""
    callers: Dict[str, List[Tuple[float, str, MessageSite]]] = {}
    for path, sites in project.sites.items():
        for site in sites:
            if not isinstance(site, MessageSite) or site.kind != CALL:
                continue
            target = site.target
            if site.timeout_value is not None and target and target.actor:
                seconds = site.timeout_value * _unit(project, site)
                callers.setdefault(target.actor, []).append((seconds, path, site))
    return callers


def _limits(project: ProjectFacts) -> Iterator[Tuple[Handler, float, Span, str, str]]:
    """Handlers with a readable time limit in seconds, where it is written and how: the
    ``time_limited`` decorator, the call form inside, or the framework's own limit."""
    for handler in project.handlers.values():
        method = handler.method
        if method.time_limit is not None and method.time_limit_span is not None:
            yield (handler, method.time_limit, method.time_limit_span, handler.where,
                   f"time_limited(seconds={method.time_limit:g})")
        if handler.limits:  # the earliest framework limit ends the handler (soft before hard)
            seconds, span, how = min(handler.limits, key=lambda limit: limit[0])
            yield handler, seconds, span, handler.where, how
    for path, sites in project.sites.items():
        for site in sites:
            if isinstance(site, TimeLimitSite) and site.timeout_value is not None and site.function:
                handler = project.handlers.get(site.function)
                if handler is not None:
                    yield (handler, site.timeout_value, site.span, path,
                           f"time_limited(..., {site.timeout_value:g})")


def _invokes(site: MessageSite, handler: Handler, project: ProjectFacts) -> bool:
    """Whether a call to the handler's actor runs this handler."""
    if handler.method.qualname == handler.actor.qualname:
        return True  # a task: its function is its only handler
    method = site.target.method if site.target is not None else None
    if method is not None:
        return method == handler.method.name
    if not site.untargeted:  # ``stop()``, ``ray.get`` on an unknown ref: no handler named
        return False
    spec = project.frameworks.get(handler.actor.framework)
    patterns = spec.default_handlers if spec is not None else ()
    return any(fnmatch.fnmatchcase(handler.method.name, p) for p in patterns)
