"""actorlint-acme: a small actorlint rule pack, the one tests/rules/test_plugins.py installs.

Its distribution declares one entry point in the ``actorlint.rules`` group::

    [project.entry-points."actorlint.rules"]
    acme = "actorlint_acme:RULES"

ACM101  long-call-timeout  a call may wait more than a minute for an actor's reply
"""

from actorlint_acme.calls import LongCallTimeout

__all__ = ["RULES", "LongCallTimeout"]

# What the entry point loads: every rule of the pack.
RULES = [LongCallTimeout]
