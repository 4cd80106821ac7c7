"""Known-large values, as data: calls whose result is a whole file, data frame or array.

ACT401/ACT402 flag such values when they are sent by value to an actor of a framework
that copies (serializes) messages. Matched by qualified name after import resolution,
like the blocking-call table; methods of instances resolve through their type
(``open(p).read()`` is ``io.TextIOWrapper.read``).
"""

from __future__ import annotations

from typing import Mapping

__all__ = ["BOUNDED_BY_ARGUMENT", "LARGE_VALUE_CALLS", "STATE_CALLS"]

_FILE = "a whole file's contents"
_FRAME = "a data frame"
_ARRAY = "an array"

LARGE_VALUE_CALLS: Mapping[str, str] = {
    # file reads
    "io.TextIOWrapper.read": _FILE,
    "io.TextIOWrapper.readlines": _FILE,
    "io.BufferedReader.read": _FILE,
    "io.BufferedReader.readlines": _FILE,
    "pathlib.Path.read_text": _FILE,
    "pathlib.Path.read_bytes": _FILE,
    "json.load": "a JSON document loaded from a file",
    "pickle.load": "an unpickled file",
    "yaml.safe_load": "a YAML document",
    # data frames
    "pandas.read_csv": _FRAME,
    "pandas.read_parquet": _FRAME,
    "pandas.read_json": _FRAME,
    "pandas.read_excel": _FRAME,
    "pandas.read_sql": _FRAME,
    "pandas.read_feather": _FRAME,
    "pandas.read_pickle": _FRAME,
    "pandas.read_table": _FRAME,
    "pandas.DataFrame": _FRAME,
    "polars.read_csv": _FRAME,
    "polars.read_parquet": _FRAME,
    "polars.DataFrame": _FRAME,
    # arrays
    "numpy.load": _ARRAY,
    "numpy.loadtxt": _ARRAY,
    "numpy.genfromtxt": _ARRAY,
    "numpy.fromfile": _ARRAY,
    "numpy.zeros": _ARRAY,
    "numpy.ones": _ARRAY,
    "numpy.empty": _ARRAY,
    "numpy.full": _ARRAY,
    "numpy.array": _ARRAY,
    "numpy.arange": _ARRAY,
    "numpy.random.rand": _ARRAY,
    "numpy.random.randn": _ARRAY,
    "torch.load": "a loaded tensor or model",
}

# Reads that take a size: ``f.read(4096)`` is bounded, only ``f.read()`` is the whole file.
BOUNDED_BY_ARGUMENT = frozenset({
    "io.TextIOWrapper.read", "io.TextIOWrapper.readlines",
    "io.BufferedReader.read", "io.BufferedReader.readlines",
})

# ``vars(self)``: the sender's whole state.
STATE_CALLS = frozenset({"builtins.vars"})
