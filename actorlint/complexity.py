"""The pre-parse guard: files LibCST cannot parse, or would parse at a ruinous cost.

LibCST's native parser recurses once per level of nesting: on an 8 MB stack it kills the
interpreter (a stack overflow, not a RecursionError) some 1,300 brackets or 8,000
operators deep. Well before that its cost stops being linear. Measured on LibCST 1.x by
bench/complexity.py (docs/security.md has the figures), ordinary code costs about 18 µs
and 2 KB of memory per token, parsed and collected, while a chain (``a[0][0]...``,
``f()()...``, ``x.y.z...``, ``a + b + ...``) or a right-nested expression (``a if b else
c if ...``, ``a ** b ** ...``, ``not not ...``) costs time, and sometimes memory, that
grows with the square of its length: ten lines of 2,490 chained subscripts take a minute.

So before LibCST sees a file, its cost is predicted in **tokens of ordinary code**: its
token count, plus for every expression node its link weight times its weighted depth
(which adds up to the weight times the square of a chain's length). A file predicted to
cost more than the budget (``max-file-tokens``) is reported as too large or too complex
to analyse (ACT000) instead of exhausting the machine.

The prediction is cheap where it can be: a scan of brackets, separators, strings and
comments (a few percent of LibCST's parse time) bounds the cost of long runs of code and
spots places that may nest too deeply; only a file the scan cannot clear is parsed by
CPython (a fraction of LibCST's time) and weighed exactly. The same function decides for
a file that is analysed and for one that is only syntax-checked, so a file's answer does
not depend on which it was.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, Dict, List, Optional, Tuple

from actorlint.source import line_and_column

__all__ = ["DEFAULT_MAX_FILE_TOKENS", "MAX_NESTING", "chain_cost", "count_tokens", "pre_parse_problem"]

#: The default budget, in tokens of ordinary code: about 3.5 MB of typical source, some
#: 9 seconds and 1 GB of memory per worker on the machine the weights were measured on.
DEFAULT_MAX_FILE_TOKENS = 500_000

#: Expression levels beyond which LibCST is not asked. CPython 3.11 and 3.12 refuse
#: chains about 3,000 long; 3.13 accepts 10,000, and LibCST's parser, recursing once per
#: level, overflows an 8 MB stack (killing the interpreter) some 8,000 levels deep.
MAX_NESTING = 3000

Problem = Tuple[str, int, int]  # message, line, column

# --- the scan -----------------------------------------------------------------------------
#
# Deep nesting needs either deep brackets or a long run of code between two separators
# (commas, semicolons, newlines outside brackets) at one bracket depth, not counting what
# nested brackets, strings and comments hold: chains are such runs, while data tables,
# however long, are short runs between commas. Every level of a chain takes at least one
# character of its run, so a run of r characters holds at most r levels and costs at most
# _HEAVIEST_LINK * r * r. The scan errs towards a needless exact weighing, which costs one
# CPython parse of the file.

_SUSPECT_BRACKETS = 100     # bracket nesting worth a check (CPython refuses beyond 200)
_SUSPECT_RUN = 5000         # characters of code between separators worth a check
_SUSPECT_ELIFS = 1000       # each elif nests one level deeper in the tree
_SHORT_RUN = 100            # runs this short are left out of the bound (they cost little)
_SUSPECT_INDENT = re.compile(r"^[ \t\f]{100}", re.MULTILINE)
_SCAN = re.compile(  # comments and strings first: one token each, whatever they hold
    r"\#[^\r\n]*"
    r'|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    r"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    r'|"[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*"'
    r"|'[^'\\\r\n]*(?:\\.[^'\\\r\n]*)*'"
    r"|[(\[{]|[)\]}]|[\n,;]",
    re.DOTALL,
)
_SKIP_SEPARATORS = re.compile(r"[\s,;]*")  # from where a run begins to its first token
# Tokens, roughly as the tokenizer counts them: strings and comments whole, names and
# numbers whole, every other visible character one; line ends are added apart.
_TOKEN = re.compile(
    r"\#[^\r\n]*|'''.*?'''|\"\"\".*?\"\"\"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
    r"|\"[^\"\\\n]*(?:\\.[^\"\\\n]*)*\"|\w+|\S",
    re.DOTALL,
)
_CPYTHON_NESTING = ("too many nested", "too many levels of indentation", "too complex",
                    "stack overflow", "nested too deeply")


def _is_format_string(source: str, quote: int) -> bool:
    """Whether the string whose quote is at offset ``quote`` is an f-string or t-string."""
    prefix = source[max(quote - 2, 0):quote].lower()
    if not prefix[-1:].isalpha():
        return False
    if not prefix[:1].isalpha():
        prefix = prefix[-1:]
    return "f" in prefix or "t" in prefix


def _scan(source: str, allowance: float) -> Optional[int]:
    """The offset of a place that may nest too deeply for LibCST or make the file too
    costly (runs whose squared lengths add up past ``allowance``), or None when none can.

    An unterminated string, or one in a syntax this scan does not know, is read as code:
    that can only make runs and bracket nesting look larger. The fields of an f-string
    are code too, so a long or heavily braced f-string counts as suspect. (One loop, with
    the run bookkeeping inline: it runs on every file, the syntax-only ones included.)
    """
    start = [0]     # per bracket depth: where the current run began
    skipped = [0]   # per bracket depth: characters of that run inside brackets, strings, comments
    opened = [0]    # per bracket depth: where its bracket opened
    squares = 0     # the sum of r * r over the runs longer than _SHORT_RUN
    depth = 0
    for match in _SCAN.finditer(source):
        position = match.start()
        char = source[position]
        if char == "\n" and (depth or source[position - 1:position] == "\\"
                             or source[position - 2:position] == "\\\r"):
            continue  # inside brackets, or escaped: not the end of a logical line
        if char in "\n,;)]}":  # the end of a run
            length = position - start[depth] - skipped[depth]
            if length > _SHORT_RUN:
                squares += length * length
                if length > _SUSPECT_RUN or squares > allowance:
                    return start[depth]
            if char in ")]}":
                if depth:  # a stray closing bracket (in a string the scan misread) is ignored
                    depth -= 1
                    skipped[depth] += position - opened[depth + 1] - 1
            else:
                start[depth], skipped[depth] = position, 0
        elif char in "([{":
            if position - start[depth] - skipped[depth] > _SUSPECT_RUN:
                return start[depth]
            depth += 1
            if depth == len(start):
                if depth > _SUSPECT_BRACKETS:
                    return position
                start.append(position)
                skipped.append(0)
                opened.append(position)
            else:
                start[depth] = opened[depth] = position
                skipped[depth] = 0
        else:  # a comment or a string: one token, however long
            end = match.end()
            if char != "#" and source[position - 1:position].isalpha() and _is_format_string(source, position):
                if end - position > _SUSPECT_RUN or match.group().count("{") > _SUSPECT_BRACKETS:
                    return position
            skipped[depth] += end - position - 1
    length = len(source) - start[depth] - skipped[depth]
    if length > _SUSPECT_RUN or (length > _SHORT_RUN and squares + length * length > allowance):
        return start[depth]
    indent = _SUSPECT_INDENT.search(source)
    if indent is not None:
        return indent.start()
    if source.count("elif") > _SUSPECT_ELIFS:
        return source.find("elif")
    return None


def count_tokens(source: str) -> int:
    """About as many tokens as Python's tokenizer finds in ``source`` (never more than
    twice its length)."""
    return sum(1 for _ in _TOKEN.finditer(source)) + source.count("\n")


# --- the exact weighing -------------------------------------------------------------------
#
# Link weights, in tokens of ordinary code per squared level, measured by
# bench/complexity.py on ten-line files of one construct (LibCST 1.x, CPython 3.11): the
# larger of the time and the memory cost, each divided by what a token of
# ordinary code costs. What each node costs depends on the field it hangs from: the left
# operand of `+` extends a cheap chain, the right operand of `**` a costly one.
_WEIGHT_SQUARED = {
    (ast.Subscript, "value"): 0.046,
    (ast.Call, "func"): 0.016,
    (ast.Attribute, "value"): 0.0098,
    (ast.BinOp, "left"): 0.0073,
    (ast.BinOp, "right"): 0.057,
    (ast.IfExp, "body"): 0.086,
    (ast.IfExp, "test"): 0.086,
    (ast.IfExp, "orelse"): 0.086,
    (ast.UnaryOp, "operand"): 0.027,
    (ast.Lambda, "body"): 0.09,
    (ast.BoolOp, "values"): 0.002,
}
_HEAVIEST_LINK = max(_WEIGHT_SQUARED.values())
_WEIGHT = {key: value ** 0.5 for key, value in _WEIGHT_SQUARED.items()}
_LEAVES = (ast.Name, ast.Constant, ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
_OTHER_WEIGHT = 0.1  # any other nesting (brackets, comprehensions): CPython caps it at 200


class _Weighing:
    """The exact cost of a parsed file: its heaviest statement and deepest nesting."""

    def __init__(self, tree: ast.Module) -> None:
        self.cost = 0.0
        self.heaviest: Optional[ast.AST] = None  # the statement adding the most cost
        self.deep: Optional[ast.AST] = None      # a statement nested past MAX_NESTING
        self._weigh(tree)

    def _weigh(self, tree: ast.Module) -> None:
        statement_cost: Dict[int, Tuple[float, ast.AST]] = {}  # id: the cost a statement's expressions add
        # (node, its weighted depth in its statement, its nesting depth, that statement)
        stack: List[Tuple[ast.AST, float, int, ast.AST]] = [(tree, 0.0, 0, tree)]
        while stack:
            node, weighted, depth, statement = stack.pop()
            if isinstance(node, ast.stmt):
                statement, weighted = node, 0.0
            # ``a and b and c`` is one node for CPython but a chain for LibCST: its
            # operands nest one level deeper each.
            chained = isinstance(node, ast.BoolOp)
            step = len(node.values) - 1 if chained else 1  # type: ignore[attr-defined]
            if depth + step > MAX_NESTING and self.deep is None:
                self.deep = statement  # the innermost statement, where the nesting is
            for field, value in ast.iter_fields(node):
                weight = _WEIGHT.get((type(node), field), _OTHER_WEIGHT)
                children = value if isinstance(value, list) else (value,)
                for index, child in enumerate(children):
                    if not isinstance(child, ast.AST) or isinstance(child, _LEAVES):
                        continue  # a leaf: its cost is its token's (the weights include it)
                    below = weighted + weight * (index + 1 if chained else 1)
                    stack.append((child, below, depth + step, statement))
                    if isinstance(child, ast.stmt):
                        continue
                    added = 2 * below * weight  # summed along a chain: weight² × length²
                    self.cost += added
                    so_far = statement_cost.get(id(statement), (0.0, statement))[0]
                    statement_cost[id(statement)] = (so_far + added, statement)
        if statement_cost:  # the heaviest statement; the first in the file of equals
            self.heaviest = max(statement_cost.values(),
                                key=lambda item: (item[0], -getattr(item[1], "lineno", 0)))[1]


def chain_cost(tree: ast.Module) -> float:
    """What a parsed file's chains and nesting add to its tokens, in tokens of ordinary code."""
    return _Weighing(tree).cost


def pre_parse_problem(source: str, budget: int, parse: Callable[[], ast.Module]) -> Optional[Problem]:
    """Why ``source`` must not be handed to LibCST (a message and its position), or None.

    ``budget`` is the largest predicted cost, in tokens of ordinary code; ``parse``
    returns CPython's tree of ``source`` (it is called only when the scan cannot clear
    the file) and raises as ``compile`` does.
    """
    tokens = count_tokens(source) if 2 * len(source) > budget else None
    if tokens is not None and tokens > budget:
        return (f"Cannot analyse file: it is too large (about {tokens:,} tokens; "
                f"`max-file-tokens` is {budget:,})", 1, 1)
    allowance = (budget - (2 * len(source) if tokens is None else tokens)) / _HEAVIEST_LINK
    suspect = _scan(source, allowance)
    if suspect is None:
        return None
    where = line_and_column(source, _SKIP_SEPARATORS.match(source, suspect).end())
    nested = "Cannot parse file: it is nested too deeply"
    try:
        tree = parse()
    except (RecursionError, MemoryError):
        return (nested, *where)
    except SyntaxError as error:
        if any(words in str(error.msg) for words in _CPYTHON_NESTING):
            return f"{nested} ({error.msg})", error.lineno or 1, max(error.offset or 1, 1)
        # An ordinary syntax error past a deep chain (a file cut short) would still crash
        # LibCST on the way to it, so CPython's account stands; the price is an ACT000 for
        # a file this deep in syntax only newer Pythons accept.
        return f"SyntaxError: {error.msg}", error.lineno or 1, max(error.offset or 1, 1)
    except ValueError:
        return None
    weighing = _Weighing(tree)
    if weighing.deep is not None:
        return (f"{nested} (more than {MAX_NESTING:,} levels)", *_position(weighing.deep, where))
    total = (count_tokens(source) if tokens is None else tokens) + round(weighing.cost)
    if total > budget:
        assert weighing.heaviest is not None
        return (f"Cannot analyse file: it is too complex (its chains of calls, subscripts, attributes "
                f"or operators, the heaviest here, cost as much as {total:,} tokens of plain code; "
                f"`max-file-tokens` is {budget:,})", *_position(weighing.heaviest, where))
    return None


def _position(node: ast.AST, fallback: Tuple[int, int]) -> Tuple[int, int]:
    return getattr(node, "lineno", fallback[0]), getattr(node, "col_offset", fallback[1] - 1) + 1
