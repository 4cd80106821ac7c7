"""How a limited call ended, as the modes report it to the wrappers."""

OK = 0          # returned: (OK, value)
ERROR = 1       # raised: (ERROR, exception)
TIMED_OUT = 2   # ran past its limit: (TIMED_OUT, where it was, or None)
REFUSED = 3     # not started, too many abandoned bodies: (REFUSED, how many)
