"""The three kinds of sites are separate types (issue 13), and the cache keeps each one's
type through a round trip."""

from __future__ import annotations

import dataclasses

import libcst as cst

from actorlint.diagnostics import Span
from actorlint.model.collect import collect
from actorlint.model.facts import (
    ActorClass, BlockingSite, FileFacts, HandleFact, MessageSite, TimeLimitSite, Timeout, TimeoutAnchor,
)
from actorlint.serial import dumps, loads

SOURCE = '''\
import time

import pykka
from actorlint_runtime import time_limited


class Clock(pykka.ThreadingActor):
    def on_receive(self, message):
        time.sleep(1)
        return time_limited(lambda: 1, 2.5)


def ask():
    return Clock.start().ask("tick")
'''


def test_the_collector_makes_one_type_per_kind() -> None:
    facts = collect(cst.parse_module(SOURCE), "clock.py", "clock")
    by_type = {type(site): site for site in facts.sites}
    assert set(by_type) == {MessageSite, BlockingSite, TimeLimitSite}
    assert by_type[BlockingSite].blocking == "time.sleep" and by_type[BlockingSite].kind == "blocking"
    assert by_type[TimeLimitSite].timeout_value == 2.5 and by_type[TimeLimitSite].kind == "time_limit"
    message = by_type[MessageSite]
    assert (message.kind, message.label, message.timeout) == ("call", "ask", Timeout.MISSING)
    assert not hasattr(by_type[BlockingSite], "target")  # a field of messages only


def test_each_kind_survives_the_cache() -> None:
    span = Span(1, 1, 1, 5)
    sites = (
        MessageSite("ask", span, "m.f", 0, (1,), "call", "pykka", HandleFact("pykka.ref", "m.A"),
                    Timeout.MISSING, edit=TimeoutAnchor(10, 10, "append"), requires=(ActorClass("pykka", "m.A"),)),
        BlockingSite("time.sleep", span, "m.f", 1, (1,), "time.sleep", "sleep", True),
        TimeLimitSite("actorlint_runtime.time_limited", span, None, 2, (1,), 3.0),
    )
    facts = FileFacts("m.py", "m", sites=sites)
    again = loads(dumps(facts), FileFacts)
    assert again.sites == sites and [type(s) for s in again.sites] == [type(s) for s in sites]
    assert len({len(dataclasses.fields(type(s))) for s in sites}) == 3  # told apart by shape
    message = again.sites[0]
    assert type(message.edit) is TimeoutAnchor and message.edit.how == "append"
    assert type(message.requires[0]) is ActorClass and message.requires[0].qualname == "m.A"
