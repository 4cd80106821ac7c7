"""The blocking-call table behind ACT101: calls that stall the thread that makes them.

ACT101 reports a known blocking call made directly inside an actor handler. Calls are
matched by fully-qualified name after import resolution (``from time import sleep as s;
s(1)`` is ``time.sleep``); a method call on an instance is matched through the type of
the instance, which the collector learns from what created it::

    s = requests.Session(); s.get(url)          # requests.Session.get
    cur = sqlite3.connect(p).cursor(); cur.execute(q)   # sqlite3.Cursor.execute

So the table has three parts, all frozen module-level data:

``BLOCKING_CALLS``
    canonical qualname -> ``BlockingCall`` (its category, and the arguments that make a
    particular call not block).
``INSTANCE_TYPES``
    factory qualname -> canonical type qualname: what a constructor, factory function or
    method returns, so that method calls on the result resolve. Subclasses whose blocking
    methods are inherited map to the base that the table spells the methods on
    (``queue.LifoQueue`` -> ``queue.Queue``, ``threading.RLock`` -> ``threading.Lock``,
    ``http.client.HTTPSConnection`` -> ``http.client.HTTPConnection``).
``ALIASES``
    another spelling of the very same object -> its canonical spelling
    (``requests.api.get`` -> ``requests.get``, ``io.open`` -> ``builtins.open``).

Precision matters more than recall: every entry really blocks the calling thread (or,
with ``async_only``, stalls an event loop). ``EXCLUDED`` lists the near misses that
other tools flag but this table deliberately leaves out, with the reason.

How the collector reads an entry
--------------------------------
* ``async_only``: blocking only in an ``async def`` handler (opening or reading a file,
  starting a subprocess). A sync handler doing the same is not reported.
* ``nonblocking``: pairs ``(Param, value)``; when the argument for ``Param`` equals
  ``value`` the call does not block (``time.sleep(0)``, ``q.get(block=False)``). Several
  pairs for one parameter are alternatives. ``value`` is a literal, or a ``Symbol``: a
  module constant matched by its resolved qualified name (``os.WNOHANG``).
* ``timeout``: only for waits on threads, locks, queues and futures (category
  ``wait``): a call that passes a time limit is not reported. ``None`` always means "no
  limit"; ``FOREVER_TIMEOUT_LITERALS`` lists the further literals that mean "no limit"
  for a given call (``-1`` for ``Lock.acquire``; for ``Event.wait`` or
  ``Semaphore.acquire`` a negative timeout returns at once instead).
* ``requires``: the call blocks only when this argument is passed (``smtplib.SMTP()``
  connects only when given a host; without one it is a plain constructor).

Parameter positions are 0-based and exclude ``self``; they were checked against the
real signatures (``tests/model/test_blocking_table.py`` keeps them honest).
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from types import MappingProxyType
from typing import Dict, Iterable, Iterator, Mapping, Optional, Tuple

from actorlint.model.frameworks import Param

__all__ = [
    "ALIASES",
    "BLOCKING_CALLS",
    "CATEGORIES",
    "EXCLUDED",
    "FOREVER_TIMEOUT_LITERALS",
    "INSTANCE_TYPES",
    "BlockingCall",
    "Param",
    "Symbol",
    "canonical_name",
    "forever_timeout_literals",
    "instance_type",
    "lookup",
    "with_extensions",
]


@dataclass(frozen=True)
class Symbol:
    """A module constant used as an argument value, matched by qualified name.

    ``os.waitpid(pid, os.WNOHANG)`` does not block; ``os.WNOHANG`` is not a literal, so
    the entry says ``(Param("options", 1), Symbol("os.WNOHANG"))``.
    """

    qualname: str


@dataclass(frozen=True)
class BlockingCall:
    qualname: str              # canonical dotted name, e.g. "time.sleep", "requests.Session.get"
    category: str              # one of CATEGORIES
    async_only: bool = False   # only blocking in an async handler (open(), creating a subprocess)
    # A wait that is NOT reported when a time limit is given (threading/queue waits only):
    timeout: Optional[Param] = None
    # Not blocking when this parameter is passed this value (a literal or a Symbol), e.g.
    # Queue.get(block=False), Lock.acquire(blocking=False), time.sleep(0):
    nonblocking: Tuple[Tuple[Param, object], ...] = ()
    # Only blocking when this parameter is passed at all (smtplib.SMTP(host) connects,
    # smtplib.SMTP() does not):
    requires: Optional[Param] = None


#: category -> a verb phrase for messages ("`time.sleep` sleeps in handler ...").
CATEGORIES: Mapping[str, str] = MappingProxyType({
    "sleep": "sleeps",
    "http": "makes a synchronous HTTP request",
    "socket": "does blocking socket I/O",
    "dns": "does a blocking DNS lookup",
    "subprocess": "runs or waits for a subprocess",
    "smtp": "talks to an SMTP server",
    "ftp": "talks to an FTP server",
    "telnet": "talks to a Telnet server",
    "serial": "does blocking serial-port I/O",
    "input": "waits for terminal input",
    "file": "does blocking file-system I/O",
    "db": "makes a blocking database call",
    "wait": "waits on a thread, lock, queue or future",
    "configured": "makes a call configured as blocking",
})

# ---------------------------------------------------------------------------------------
# Building blocks.

_entries: Dict[str, BlockingCall] = {}


def _add(qualname: str, category: str, **fields: object) -> None:
    if qualname in _entries:  # pragma: no cover - a table typo, caught at import
        raise ValueError(f"duplicate blocking call {qualname}")
    if category not in CATEGORIES:  # pragma: no cover
        raise ValueError(f"unknown category {category!r} for {qualname}")
    _entries[qualname] = BlockingCall(qualname, category, **fields)  # type: ignore[arg-type]


def _methods(owner: str, names: str, category: str, **fields: object) -> None:
    for name in names.split():
        _add(f"{owner}.{name}", category, **fields)


def _falsy(param: Param) -> Tuple[Tuple[Param, object], ...]:
    """``param`` passed ``False`` (or ``0``): a blocking flag turned off."""
    return ((param, False), (param, 0))


def _zero(param: Param) -> Tuple[Tuple[Param, object], ...]:
    """``param`` passed a literal zero (int or float)."""
    return ((param, 0), (param, 0.0))


# ---------------------------------------------------------------------------------------
# sleep

_add("time.sleep", "sleep", nonblocking=_zero(Param("seconds", 0)))

# ---------------------------------------------------------------------------------------
# http
# requests: module functions (requests/api.py) and Session methods (send takes a
# PreparedRequest). There is no requests.connect or requests.trace.
_HTTP_VERBS = "get post put delete patch head options request"
_methods("requests", _HTTP_VERBS, "http")
_methods("requests.Session", _HTTP_VERBS + " send", "http")
# httpx: module functions (httpx/_api.py; ``stream`` is a context manager that sends the
# request on entry, and is always entered at the call) and the sync Client.
_methods("httpx", _HTTP_VERBS + " stream", "http")
_methods("httpx.Client", _HTTP_VERBS + " send stream", "http")
# urllib.request
_add("urllib.request.urlopen", "http")
_add("urllib.request.urlretrieve", "http")
_add("urllib.request.OpenerDirector.open", "http")
# urllib3 (2.x has a top-level request(); pools inherit request_encode_* from
# urllib3._request_methods.RequestMethods)
_add("urllib3.request", "http")
_methods("urllib3.PoolManager", "request urlopen request_encode_url request_encode_body", "http")
_methods("urllib3.HTTPConnectionPool", "request urlopen request_encode_url request_encode_body", "http")
# tornado's synchronous client (AsyncHTTPClient.fetch returns a future instead).
_methods("tornado.httpclient.HTTPClient", "fetch", "http")
# http.client: constructing a connection does no I/O; these do.
_methods("http.client.HTTPConnection", "connect request getresponse endheaders send", "http")

# ---------------------------------------------------------------------------------------
# socket (sockets block by default; makefile() does no I/O itself)
_methods(
    "socket.socket",
    "connect connect_ex accept recv recv_into recvfrom recvfrom_into recvmsg "
    "send sendall sendto sendmsg sendfile",
    "socket",
)
_add("socket.create_connection", "socket")
# select.select(rlist, wlist, xlist, timeout=None): a zero timeout only polls.
_add("select.select", "socket", nonblocking=_zero(Param("timeout", 3)))
# wrap_socket() on a connected socket does the TLS handshake unless told not to.
_add("ssl.SSLContext.wrap_socket", "socket",
     nonblocking=_falsy(Param("do_handshake_on_connect", 2)))

# dns
_add("socket.getaddrinfo", "dns")
_add("socket.getnameinfo", "dns")
_add("socket.gethostbyname", "dns")
_add("socket.gethostbyname_ex", "dns")
_add("socket.gethostbyaddr", "dns")
_add("socket.getfqdn", "dns")

# ---------------------------------------------------------------------------------------
# subprocess
_methods("subprocess", "run call check_call check_output getoutput getstatusoutput", "subprocess")
_methods("subprocess.Popen", "wait communicate", "subprocess")
# Starting a process without waiting for it: a fork/exec, which stalls an event loop but
# is not a wait in a sync handler.
_add("subprocess.Popen", "subprocess", async_only=True)
_add("os.posix_spawn", "subprocess", async_only=True)
_add("os.posix_spawnp", "subprocess", async_only=True)
_add("os.system", "subprocess")
# os.popen starts a shell whose output is read straight away in practice
# (``os.popen(cmd).read()``); the table lists it with os.system.
_add("os.popen", "subprocess")
# os.spawn*(mode, ...) wait for the child when mode is os.P_WAIT.
_SPAWN_NOWAIT = (
    (Param("mode", 0), Symbol("os.P_NOWAIT")),
    (Param("mode", 0), Symbol("os.P_NOWAITO")),
)
for _name in ("spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe"):
    _add(f"os.{_name}", "subprocess", nonblocking=_SPAWN_NOWAIT)
# os.wait*: WNOHANG makes them poll.
_add("os.wait", "subprocess")
_add("os.wait3", "subprocess", nonblocking=((Param("options", 0), Symbol("os.WNOHANG")),))
_add("os.wait4", "subprocess", nonblocking=((Param("options", 1), Symbol("os.WNOHANG")),))
_add("os.waitpid", "subprocess", nonblocking=((Param("options", 1), Symbol("os.WNOHANG")),))
_add("os.waitid", "subprocess", nonblocking=((Param("options", 2), Symbol("os.WNOHANG")),))

# ---------------------------------------------------------------------------------------
# smtp / ftp / telnet: the constructors connect (and FTP logs in) when given a host.
_HOST = Param("host", 0)
for _cls in ("SMTP", "SMTP_SSL", "LMTP"):
    _add(f"smtplib.{_cls}", "smtp", requires=_HOST, nonblocking=((_HOST, ""),))
_methods(
    "smtplib.SMTP",
    "connect helo ehlo ehlo_or_helo_if_needed starttls login sendmail send_message "
    "mail rcpt data rset noop verify docmd quit",
    "smtp",
)
for _cls in ("FTP", "FTP_TLS"):
    _add(f"ftplib.{_cls}", "ftp", requires=_HOST, nonblocking=((_HOST, ""),))
# (mlsd is a generator: it talks to the server only when iterated.)
_methods(
    "ftplib.FTP",
    "connect login cwd pwd nlst dir size mkd rmd delete rename retrbinary retrlines "
    "storbinary storlines sendcmd voidcmd transfercmd ntransfercmd quit",
    "ftp",
)
# telnetlib (deprecated in 3.11, removed in 3.13). write() is left out: a command write
# fits the socket buffer.
_add("telnetlib.Telnet", "telnet", requires=_HOST, nonblocking=((_HOST, None),))
_methods("telnetlib.Telnet", "open read_until read_all read_some expect interact", "telnet")

# pyserial: reads wait for the device's bytes (forever unless the port was opened with a
# timeout), writes and flush until the device has taken them.
_methods("serial.Serial", "read read_until readline readlines write flush", "serial")

# ---------------------------------------------------------------------------------------
# input
_add("builtins.input", "input")
_add("getpass.getpass", "input")

# ---------------------------------------------------------------------------------------
# file: local file-system I/O stalls an event loop (ASYNC230/232/240), but reading a
# file in a sync handler is ordinary work, so all of these are async_only.
_FILE = {"async_only": True}
_add("builtins.open", "file", **_FILE)
_add("io.open_code", "file", **_FILE)
_methods(
    "pathlib.Path",
    "open read_text read_bytes write_text write_bytes touch exists is_file is_dir "
    "is_symlink is_mount is_socket is_fifo is_block_device is_char_device stat lstat "
    "mkdir rmdir unlink rename replace resolve samefile chmod owner group readlink "
    "symlink_to",
    "file", **_FILE,
)
# os.path functions that stat the file system (normpath is pure; relpath only reads the
# working directory).
_methods(
    "os.path",
    "exists lexists isfile isdir islink ismount getsize getmtime getatime getctime "
    "realpath samefile",
    "file", **_FILE,
)
# Methods of the file objects open() returns (ASYNC232). open() in text mode returns an
# io.TextIOWrapper; open_code() and binary modes a buffered object with the same names.
_methods("io.TextIOWrapper", "read readline readlines write writelines flush truncate",
         "file", **_FILE)
_methods("io.BufferedReader", "read read1 readinto readline readlines peek", "file", **_FILE)

# ---------------------------------------------------------------------------------------
# db
# sqlite3: connecting opens (and may create) the database file and reads its schema on
# a slow disk or network share; statements can wait up to the busy timeout (5 s by
# default) on another connection's lock, and fetching steps the query on disk. Like the
# other drivers' connect(), it is reported in every handler.
_add("sqlite3.connect", "db")
_methods("sqlite3.Connection", "execute executemany executescript commit rollback backup", "db")
_methods("sqlite3.Cursor", "execute executemany executescript fetchone fetchmany fetchall", "db")
# psycopg2 (client-side cursors hold the whole result after execute(), so fetch* do no
# I/O and are not listed). connect(async_=True) returns at once.
_add("psycopg2.connect", "db", nonblocking=((Param("async_"), True),))
_methods("psycopg2.extensions.connection", "commit rollback", "db")
_methods("psycopg2.extensions.cursor",
         "execute executemany callproc copy_from copy_to copy_expert", "db")
_add("psycopg2.extras.execute_values", "db")
_add("psycopg2.extras.execute_batch", "db")
# psycopg 3 (sync API; client-side cursors as above).
_add("psycopg.connect", "db")
_methods("psycopg.Connection", "execute commit rollback", "db")
_methods("psycopg.Cursor", "execute executemany", "db")
# PyMySQL: pymysql.connect *is* the Connection class, which connects unless deferred.
# The default Cursor buffers the whole result, so fetch* do no I/O.
_add("pymysql.connections.Connection", "db", nonblocking=((Param("defer_connect"), True),))
_methods("pymysql.connections.Connection",
         "connect commit rollback begin ping query select_db", "db")
_methods("pymysql.cursors.Cursor", "execute executemany callproc", "db")

# ---------------------------------------------------------------------------------------
# wait: threads, locks, queues, futures. A call with a time limit is not reported.
_TIMEOUT0 = Param("timeout", 0)
_add("threading.Event.wait", "wait", timeout=_TIMEOUT0)
_add("threading.Condition.wait", "wait", timeout=_TIMEOUT0)
_add("threading.Condition.wait_for", "wait", timeout=Param("timeout", 1))
_add("threading.Barrier.wait", "wait", timeout=_TIMEOUT0)
_add("threading.Thread.join", "wait", timeout=_TIMEOUT0)
# Lock.acquire(blocking=True, timeout=-1): -1 is forever (see FOREVER_TIMEOUT_LITERALS).
_add("threading.Lock.acquire", "wait", timeout=Param("timeout", 1),
     nonblocking=_falsy(Param("blocking", 0)))
_add("threading.Semaphore.acquire", "wait", timeout=Param("timeout", 1),
     nonblocking=_falsy(Param("blocking", 0)))
# queue.Queue.get(block=True, timeout=None); join() has no time limit at all. put() is
# not listed: it blocks only on a full bounded queue (see EXCLUDED).
_add("queue.Queue.get", "wait", timeout=Param("timeout", 1), nonblocking=_falsy(Param("block", 0)))
_add("queue.Queue.join", "wait")
# ray.util.queue.Queue, a queue kept by an actor, has queue.Queue's API: get(block=True,
# timeout=None) waits for an item (put, as queue.Queue's, only when a bounded queue is full).
_add("ray.util.queue.Queue.get", "wait", timeout=Param("timeout", 1), nonblocking=_falsy(Param("block", 0)))
_add("queue.SimpleQueue.get", "wait", timeout=Param("timeout", 1),
     nonblocking=_falsy(Param("block", 0)))
_add("multiprocessing.queues.Queue.get", "wait", timeout=Param("timeout", 1),
     nonblocking=_falsy(Param("block", 0)))
_add("multiprocessing.Process.join", "wait", timeout=_TIMEOUT0)
_methods("multiprocessing.pool.Pool", "apply map starmap join", "wait")
_add("multiprocessing.pool.AsyncResult.get", "wait", timeout=_TIMEOUT0)
_add("multiprocessing.pool.AsyncResult.wait", "wait", timeout=_TIMEOUT0)
_add("concurrent.futures.Future.result", "wait", timeout=_TIMEOUT0)
_add("concurrent.futures.Future.exception", "wait", timeout=_TIMEOUT0)
_add("concurrent.futures.wait", "wait", timeout=Param("timeout", 1))
_add("concurrent.futures.Executor.shutdown", "wait", nonblocking=_falsy(Param("wait", 0)))

BLOCKING_CALLS: Mapping[str, BlockingCall] = MappingProxyType(dict(_entries))
del _entries, _name, _cls

#: Literals that mean "no time limit" for a call's ``timeout``, besides ``None``.
FOREVER_TIMEOUT_LITERALS: Mapping[str, Tuple[object, ...]] = MappingProxyType({
    # _thread.lock/RLock.acquire: timeout=-1 (the default) waits forever; any other
    # negative value raises ValueError.
    "threading.Lock.acquire": (-1, -1.0),
})

# ---------------------------------------------------------------------------------------
# What calls return: factory qualname -> canonical type qualname.

_types: Dict[str, str] = {}


def _returns(type_name: str, *factories: str) -> None:
    for factory in factories:
        if factory in _types:  # pragma: no cover
            raise ValueError(f"duplicate instance type for {factory}")
        _types[factory] = type_name


# http
_returns("requests.Session", "requests.Session", "requests.session")
_returns("httpx.Client", "httpx.Client")
_returns("urllib.request.OpenerDirector", "urllib.request.OpenerDirector",
         "urllib.request.build_opener")
_returns("urllib3.PoolManager", "urllib3.PoolManager", "urllib3.ProxyManager",
         "urllib3.proxy_from_url")
_returns("urllib3.HTTPConnectionPool", "urllib3.HTTPConnectionPool", "urllib3.HTTPSConnectionPool",
         "urllib3.connection_from_url", "urllib3.PoolManager.connection_from_url",
         "urllib3.PoolManager.connection_from_host")
_returns("http.client.HTTPConnection", "http.client.HTTPConnection", "http.client.HTTPSConnection")
_returns("tornado.httpclient.HTTPClient", "tornado.httpclient.HTTPClient")
_returns("serial.Serial", "serial.Serial", "serial.serial_for_url")
# socket
_returns("socket.socket", "socket.socket", "socket.create_connection", "socket.create_server",
         "socket.fromfd", "socket.socket.dup", "ssl.SSLContext.wrap_socket")
_returns("ssl.SSLContext", "ssl.SSLContext", "ssl.create_default_context")
# subprocess
_returns("subprocess.Popen", "subprocess.Popen")
# smtp / ftp / telnet
_returns("smtplib.SMTP", "smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.LMTP")
_returns("ftplib.FTP", "ftplib.FTP", "ftplib.FTP_TLS")
_returns("telnetlib.Telnet", "telnetlib.Telnet")
# file (open()'s class depends on the mode; the blocking method names are shared)
_returns("io.TextIOWrapper", "builtins.open", "pathlib.Path.open")
_returns("io.BufferedReader", "io.open_code")
_returns("pathlib.Path", "pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath",
         "pathlib.Path.cwd", "pathlib.Path.home", "pathlib.Path.joinpath",
         "pathlib.Path.with_name", "pathlib.Path.with_suffix", "pathlib.Path.with_stem",
         "pathlib.Path.relative_to", "pathlib.Path.absolute", "pathlib.Path.resolve",
         "pathlib.Path.expanduser")
# db
_returns("sqlite3.Connection", "sqlite3.connect", "sqlite3.Connection")
_returns("sqlite3.Cursor", "sqlite3.Connection.cursor", "sqlite3.Connection.execute",
         "sqlite3.Connection.executemany", "sqlite3.Connection.executescript",
         "sqlite3.Cursor", "sqlite3.Cursor.execute", "sqlite3.Cursor.executemany",
         "sqlite3.Cursor.executescript")
_returns("psycopg2.extensions.connection", "psycopg2.connect")
_returns("psycopg2.extensions.cursor", "psycopg2.extensions.connection.cursor",
         "psycopg2.extras.DictCursor", "psycopg2.extras.RealDictCursor",
         "psycopg2.extras.NamedTupleCursor")
_returns("psycopg.Connection", "psycopg.connect")
_returns("psycopg.Cursor", "psycopg.Connection.cursor", "psycopg.Connection.execute",
         "psycopg.Cursor.execute", "psycopg.Cursor.executemany")
_returns("pymysql.connections.Connection", "pymysql.connections.Connection")
_returns("pymysql.cursors.Cursor", "pymysql.connections.Connection.cursor",
         "pymysql.cursors.Cursor", "pymysql.cursors.DictCursor")
# wait
_returns("threading.Event", "threading.Event")
_returns("threading.Condition", "threading.Condition")
_returns("threading.Barrier", "threading.Barrier")
_returns("threading.Thread", "threading.Thread", "threading.Timer")
_returns("threading.Lock", "threading.Lock", "threading.RLock", "_thread.allocate_lock")
_returns("threading.Semaphore", "threading.Semaphore", "threading.BoundedSemaphore")
_returns("queue.Queue", "queue.Queue", "queue.LifoQueue", "queue.PriorityQueue")
_returns("queue.SimpleQueue", "queue.SimpleQueue")
_returns("ray.util.queue.Queue", "ray.util.queue.Queue")
_returns("multiprocessing.queues.Queue", "multiprocessing.Queue", "multiprocessing.queues.Queue")
_returns("multiprocessing.Process", "multiprocessing.Process")
_returns("multiprocessing.pool.Pool", "multiprocessing.Pool", "multiprocessing.pool.Pool",
         "multiprocessing.pool.ThreadPool")
_returns("multiprocessing.pool.AsyncResult", "multiprocessing.pool.Pool.apply_async",
         "multiprocessing.pool.Pool.map_async", "multiprocessing.pool.Pool.starmap_async")
_returns("concurrent.futures.Executor", "concurrent.futures.ThreadPoolExecutor",
         "concurrent.futures.ProcessPoolExecutor")
_returns("concurrent.futures.Future", "concurrent.futures.Future",
         "concurrent.futures.Executor.submit", "asyncio.run_coroutine_threadsafe")

INSTANCE_TYPES: Mapping[str, str] = MappingProxyType(dict(_types))
del _types

# ---------------------------------------------------------------------------------------
# Other spellings of the same object (re-exports, implementation modules).

ALIASES: Mapping[str, str] = MappingProxyType({
    # requests
    **{f"requests.api.{verb}": f"requests.{verb}" for verb in _HTTP_VERBS.split()},
    "requests.sessions.Session": "requests.Session",
    "requests.sessions.session": "requests.session",
    # httpx
    **{f"httpx._api.{verb}": f"httpx.{verb}" for verb in (_HTTP_VERBS + " stream").split()},
    "httpx._client.Client": "httpx.Client",
    # urllib3
    "urllib3.poolmanager.PoolManager": "urllib3.PoolManager",
    "urllib3.poolmanager.ProxyManager": "urllib3.ProxyManager",
    "urllib3.poolmanager.proxy_from_url": "urllib3.proxy_from_url",
    "urllib3.connectionpool.HTTPConnectionPool": "urllib3.HTTPConnectionPool",
    "urllib3.connectionpool.HTTPSConnectionPool": "urllib3.HTTPSConnectionPool",
    "urllib3.connectionpool.connection_from_url": "urllib3.connection_from_url",
    # pyserial: serial.Serial is the platform's class
    "serial.serialposix.Serial": "serial.Serial",
    # stdlib
    "io.open": "builtins.open",
    "sqlite3.dbapi2.connect": "sqlite3.connect",
    "sqlite3.dbapi2.Connection": "sqlite3.Connection",
    "sqlite3.dbapi2.Cursor": "sqlite3.Cursor",
    "concurrent.futures._base.Future": "concurrent.futures.Future",
    "concurrent.futures._base.Executor": "concurrent.futures.Executor",
    "concurrent.futures._base.wait": "concurrent.futures.wait",
    "concurrent.futures.thread.ThreadPoolExecutor": "concurrent.futures.ThreadPoolExecutor",
    "concurrent.futures.process.ProcessPoolExecutor": "concurrent.futures.ProcessPoolExecutor",
    "multiprocessing.context.Process": "multiprocessing.Process",
    "multiprocessing.pool.ApplyResult": "multiprocessing.pool.AsyncResult",
    # databases
    "psycopg2._psycopg.connection": "psycopg2.extensions.connection",
    "psycopg2._psycopg.cursor": "psycopg2.extensions.cursor",
    "psycopg.Connection.connect": "psycopg.connect",
    "psycopg.connection.Connection": "psycopg.Connection",
    "psycopg.cursor.Cursor": "psycopg.Cursor",
    "pymysql.connect": "pymysql.connections.Connection",
    "pymysql.Connect": "pymysql.connections.Connection",
    "pymysql.Connection": "pymysql.connections.Connection",
})

#: Calls that other linters flag (or that look blocking) but that this table leaves out.
EXCLUDED: Mapping[str, str] = MappingProxyType({
    "queue.Queue.put": "blocks only when a bounded queue is full; queues are usually unbounded",
    "ray.util.queue.Queue.put": "blocks only when a bounded queue is full, as queue.Queue.put",
    "multiprocessing.queues.Queue.put": "blocks only when a bounded queue is full",
    "queue.SimpleQueue.put": "never blocks: SimpleQueue is unbounded",
    "socket.socket.makefile": "does no I/O itself; reading the file does",
    "telnetlib.Telnet.write": "a command write fits in the socket buffer",
    "os.execv": "os.exec* replace the process and never return: not a wait (all variants)",
    "os.fdopen": "wraps an already-open descriptor without waiting (flake8-async ASYNC231)",
    "httpx.Client.close": "closes pooled sockets without waiting for the peer (ASYNC212)",
    "requests.connect": "does not exist (Ruff ASYNC210 lists it, with requests.trace, "
                        "httpx.connect and httpx.trace)",
    "concurrent.futures.as_completed": "returns an iterator: it waits while iterated",
    "concurrent.futures.Executor.map": "returns an iterator: it waits while iterated",
    "pathlib.Path.iterdir": "a generator (so are glob and rglob): it reads while iterated",
    "ftplib.FTP.mlsd": "a generator: it talks to the server while iterated",
    "os.path.normpath": "pure string manipulation (flake8-async ASYNC240 lists it)",
    "os.path.relpath": "only reads the working directory (flake8-async ASYNC240 lists it)",
    "psycopg2.extensions.cursor.fetchall": "client-side cursors hold the result after execute() "
                                           "(likewise psycopg and PyMySQL fetch*)",
    "subprocess.Popen.poll": "returns at once",
})


# ---------------------------------------------------------------------------------------
# Lookups.

def _prefixes(qualname: str) -> Iterator[Tuple[str, str]]:
    """``(head, tail)`` splits of a dotted name, longest head first (tail may be empty)."""
    parts = qualname.split(".")
    for cut in range(len(parts), 0, -1):
        yield ".".join(parts[:cut]), ".".join(parts[cut:])


def canonical_name(qualname: str) -> str:
    """The canonical spelling of ``qualname``: ``ALIASES`` applied to its longest prefix.

    ``requests.sessions.Session.get`` -> ``requests.Session.get``.
    """
    for head, tail in _prefixes(qualname):
        target = ALIASES.get(head)
        if target is not None:
            return f"{target}.{tail}" if tail else target
    return qualname


def _candidates(qualname: str) -> Iterator[str]:
    """``qualname`` canonicalised, then with its owner replaced by the owner's type.

    ``queue.LifoQueue.get`` -> ``queue.LifoQueue.get``, ``queue.Queue.get``.
    """
    name = canonical_name(qualname)
    seen = {name}
    yield name
    for _ in range(4):  # a subclass of a subclass at most; no cycles possible past seen
        owner, dot, member = name.rpartition(".")
        if not dot:
            return
        owner_type = INSTANCE_TYPES.get(canonical_name(owner))
        if owner_type is None:
            return
        name = f"{owner_type}.{member}"
        if name in seen:
            return
        seen.add(name)
        yield name


def lookup(qualname: str, table: Optional[Mapping[str, BlockingCall]] = None) -> Optional[BlockingCall]:
    """The blocking-call entry for ``qualname`` (in ``table``, by default ``BLOCKING_CALLS``).

    Applies ``ALIASES``; a method spelled on a subclass (``threading.RLock.acquire``,
    ``http.client.HTTPSConnection.request``) resolves through ``INSTANCE_TYPES``.
    """
    table = BLOCKING_CALLS if table is None else table
    for name in _candidates(qualname):
        entry = table.get(name)
        if entry is not None:
            return entry
    return None


def instance_type(qualname: str) -> Optional[str]:
    """The canonical type of what calling ``qualname`` returns, if the table knows it."""
    for name in _candidates(qualname):
        type_name = INSTANCE_TYPES.get(name)
        if type_name is not None:
            return type_name
    return None


def forever_timeout_literals(qualname: str) -> Tuple[object, ...]:
    """The argument values that mean "no time limit" for ``qualname``'s timeout."""
    return (None,) + tuple(FOREVER_TIMEOUT_LITERALS.get(canonical_name(qualname), ()))


def _is_dotted_name(name: object) -> bool:
    if not isinstance(name, str) or not name:
        return False
    return all(part.isidentifier() and not keyword.iskeyword(part) for part in name.split("."))


def with_extensions(extra: Iterable[str]) -> Mapping[str, BlockingCall]:
    """``BLOCKING_CALLS`` plus the user's ``extend-blocking-calls`` names.

    Each extra name becomes a ``configured`` entry under its canonical spelling; a name
    the table already knows keeps its own, more precise entry. Raises ``ValueError`` for
    something that is not a dotted name.
    """
    if isinstance(extra, str):
        raise ValueError(f"expected a list of qualified names, got the string {extra!r}")
    merged: Dict[str, BlockingCall] = dict(BLOCKING_CALLS)
    for name in extra:
        if not _is_dotted_name(name):
            raise ValueError(f"not a dotted qualified name: {name!r}")
        if lookup(name) is not None:
            continue
        canonical = canonical_name(name)
        merged.setdefault(canonical, BlockingCall(canonical, "configured"))
    return MappingProxyType(merged)
