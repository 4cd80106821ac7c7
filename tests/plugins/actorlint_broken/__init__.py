"""actorlint-broken: a rule pack that cannot be imported (a dependency is missing).

tests/rules/test_plugins.py installs it to check that actorlint warns about it and goes on.
"""

from actorlint_acme_extras import RULES  # noqa: F401  (not installed anywhere, on purpose)
