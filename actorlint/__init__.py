"""actorlint: a linter for Python actor and task code.

Importing this package must stay cheap: it imports neither libcst nor click.
"""

__version__ = "0.1.0"
