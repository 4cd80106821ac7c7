"""The blocking-call table names real objects, real parameters, and resolves aliases.

Third-party entries (requests, httpx, urllib3, psycopg2, psycopg, PyMySQL) are checked
when those packages are importable and skipped otherwise; run this file once with an
interpreter that has them to check those too.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
import threading
import time
import warnings
from typing import Any, List, Optional, Set, Tuple

import pytest

from actorlint.model import blocking
from actorlint.model.blocking import (
    ALIASES,
    BLOCKING_CALLS,
    CATEGORIES,
    EXCLUDED,
    FOREVER_TIMEOUT_LITERALS,
    INSTANCE_TYPES,
    BlockingCall,
    Param,
    Symbol,
    canonical_name,
    forever_timeout_literals,
    instance_type,
    lookup,
    with_extensions,
)

# Packages that need not be installed: their entries are skipped when they are missing.
OPTIONAL_ROOTS = {"requests", "httpx", "urllib3", "psycopg2", "psycopg", "pymysql", "ray",
                  "telnetlib", "tornado", "serial"}  # telnetlib left the standard library in 3.13

# Canonical type names that are factory functions at run time on some versions: the
# class whose methods the table means. (threading.Lock is _thread.allocate_lock before
# 3.13.)
RUNTIME_CLASSES = {"threading.Lock": type(threading.Lock())}

# Context managers whose request is sent on entry; entered at the call in practice.
CONTEXT_MANAGER_ENTRIES = {"httpx.stream", "httpx.Client.stream"}

_MISSING = object()


def _import(module: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # telnetlib
        return importlib.import_module(module)


def resolve(qualname: str, *, owner_classes: bool = True) -> Any:
    """Import the longest module prefix of ``qualname`` and getattr the rest.

    Skips the test when an optional package is missing; returns ``_MISSING`` when a
    name does not exist.
    """
    parts = qualname.split(".")
    root = parts[0]
    try:
        _import(root)
    except ImportError:
        if root in OPTIONAL_ROOTS:
            pytest.skip(f"{root} is not installed")
        raise
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            obj = _import(module_name)
        except ModuleNotFoundError:
            continue
        break
    else:  # pragma: no cover
        raise AssertionError(f"cannot import any prefix of {qualname}")
    for index in range(cut, len(parts)):
        prefix = ".".join(parts[:index])
        if owner_classes and prefix in RUNTIME_CLASSES:
            obj = RUNTIME_CLASSES[prefix]
        obj = getattr(obj, parts[index], _MISSING)
        if obj is _MISSING:
            return _MISSING
    if owner_classes and qualname in RUNTIME_CLASSES and len(parts) > cut:
        obj = RUNTIME_CLASSES[qualname]
    return obj


def resolve_existing(qualname: str, **kwargs: Any) -> Any:
    obj = resolve(qualname, **kwargs)
    assert obj is not _MISSING, f"{qualname} does not exist"
    return obj


def owner_of(qualname: str) -> Tuple[str, Any]:
    owner = qualname.rpartition(".")[0]
    return owner, resolve_existing(owner)


def _doc_params(obj: Any) -> Optional[List[Tuple[str, str]]]:
    """Parameters from a builtin's docstring first line: ``acquire(blocking=True, timeout=-1)``."""
    doc = inspect.getdoc(obj) or ""
    match = re.match(r"\s*\w+\((.*?)\)", doc)
    if match is None:
        return None
    params = []
    for raw in match.group(1).split(","):
        name = raw.split("=")[0].strip().strip("[]").strip()
        if name and name not in ("/", "*") and not name.startswith("*"):
            params.append((name, "POSITIONAL_OR_KEYWORD"))
    return params


def signature_params(obj: Any) -> Tuple[List[Tuple[str, str]], bool]:
    """``([(name, kind name)], takes **kwargs)`` with ``self`` dropped."""
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        params = _doc_params(obj)
        assert params is not None, f"no signature for {obj!r}"
        var_keyword = False
    else:
        params = [(p.name, p.kind.name) for p in signature.parameters.values()]
        var_keyword = any(kind == "VAR_KEYWORD" for _, kind in params)
    if params and params[0][0] in ("self", "$self"):
        params = params[1:]
    return params, var_keyword


def check_param(qualname: str, param: Param) -> None:
    obj = resolve_existing(qualname)
    params, var_keyword = signature_params(obj)
    if param.position is not None:
        assert param.position < len(params), f"{qualname}: {param} beyond {params}"
        name, kind = params[param.position]
        assert name == param.name, f"{qualname}: position {param.position} is {name}, not {param.name}"
        assert kind in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD"), f"{qualname}: {name} is {kind}"
    else:
        named = {name for name, kind in params if kind in ("POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY")}
        assert param.name in named or var_keyword, f"{qualname}: no parameter {param.name} in {params}"


def _all_params(entry: BlockingCall) -> List[Param]:
    params = [param for param, _ in entry.nonblocking]
    if entry.timeout is not None:
        params.append(entry.timeout)
    if entry.requires is not None:
        params.append(entry.requires)
    return params


def _symbols() -> Set[str]:
    return {value.qualname for entry in BLOCKING_CALLS.values()
            for _, value in entry.nonblocking if isinstance(value, Symbol)}


# ---------------------------------------------------------------------------------------
# Every name is real.

@pytest.mark.parametrize("qualname", sorted(BLOCKING_CALLS))
def test_blocking_call_exists_and_is_callable(qualname: str) -> None:
    obj = resolve_existing(qualname)
    assert callable(obj), f"{qualname} is not callable"
    # A generator or coroutine function does nothing when called: it would not block.
    target = inspect.unwrap(obj) if qualname not in CONTEXT_MANAGER_ENTRIES else None
    if target is not None:
        assert not inspect.isgeneratorfunction(target), f"{qualname} is a generator function"
        assert not inspect.iscoroutinefunction(target), f"{qualname} is a coroutine function"


@pytest.mark.parametrize("qualname", sorted(INSTANCE_TYPES))
def test_instance_factory_exists(qualname: str) -> None:
    assert callable(resolve_existing(qualname))


@pytest.mark.parametrize("qualname", sorted(set(INSTANCE_TYPES.values())))
def test_instance_type_is_a_class(qualname: str) -> None:
    assert isinstance(resolve_existing(qualname), type), qualname


@pytest.mark.parametrize("factory", sorted(INSTANCE_TYPES))
def test_class_factories_are_subclasses_of_their_type(factory: str) -> None:
    obj = resolve_existing(factory, owner_classes=False)
    if not isinstance(obj, type):
        return  # a factory function: nothing to compare
    type_obj = resolve_existing(INSTANCE_TYPES[factory])
    assert issubclass(obj, type_obj), f"{factory} is not a {INSTANCE_TYPES[factory]}"


def test_no_instance_type_hides_inherited_blocking_methods() -> None:
    """A type that subclasses another type of the table would miss the base's methods."""
    owners = {qualname.rpartition(".")[0] for qualname in BLOCKING_CALLS}
    types = {}
    for name in set(INSTANCE_TYPES.values()):
        try:
            types[name] = resolve_existing(name)
        except pytest.skip.Exception:
            continue
    for name, cls in types.items():
        for base_name, base in types.items():
            if base_name != name and base_name in owners and issubclass(cls, base):
                raise AssertionError(f"{name} subclasses {base_name}: map it to {base_name}")


@pytest.mark.parametrize("qualname", sorted(set(BLOCKING_CALLS) | set(INSTANCE_TYPES)))
def test_methods_are_reachable_through_instance_types(qualname: str) -> None:
    """A method spelled on a class can be produced: the class is some factory's type."""
    owner, owner_obj = owner_of(qualname)
    if inspect.ismodule(owner_obj) or owner in INSTANCE_TYPES and INSTANCE_TYPES[owner] != owner:
        return
    if isinstance(owner_obj, type) or owner in RUNTIME_CLASSES:
        assert owner in set(INSTANCE_TYPES.values()), f"nothing returns a {owner}"


@pytest.mark.parametrize("qualname", sorted(_symbols()))
def test_symbols_exist(qualname: str) -> None:
    assert isinstance(resolve_existing(qualname), int)


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_alias_is_the_same_object(alias: str) -> None:
    target = ALIASES[alias]
    alias_obj = resolve_existing(alias)
    target_obj = resolve_existing(target)
    # Bound class methods (psycopg.connect) are equal, not identical.
    assert alias_obj is target_obj or alias_obj == target_obj, f"{alias} is not {target}"


def test_aliases_are_canonical_and_lead_somewhere_known() -> None:
    known = set(BLOCKING_CALLS) | set(INSTANCE_TYPES) | set(INSTANCE_TYPES.values())
    for alias, target in ALIASES.items():
        assert alias not in known, f"{alias} is both an alias and a table key"
        assert canonical_name(target) == target, f"{alias} -> {target} is a chain"
        assert target in known, f"{alias} -> {target}, which the table does not use"


def test_excluded_names_are_not_in_the_table() -> None:
    for qualname in EXCLUDED:
        assert qualname not in BLOCKING_CALLS
        assert lookup(qualname) is None, qualname


@pytest.mark.parametrize("qualname", sorted(q for q in EXCLUDED if q != "requests.connect"))
def test_excluded_names_exist(qualname: str) -> None:
    resolve_existing(qualname)


@pytest.mark.parametrize("qualname", ["requests.connect", "requests.trace", "httpx.connect", "httpx.trace"])
def test_ruff_http_names_that_do_not_exist(qualname: str) -> None:
    assert resolve(qualname) is _MISSING


# ---------------------------------------------------------------------------------------
# Parameters match the real signatures.

_PARAM_CASES = sorted(
    {
        (qualname, param)
        for qualname, entry in BLOCKING_CALLS.items()
        for param in _all_params(entry)
    },
    key=lambda case: (case[0], case[1].name),
)


@pytest.mark.parametrize("qualname,param", _PARAM_CASES, ids=[f"{q}:{p.name}" for q, p in _PARAM_CASES])
def test_param_matches_signature(qualname: str, param: Param) -> None:
    check_param(qualname, param)


def test_entries_are_well_formed() -> None:
    literal_types = (type(None), bool, int, float, str, Symbol)
    for qualname, entry in BLOCKING_CALLS.items():
        assert entry.qualname == qualname
        assert entry.category in CATEGORIES and entry.category != "configured"
        assert canonical_name(qualname) == qualname, f"{qualname} is an alias spelling"
        if entry.timeout is not None:
            assert entry.category == "wait", f"{qualname}: only waits are exempted by a timeout"
        for param, value in entry.nonblocking:
            assert isinstance(param, Param) and isinstance(value, literal_types), qualname
            assert param.position is None or param.position >= 0
    for qualname in FOREVER_TIMEOUT_LITERALS:
        assert BLOCKING_CALLS[qualname].timeout is not None


def test_categories_have_messages() -> None:
    for category, message in CATEGORIES.items():
        assert re.fullmatch(r"[a-z_]+", category)
        assert message and message == message.strip() and not message.endswith(".")
    used = {entry.category for entry in BLOCKING_CALLS.values()}
    assert used == set(CATEGORIES) - {"configured"}


def test_tables_are_frozen() -> None:
    for table in (BLOCKING_CALLS, INSTANCE_TYPES, ALIASES, CATEGORIES, FOREVER_TIMEOUT_LITERALS, EXCLUDED):
        with pytest.raises(TypeError):
            table["x.y"] = None  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        BLOCKING_CALLS["time.sleep"].category = "http"  # type: ignore[misc]


# ---------------------------------------------------------------------------------------
# What the table promises, checked against the real runtime where cheap.

def test_lock_timeout_minus_one_is_forever_but_not_for_semaphore_or_event() -> None:
    lock = threading.Lock()
    lock.acquire()
    with pytest.raises(ValueError):
        lock.acquire(True, -2)  # only -1 is accepted as "forever"
    lock.release()
    assert lock.acquire(True, -1)  # forever: succeeds on a free lock
    rlock = threading.RLock()
    assert rlock.acquire(True, 0.01)  # RLock takes the same (blocking, timeout)
    start = time.monotonic()
    assert threading.Semaphore(0).acquire(True, -1) is False  # returns at once
    assert threading.Event().wait(-1) is False
    assert time.monotonic() - start < 1.0
    assert forever_timeout_literals("threading.Lock.acquire") == (None, -1, -1.0)
    assert forever_timeout_literals("threading.RLock.acquire") == (None,)  # spelled on Lock
    assert forever_timeout_literals("threading.Event.wait") == (None,)


def test_required_coverage() -> None:
    required = """
        time.sleep
        requests.get requests.post requests.put requests.delete requests.patch requests.head
        requests.options requests.request requests.Session.get requests.Session.send
        httpx.get httpx.stream httpx.request httpx.Client.get httpx.Client.send httpx.Client.stream
        urllib.request.urlopen urllib.request.urlretrieve urllib.request.OpenerDirector.open
        urllib3.request urllib3.PoolManager.request urllib3.PoolManager.urlopen
        urllib3.PoolManager.request_encode_url urllib3.PoolManager.request_encode_body
        urllib3.HTTPConnectionPool.request urllib3.HTTPConnectionPool.urlopen
        http.client.HTTPConnection.request http.client.HTTPConnection.getresponse
        http.client.HTTPConnection.connect http.client.HTTPConnection.endheaders
        http.client.HTTPConnection.send
        socket.socket.connect socket.socket.connect_ex socket.socket.recv socket.socket.recv_into
        socket.socket.recvfrom socket.socket.recvfrom_into socket.socket.recvmsg
        socket.socket.accept socket.socket.send socket.socket.sendall socket.socket.sendto
        socket.socket.sendfile socket.create_connection socket.getaddrinfo
        socket.gethostbyname socket.gethostbyaddr socket.getfqdn
        subprocess.run subprocess.call subprocess.check_call subprocess.check_output
        subprocess.getoutput subprocess.getstatusoutput subprocess.Popen.wait
        subprocess.Popen.communicate subprocess.Popen os.system os.popen os.wait os.wait3
        os.wait4 os.waitid os.waitpid os.posix_spawn os.posix_spawnp
        os.spawnl os.spawnle os.spawnlp os.spawnlpe os.spawnv os.spawnve os.spawnvp os.spawnvpe
        smtplib.SMTP smtplib.SMTP_SSL smtplib.LMTP smtplib.SMTP.connect smtplib.SMTP.login
        smtplib.SMTP.sendmail smtplib.SMTP.send_message smtplib.SMTP.starttls smtplib.SMTP.ehlo
        smtplib.SMTP.helo smtplib.SMTP.quit smtplib.SMTP.noop
        ftplib.FTP ftplib.FTP_TLS ftplib.FTP.connect ftplib.FTP.login ftplib.FTP.retrbinary
        ftplib.FTP.retrlines ftplib.FTP.storbinary ftplib.FTP.storlines ftplib.FTP.nlst
        ftplib.FTP.dir ftplib.FTP.cwd ftplib.FTP.quit
        telnetlib.Telnet telnetlib.Telnet.open telnetlib.Telnet.read_until
        telnetlib.Telnet.read_all telnetlib.Telnet.read_some telnetlib.Telnet.expect
        builtins.input builtins.open io.open_code pathlib.Path.open pathlib.Path.read_text
        pathlib.Path.read_bytes pathlib.Path.write_text pathlib.Path.write_bytes
        sqlite3.connect sqlite3.Connection.execute sqlite3.Connection.executemany
        sqlite3.Connection.executescript sqlite3.Connection.commit sqlite3.Connection.rollback
        sqlite3.Connection.backup sqlite3.Cursor.execute sqlite3.Cursor.executemany
        sqlite3.Cursor.executescript sqlite3.Cursor.fetchone sqlite3.Cursor.fetchmany
        sqlite3.Cursor.fetchall psycopg2.connect psycopg2.extensions.cursor.execute
        psycopg2.extensions.connection.commit pymysql.connections.Connection
        pymysql.cursors.Cursor.execute pymysql.connections.Connection.commit
        psycopg.connect psycopg.Cursor.execute
        threading.Event.wait threading.Condition.wait threading.Condition.wait_for
        threading.Lock.acquire threading.Semaphore.acquire threading.Barrier.wait
        threading.Thread.join queue.Queue.get queue.Queue.join concurrent.futures.Future.result
        concurrent.futures.wait
    """.split()
    missing = [name for name in required if lookup(name) is None]
    assert not missing, missing
    assert lookup("io.open") is BLOCKING_CALLS["builtins.open"]
    assert lookup("pymysql.connect") is BLOCKING_CALLS["pymysql.connections.Connection"]


def test_async_only_entries() -> None:
    async_only = {q for q, entry in BLOCKING_CALLS.items() if entry.async_only}
    for name in ("builtins.open", "io.open_code", "pathlib.Path.read_text", "subprocess.Popen",
                 "os.posix_spawn", "os.posix_spawnp", "os.path.exists",
                 "io.TextIOWrapper.read"):
        assert name in async_only, name
    # The table lists these as blocking in every handler.
    for name in ("time.sleep", "subprocess.run", "os.system", "os.popen", "requests.get",
                 "queue.Queue.get", "sqlite3.Cursor.execute", "sqlite3.connect"):
        assert name not in async_only, name
    assert {BLOCKING_CALLS[q].category for q in async_only} == {"file", "subprocess"}


def test_nonblocking_and_timeout_params() -> None:
    sleep = BLOCKING_CALLS["time.sleep"]
    assert (Param("seconds", 0), 0) in sleep.nonblocking
    assert (Param("seconds", 0), 0.0) in sleep.nonblocking
    get = BLOCKING_CALLS["queue.Queue.get"]
    assert get.timeout == Param("timeout", 1)
    assert (Param("block", 0), False) in get.nonblocking
    acquire = BLOCKING_CALLS["threading.Lock.acquire"]
    assert acquire.timeout == Param("timeout", 1)
    assert (Param("blocking", 0), False) in acquire.nonblocking
    assert BLOCKING_CALLS["threading.Condition.wait_for"].timeout == Param("timeout", 1)
    assert BLOCKING_CALLS["concurrent.futures.wait"].timeout == Param("timeout", 1)
    assert BLOCKING_CALLS["queue.Queue.join"].timeout is None
    assert (Param("options", 1), Symbol("os.WNOHANG")) in BLOCKING_CALLS["os.waitpid"].nonblocking
    smtp = BLOCKING_CALLS["smtplib.SMTP"]
    assert smtp.requires == Param("host", 0)
    # A timeout limits only waits: subprocess.run(timeout=...) still blocks.
    assert BLOCKING_CALLS["subprocess.run"].timeout is None
    assert BLOCKING_CALLS["subprocess.Popen.wait"].timeout is None


# ---------------------------------------------------------------------------------------
# Lookups.

@pytest.mark.parametrize("spelling,canonical", [
    ("requests.api.get", "requests.get"),
    ("requests.sessions.Session.get", "requests.Session.get"),
    ("httpx._api.post", "httpx.post"),
    ("httpx._client.Client.send", "httpx.Client.send"),
    ("urllib3.poolmanager.PoolManager.request", "urllib3.PoolManager.request"),
    ("urllib3.ProxyManager.urlopen", "urllib3.PoolManager.urlopen"),
    ("urllib3.HTTPSConnectionPool.request", "urllib3.HTTPConnectionPool.request"),
    ("http.client.HTTPSConnection.request", "http.client.HTTPConnection.request"),
    ("queue.LifoQueue.get", "queue.Queue.get"),
    ("queue.PriorityQueue.join", "queue.Queue.join"),
    ("threading.RLock.acquire", "threading.Lock.acquire"),
    ("threading.BoundedSemaphore.acquire", "threading.Semaphore.acquire"),
    ("threading.Timer.join", "threading.Thread.join"),
    ("smtplib.SMTP_SSL.login", "smtplib.SMTP.login"),
    ("ftplib.FTP_TLS.retrbinary", "ftplib.FTP.retrbinary"),
    ("pathlib.PosixPath.read_text", "pathlib.Path.read_text"),
    ("concurrent.futures.ThreadPoolExecutor.shutdown", "concurrent.futures.Executor.shutdown"),
    ("concurrent.futures._base.Future.result", "concurrent.futures.Future.result"),
    ("multiprocessing.pool.ThreadPool.map", "multiprocessing.pool.Pool.map"),
    ("multiprocessing.context.Process.join", "multiprocessing.Process.join"),
    ("sqlite3.dbapi2.Cursor.fetchall", "sqlite3.Cursor.fetchall"),
    ("io.open", "builtins.open"),
    ("pymysql.connect", "pymysql.connections.Connection"),
    ("pymysql.Connection.query", "pymysql.connections.Connection.query"),
    ("psycopg.Connection.connect", "psycopg.connect"),
    ("psycopg2._psycopg.cursor.execute", "psycopg2.extensions.cursor.execute"),
])
def test_lookup_resolves_spellings(spelling: str, canonical: str) -> None:
    entry = lookup(spelling)
    assert entry is not None and entry.qualname == canonical


@pytest.mark.parametrize("qualname", [
    "time.time", "queue.Queue.put", "queue.Queue.get_nowait", "os.execv", "subprocess.Popen.poll",
    "socket.socket.makefile", "requests.Session", "threading.Lock", "mylib.slow_call", "",
    "sleep", "builtins.print", "pathlib.Path.iterdir",
])
def test_lookup_misses(qualname: str) -> None:
    assert lookup(qualname) is None


@pytest.mark.parametrize("factory,type_name", [
    ("requests.Session", "requests.Session"),
    ("requests.session", "requests.Session"),
    ("requests.sessions.Session", "requests.Session"),
    ("sqlite3.connect", "sqlite3.Connection"),
    ("sqlite3.Connection.cursor", "sqlite3.Cursor"),
    ("sqlite3.Connection.execute", "sqlite3.Cursor"),
    ("socket.socket", "socket.socket"),
    ("socket.create_connection", "socket.socket"),
    ("threading.Event", "threading.Event"),
    ("threading.RLock", "threading.Lock"),
    ("queue.Queue", "queue.Queue"),
    ("queue.LifoQueue", "queue.Queue"),
    ("subprocess.Popen", "subprocess.Popen"),
    ("http.client.HTTPSConnection", "http.client.HTTPConnection"),
    ("urllib3.poolmanager.PoolManager", "urllib3.PoolManager"),
    ("pymysql.connect", "pymysql.connections.Connection"),
    ("pathlib.PosixPath.joinpath", "pathlib.Path"),
    ("concurrent.futures.ThreadPoolExecutor", "concurrent.futures.Executor"),
    ("concurrent.futures.Executor.submit", "concurrent.futures.Future"),
])
def test_instance_type(factory: str, type_name: str) -> None:
    assert instance_type(factory) == type_name


def test_instance_type_misses() -> None:
    assert instance_type("time.sleep") is None
    assert instance_type("mylib.Thing") is None


def test_method_chains_resolve() -> None:
    # conn = sqlite3.connect(p); cur = conn.cursor(); cur.execute(q)
    conn = instance_type("sqlite3.connect")
    cur = instance_type(f"{conn}.cursor")
    entry = lookup(f"{cur}.execute")
    assert entry is not None and entry.qualname == "sqlite3.Cursor.execute"
    # s = requests.Session(); s.get(url)
    entry = lookup(f"{instance_type('requests.Session')}.get")
    assert entry is not None and entry.category == "http"
    # executor.submit(fn).result()
    entry = lookup(f"{instance_type('concurrent.futures.Executor.submit')}.result")
    assert entry is not None and entry.timeout == Param("timeout", 0)


def test_lookup_in_another_table() -> None:
    table = with_extensions(["mylib.Client.fetch"])
    assert lookup("mylib.Client.fetch", table) is table["mylib.Client.fetch"]
    assert lookup("mylib.Client.fetch") is None


# ---------------------------------------------------------------------------------------
# User extensions.

def test_with_extensions_adds_configured_entries() -> None:
    table = with_extensions(["mylib.slow_call", "mylib.Client.fetch"])
    assert table["mylib.slow_call"] == BlockingCall("mylib.slow_call", "configured")
    assert table["mylib.Client.fetch"].category == "configured"
    assert "mylib.slow_call" not in BLOCKING_CALLS
    assert len(table) == len(BLOCKING_CALLS) + 2
    with pytest.raises(TypeError):
        table["x.y"] = None  # type: ignore[index]


def test_with_extensions_keeps_known_entries() -> None:
    table = with_extensions(["time.sleep", "requests.api.get", "queue.LifoQueue.get", "io.open"])
    assert table["time.sleep"].category == "sleep"
    assert "requests.api.get" not in table and "queue.LifoQueue.get" not in table
    assert dict(table) == dict(BLOCKING_CALLS)


def test_with_extensions_uses_canonical_spelling() -> None:
    table = with_extensions(["requests.sessions.Session.mount"])
    assert table["requests.Session.mount"].category == "configured"


@pytest.mark.parametrize("name", [
    "mylib.slow_call", "a.b.c.d", "_private._call", "mylib.Client.fetch", "ünï.côde", "x.y1",
])
def test_with_extensions_accepts_valid_names(name: str) -> None:
    assert with_extensions([name])[name].category == "configured"
    assert with_extensions(iter([name]))[name].category == "configured"


def test_with_extensions_accepts_nothing() -> None:
    assert dict(with_extensions([])) == dict(BLOCKING_CALLS)
    assert dict(with_extensions(())) == dict(BLOCKING_CALLS)


@pytest.mark.parametrize("bad", ["", "a..b", ".a", "a.", "1lib.call", "mylib.class", "my-lib.call", 3, None])
def test_with_extensions_rejects_non_names(bad: object) -> None:
    with pytest.raises(ValueError):
        with_extensions([bad])  # type: ignore[list-item]


def test_with_extensions_rejects_a_bare_string() -> None:
    with pytest.raises(ValueError):
        with_extensions("mylib.slow_call")


def test_module_exports() -> None:
    for name in blocking.__all__:
        assert hasattr(blocking, name), name
