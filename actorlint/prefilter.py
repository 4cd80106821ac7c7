"""Which files need a full parse: a cheap text check in rounds (architecture.md).

Round one picks the files that name a framework (``pykka``, ``celery``, a declared
framework's modules ...) as a whole word. Every later round picks the files that name
something an earlier round found together with the module it lives in: an actor class or
task, a framework value other files may import (``app = Celery()`` in ``shop/celery.py``),
or a re-exported framework base. Inference across the program adds two kinds of pick:
a file defining a function or class that an analysed file passes a handle to (or takes
a value from) or that an actor class is based on; in a package using a framework with a
contract (Mopidy), a file spelling a parameter the contract fills (``core``); and a file
of a class's own package spelling the class, when its instances carry a handle in an
attribute (``context.core`` of ``context: MpdContext``). The rounds stop when nothing new
is picked.

A file that is never picked cannot hold anything the rules judge: no actor, handler or
message can be written without naming a framework or an actor. Such a file is only
checked for syntax, with CPython's own parser, and parsed in full when that fails, so
that its ACT000 reads the same as without the prefilter. ``tests/pipeline/test_prefilter.py``
checks that the diagnostics are the same with the prefilter on and off.
"""

from __future__ import annotations

import re
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from actorlint.model.facts import ProjectFacts
from actorlint.model.frameworks import Catalog
from actorlint.model.inference import imports_any, solve
from actorlint.model.module_keys import as_written
from actorlint.model.values import Symbol, read_assumption

__all__ = ["FileWords", "PairMatcher", "WordMatcher", "framework_matcher", "framework_words", "names_found",
           "word_pattern"]


def framework_words(catalog: Catalog) -> Set[str]:
    """Words a file that uses a framework must contain: the top-level modules of the
    built-in frameworks (their names resolve only through an import of that module), and
    every part of a declared framework's actor bases and decorators (an in-house package
    often re-exports its base class: ``from myapp import Actor``)."""
    words: Set[str] = set(catalog.frameworks)
    for qualname in _entry_points(catalog) | set(catalog.functions):
        words.add(qualname.split(".", 1)[0])
    for name, spec in catalog.frameworks.items():
        if spec.instance_role is not None:  # declared in config
            for qualname in spec.actor_bases + spec.actor_decorators:
                words.update(qualname.split("."))
    return {word for word in words if word.isidentifier()}


def names_found(project: ProjectFacts, catalog: Catalog) -> Set[Tuple[str, str]]:
    """What the files analysed so far define for other files to use, as (name, module)
    word pairs: a file that uses ``start`` from ``shop.tasks`` spells both ``start`` and
    ``tasks`` (``from shop.tasks import start``, ``from shop import tasks; tasks.start``),
    so it is picked only when it contains both words. Names are actors and tasks, framework
    values other modules import (a Celery app), and names bound to a framework's actor base
    or decorator (a re-export); modules are their module's last component."""
    pairs: Set[Tuple[str, str]] = set()
    entry_points = _entry_points(catalog)
    relevant: Set[str] = set()
    for qualname in project.actors:
        module, _, name = as_written(qualname).rpartition(".")
        pairs.add((name, module.rpartition(".")[2]))
        relevant.add(qualname)
    for facts in project.files:
        for name in facts.instances:
            pairs.add((name, as_written(facts.module).rpartition(".")[2]))
            relevant.add(f"{facts.module}.{name}")
    for facts in project.files:
        module = as_written(facts.module).rpartition(".")[2]
        for name, target in facts.imports.items():
            if target in entry_points or target in relevant:
                pairs.add((name, module))  # ``from shop import app`` after a re-export
    found = {(name, module) for name, module in pairs if name.isidentifier() and module.isidentifier()}
    return found | _flow_pairs(project, catalog)


# Pairs whose second part is not a module word: ``(name, DEFINES)`` picks a file defining
# ``name`` (``def name`` / ``class name``); ``(param, IN_PACKAGE + top)`` picks a file of
# package ``top`` that spells ``param``.
DEFINES = "<defines>"
IN_PACKAGE = "<package>"


def _flow_pairs(project: ProjectFacts, catalog: Catalog) -> Set[Tuple[str, str]]:
    """What inference across the program needs parsed too: the functions and classes that
    analysed files pass handles (or symbols) to, or take values from, the bases of their
    actor classes (whose methods are handlers too), and, in a package using a framework
    with a contract, the files spelling a parameter it injects."""
    defined = {facts.module for facts in project.files if facts.parsed}
    pairs: Set[Tuple[str, str]] = set()

    def want(qualname: str) -> None:
        owner = qualname
        while "." in owner:
            owner = owner.rpartition(".")[0]
            if owner in defined:
                return  # defined in an analysed file
        name = as_written(qualname).rpartition(".")[2]
        if name.isidentifier():
            pairs.add((name, DEFINES))

    for facts in project.files:
        for call in facts.flows.calls:
            # A handle passed on (a symbol passed on may be one too, but picking every
            # callee of every parameter would parse most of a tree for little).
            if call.how != "super" and any(source is not None and source.symbol is None for source in (
                    *call.positional, *(s for _, s in call.keywords))):
                want(call.callee)
        for shape in facts.flows.classes:
            if shape.qualname in project.actors:
                for base in shape.bases:  # a mixin's methods are the actor's handlers
                    want(base)
        for site in facts.sites:
            target = getattr(site, "target", None)
            assumption = read_assumption(target.actor) if target is not None else None
            if assumption is not None and assumption[1].kind == Symbol.RETURNED:
                want(assumption[1].owner)
    pairs.update(_handle_holders(project, catalog))
    for spec in catalog.frameworks.values():
        if not spec.injects:
            continue
        for facts in project.files:
            if imports_any(facts.flows.imported, spec.modules):
                package = as_written(facts.module).partition(".")[0]
                pairs.update((param, IN_PACKAGE + package) for param, _, _ in spec.injects)
    return pairs


def _handle_holders(project: ProjectFacts, catalog: Catalog) -> Set[Tuple[str, str]]:
    """Classes whose instances carry a handle to an actor or task in an attribute, as the
    files analysed so far solve it: code that names no framework reaches the actor through them
    (``context.core.playback.get_state().get()`` with ``context: MpdContext``)."""
    held: Dict[Symbol, str] = {}
    for facts in project.files:
        for shape in facts.flows.classes:
            if shape.qualname not in project.actors:
                held.update((Symbol(Symbol.ATTRIBUTE, shape.qualname, attr), facts.module)
                            for attr, source in shape.attributes if source is not None)
    if not held:
        return set()
    solved = solve(project.files, held, project.canonical, catalog)
    pairs = set()
    for symbol in solved.keys() & held.keys():
        if solved[symbol].role not in catalog.named_roles:
            continue  # a result or a group, not a handle to an actor
        # A file of the class's own package that spells its name (a common name, such as
        # ``Channel``, is spelled in other packages for other classes).
        package = as_written(held[symbol]).partition(".")[0]
        name = symbol.owner.rpartition(".")[2]
        if name.isidentifier():
            pairs.add((name, IN_PACKAGE + package))
    return pairs


_FRAMEWORK_MATCHERS: Dict[int, Tuple[Catalog, "WordMatcher"]] = {}


def framework_matcher(catalog: Catalog) -> "WordMatcher":
    """The matcher of ``framework_words(catalog)``, built once per catalog."""
    known = _FRAMEWORK_MATCHERS.get(id(catalog))
    if known is None or known[0] is not catalog:
        known = _FRAMEWORK_MATCHERS[id(catalog)] = (catalog, WordMatcher(framework_words(catalog)))
    return known[1]


class WordMatcher:
    """Whether a file's bytes contain any of a few words as a whole word."""

    def __init__(self, words: Iterable[str]) -> None:
        unique = sorted(set(words))
        self._words = [word.encode("utf-8") for word in unique]
        self._pattern = word_pattern(unique)

    def search(self, data: bytes, module: str = "") -> bool:
        # A substring test is far cheaper than the pattern, and most files fail it.
        return any(word in data for word in self._words) and self._pattern.search(data) is not None


class FileWords:
    """The whole words of each file's bytes, found once and kept for every round."""

    def __init__(self) -> None:
        self._found: Dict[int, Tuple[bytes, FrozenSet[bytes]]] = {}

    def of(self, data: bytes) -> FrozenSet[bytes]:
        entry = self._found.get(id(data))
        if entry is None:
            # The bytes are kept with their words, so that their id is never reused.
            entry = self._found[id(data)] = (data, frozenset(_WORD.findall(data)))
        return entry[1]


class PairMatcher:
    """Whether a file's bytes contain both words of any (name, module) pair.

    A file's words are a set (see FileWords), so a round costs set lookups however many
    pairs it has. A word with a byte outside ASCII is not one token of that set: such
    words are looked for with a pattern instead.
    """

    def __init__(self, pairs: Iterable[Tuple[str, str]], file_words: FileWords) -> None:
        self._file_words = file_words
        self._names_by_module: Dict[bytes, Set[bytes]] = {}
        defined: List[str] = []
        self._package_words: Dict[str, Set[bytes]] = {}
        for name, module in pairs:
            if module == DEFINES:
                defined.append(name)
            elif module.startswith(IN_PACKAGE):
                self._package_words.setdefault(module[len(IN_PACKAGE):], set()).add(name.encode("utf-8"))
            else:
                self._names_by_module.setdefault(module.encode("utf-8"), set()).add(name.encode("utf-8"))
        self._defined = defined
        self._definitions = _definition_pattern(defined) if defined else None
        self._other_modules = [m for m in self._names_by_module if not _WORD.fullmatch(m)]
        self._patterns: Dict[bytes, "re.Pattern[bytes]"] = {}
        self._named_definitions: Optional["re.Pattern[bytes]"] = None

    def _has(self, data: bytes, words: FrozenSet[bytes], word: bytes) -> bool:
        if _WORD.fullmatch(word):
            return word in words
        pattern = self._patterns.get(word)
        if pattern is None:
            pattern = self._patterns[word] = word_pattern([word.decode("utf-8")])
        return pattern.search(data) is not None

    def matched(self, data: bytes, module: str = "") -> FrozenSet[Tuple[str, str]]:
        """Every pair the file holding ``data`` matches (empty exactly when ``search``
        is False): what decides, round after round, whether the file is picked."""
        found: Set[Tuple[str, str]] = set()
        if self._definitions is not None:
            if self._named_definitions is None:
                self._named_definitions = _definition_pattern(self._defined, capture=True)
            found.update((name.decode("utf-8"), DEFINES) for name in self._named_definitions.findall(data))
        top = as_written(module).partition(".")[0]
        in_package = self._package_words.get(top)
        if in_package:
            found.update((name.decode("utf-8"), IN_PACKAGE + top)
                         for name in in_package.intersection(self._file_words.of(data)))
        if self._names_by_module:
            words = self._file_words.of(data)
            for module_word, names in self._names_by_module.items():
                if self._has(data, words, module_word):
                    found.update((name.decode("utf-8"), module_word.decode("utf-8"))
                                 for name in names if self._has(data, words, name))
        return frozenset(found)

    def search(self, data: bytes, module: str = "") -> bool:
        """Whether the file holding ``data`` (module ``module``) is picked."""
        if self._definitions is not None and self._definitions.search(data) is not None:
            return True
        in_package = self._package_words.get(as_written(module).partition(".")[0])
        if in_package and not in_package.isdisjoint(self._file_words.of(data)):
            return True
        if not self._names_by_module:
            return False
        words = self._file_words.of(data)
        modules = set(words.intersection(self._names_by_module))
        modules.update(m for m in self._other_modules if self._has(data, words, m))
        return any(self._has(data, words, name) for module in modules for name in self._names_by_module[module])


def _entry_points(catalog: Catalog) -> Set[str]:
    """The qualified names through which code makes actors: bases and decorators."""
    found: Set[str] = set()
    for spec in catalog.frameworks.values():
        found.update(spec.actor_bases + spec.actor_decorators + spec.task_decorators)
    return found


def _definition_pattern(names: Iterable[str], capture: bool = False) -> "re.Pattern[bytes]":
    """A pattern matching ``def name`` or ``class name`` for any of ``names`` (``capture``:
    with the name as its group)."""
    group = b"(" if capture else b"(?:"
    return re.compile(rb"(?<![\w])(?:def|class)[ \t]+" + group + _alternatives(names) + rb")(?![\w])")


# A whole word as the patterns below see one: a run of ASCII word bytes.
_WORD = re.compile(rb"\w+")


def word_pattern(words: Iterable[str]) -> "re.Pattern[bytes]":
    """A pattern matching any of ``words`` as a whole word, in a file's raw bytes."""
    return re.compile(rb"(?<![\w])(?:" + _alternatives(words) + rb")(?![\w])")


def _alternatives(words: Iterable[str]) -> bytes:
    """``words`` as regex alternatives, longest first (so none shadows a longer one)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return b"|".join(re.escape(word.encode("utf-8")) for word in ordered)
