"""The former home of the runtime helper, kept so that existing imports keep working.

``time_limited`` and its companions live in ``actorlint_runtime`` (the standard-library-only
``actorlint-runtime`` distribution, which actorlint depends on): an application needs only
that distribution, not the linter. New code imports ``from actorlint_runtime import
time_limited``, which is what ``actorlint check --fix`` writes.
"""

from actorlint_runtime import *  # noqa: F401,F403 - the same names, re-exported
from actorlint_runtime import __all__  # noqa: F401
