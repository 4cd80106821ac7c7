"""Rule codes and the selectors that pick them (``ALL``, ``ACT``, ``ACT1``, ``ACM101``)."""

from __future__ import annotations

import re
from typing import Iterable, Tuple

__all__ = [
    "BUILTIN_LETTERS", "CODE_PATTERN", "PARSE_ERROR_CODE", "PLUGIN_CODE_PATTERN", "best_specificity",
    "selector_matches", "selector_parts", "selector_specificity",
]

#: A rule code or a prefix of one, as accepted by ``select``, ``ignore`` and friends:
#: ``ALL``; a built-in ``ACT`` code or prefix (``ACT``, ``ACT1``, ``ACT101``); or a
#: plugin's code or prefix (``ACM``, ``ACM1``, ``ACM101``). A code is an upper-case
#: prefix of letters and a number; a selector names a prefix exactly and may add the
#: number's first digits, so ``AC`` never selects ``ACM101`` (as in Ruff).
#: ACT and every prefix starting with it are reserved for the built-in rules, so that a
#: typo such as ``ACTT`` is an error rather than a plugin prefix selecting nothing.
CODE_PATTERN = re.compile(r"ALL|ACT[0-9]{0,3}|(?!ACT|ALL(?![A-Z]))[A-Z]{1,5}[0-9]{0,4}")

#: The code of a rule from a plugin (entry point group ``actorlint.rules``): 1-5
#: upper-case letters other than the reserved ones, then 3 or 4 digits (``ACM101``).
PLUGIN_CODE_PATTERN = re.compile(r"(?!ACT|ALL(?![A-Z]))[A-Z]{1,5}[0-9]{3,4}")

# A valid selector split into its letters and its digits.
_SELECTOR_PARTS = re.compile(r"([A-Z]+)([0-9]*)")

#: The code of "this file could not be read or parsed"; it can never be turned off.
PARSE_ERROR_CODE = "ACT000"

# The letters of every built-in rule code.
BUILTIN_LETTERS = "ACT"



def selector_parts(text: str) -> Tuple[str, str]:
    """The letters and digits of a code or selector (``("ACM", "1")`` for ``ACM1``)."""
    match = _SELECTOR_PARTS.fullmatch(text)
    return (match.group(1), match.group(2)) if match else (text, "")


def selector_matches(selector: str, code: str) -> bool:
    """Whether a selector (``"ALL"``, a code, or a code prefix) covers ``code``.

    The letters must be equal and the selector's digits must start the code's number:
    ``ACM1`` covers ``ACM101``; ``AC`` covers neither ``ACM101`` nor ``ACT101``.
    """
    if selector == "ALL":
        return True
    letters, digits = selector_parts(selector)
    code_letters, code_digits = selector_parts(code)
    return letters == code_letters and code_digits.startswith(digits)


def selector_specificity(selector: str) -> int:
    """How specific a selector is: ``ALL`` 0, ``ACT`` 1, ``ACT1`` 2 ... ``ACT101`` 4
    (likewise ``ACM`` 1 ... ``ACM101`` 4 for a plugin's codes)."""
    return 0 if selector == "ALL" else 1 + len(selector_parts(selector)[1])


def best_specificity(selectors: Iterable[str], code: str) -> int:
    """The specificity of the most specific selector covering ``code``, or -1."""
    return max((selector_specificity(s) for s in selectors if selector_matches(s, code)), default=-1)
