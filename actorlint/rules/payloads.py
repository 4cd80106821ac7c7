"""Payloads: large values copied into messages by frameworks that serialize them.

ACT401  large-payload-in-message  a known-large value is sent by value to an actor
ACT402  repeated-large-argument   the same large value is sent by value inside a loop
"""

from __future__ import annotations

from typing import Iterator, Optional

from actorlint.diagnostics import Applicability, Diagnostic, Edit, Fix
from actorlint.model.facts import FileFacts, Payload, ProjectFacts
from actorlint.rules._context import capitalized
from actorlint.rules.base import FileRule

__all__ = ["LargePayloadInMessage", "RepeatedLargeArgument"]

def _display_name(project: ProjectFacts, framework: str) -> str:
    """A framework's name as its users write it (``Ray``)."""
    spec = project.frameworks.get(framework)
    return spec.display_name if spec is not None and spec.display_name else framework


def _large(payload: Payload, threshold: int) -> bool:
    """Known-large: always for loads, state and frames; literals strictly above the threshold."""
    return payload.size is None or payload.size > threshold


def _payloads(facts: FileFacts, project: ProjectFacts, threshold: int) -> Iterator[Payload]:
    for payload in project.payloads.get(facts.path, ()):
        if _large(payload, threshold):
            yield payload


class LargePayloadInMessage(FileRule):
    """## What it does
    Checks for messages to actors of frameworks that copy messages (Ray, Thespian) that
    carry a known-large value: a whole file's contents (`.read()`, `read_text`,
    `read_bytes`, `json.load`, `pickle.load`), a data frame or array load or constructor,
    a literal collection of more than `large-literal` items, a comprehension over a
    larger `range`, or the sender's whole state (`self`, `vars(self)`,
    `self.__dict__`), directly or through a local variable.

    ## Why is this bad?
    Ray and Thespian serialize every argument: the value is copied into the message, and
    again for every message that carries it. Large messages cost memory and time on both
    sides and in between, and a slow, memory-hungry actor system is the result. Send a
    reference instead: a path or an ID the actor can load itself, or for Ray an object
    reference from `ray.put` that is stored once in the object store.

    Pykka passes messages by reference inside one process, so nothing sent to a Pykka
    actor is reported.

    ## Example
    ```python
    import ray


    @ray.remote
    class Indexer:
        def index(self, text):
            return len(text.split())


    def index_file(path):
        indexer = Indexer.remote()
        text = open(path).read()
        return ray.get(indexer.index.remote(text), timeout=60)
    ```

    Use instead:
    ```python
    import ray


    @ray.remote
    class Indexer:
        def index(self, path):
            with open(path) as handle:  # the actor reads the file itself
                return len(handle.read().split())


    def index_file(path):
        indexer = Indexer.remote()
        return ray.get(indexer.index.remote(path), timeout=60)
    ```

    ## Options
    - `large-literal`

    ## References
    - [Ray: pass large arguments by reference (ray.put)](https://docs.ray.io/en/latest/ray-core/patterns/pass-large-arg-by-value.html)
    """

    code = "ACT401"
    name = "large-payload-in-message"
    summary = "A known-large value is copied into a message"

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        for payload in _payloads(facts, project, self.settings.large_literal):
            yield self.diagnostic(
                facts.path, payload.span,
                f"A message to a {_display_name(project, payload.framework)} "
                f"actor carries {payload.reason}, copied into the message",
                statement_lines=payload.statement_lines,
            )


class RepeatedLargeArgument(FileRule):
    """## What it does
    Checks for a known-large value (see ACT401) bound outside a loop and sent by value in
    a message inside the loop, so that it is copied again on every iteration.

    ## Why is this bad?
    Each message serializes its arguments afresh: a 100 MB frame sent to 50 actors in a
    loop is copied 50 times. Put it in Ray's object store once with `ray.put` before the
    loop and pass the reference: Ray resolves an object reference passed as a top-level
    argument back into the value for the receiving method, without another copy.

    ## Example
    ```python
    import numpy as np
    import ray


    @ray.remote
    class Scorer:
        def score(self, weights, row):
            return float(weights[row])


    def score_all(rows):
        weights = np.load("weights.npy")
        scorer = Scorer.remote()
        refs = [scorer.score.remote(weights, row) for row in rows]
        for row in rows:
            refs.append(scorer.score.remote(weights, row))
        return ray.get(refs, timeout=600)
    ```

    Use instead:
    ```python
    import ray


    @ray.remote
    class Scorer:
        def score(self, weights, row):
            return float(weights[row])


    def score_all(rows, weights_ref):
        scorer = Scorer.remote()
        refs = []
        for row in rows:
            refs.append(scorer.score.remote(weights_ref, row))
        return ray.get(refs, timeout=600)
    ```

    ## Fix safety
    For Ray, the fix adds `<name>_ref = ray.put(<name>)` before the loop and sends
    `<name>_ref` instead. It is unsafe: the value is frozen when it is put, so changes
    made to it inside the loop no longer reach the actor, and the receiving method gets
    a read-only copy for NumPy arrays. Nested references (a `ray.put` result inside a
    list) are not resolved by Ray, so only top-level arguments are rewritten. No fix is
    offered for Thespian.

    ## Options
    - `large-literal`

    ## References
    - [Ray: anti-pattern, passing the same large argument by value repeatedly](https://docs.ray.io/en/latest/ray-core/patterns/pass-large-arg-by-value.html)
    """

    code = "ACT402"
    name = "repeated-large-argument"
    summary = "The same large value is copied into a message on every loop iteration"
    fix_applicability = Applicability.UNSAFE

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        for payload in _payloads(facts, project, self.settings.large_literal):
            if not payload.repeated:
                continue
            yield self.diagnostic(
                facts.path, payload.span,
                f"{capitalized(payload.reason)} is copied into a message on "
                "every iteration of the loop",
                statement_lines=payload.statement_lines, fix=_hoist(payload),
            )


def _hoist(payload: Payload) -> Optional[Fix]:
    if payload.hoist is None:
        return None
    anchor = payload.hoist
    line = f"{anchor.indent}{anchor.ref_name} = {anchor.store}({anchor.value_name})\n"
    return Fix(
        f"Put it in the object store before the loop (`{anchor.ref_name}`)", Applicability.UNSAFE,
        (Edit(anchor.offset, anchor.offset, line), Edit(anchor.start, anchor.end, anchor.ref_name)),
    )
