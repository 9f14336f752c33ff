"""The web interface and JSON API (``newsfold serve``).

Pages for events, storylines, articles and facts, a JSON API under ``/api/``
with an OpenAPI document, and CSV/JSON downloads. Read-only: the server opens
the store read-only for every request. Standard library server plus jinja2.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from newsfold.store import Store
from newsfold.web.app import WebApp

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def make_app(
    store_factory: Callable[[], Store],
    allowed_hosts: tuple[str, ...] | None = LOOPBACK,
    access_log: bool = False,
    release: Callable[[Store], None] | None = None,
    cache_bytes: int = 0,
    data_version: Callable[[], Hashable] | None = None,
) -> WebApp:
    """The WSGI application over stores opened by ``store_factory`` (one per request;
    handed to ``release`` afterwards when given, else closed); with ``cache_bytes``,
    whole answers are reused while the store's generation and ``data_version()`` stay."""
    return WebApp(store_factory, allowed_hosts=allowed_hosts, access_log=access_log,
                  release=release, cache_bytes=cache_bytes,
                  data_version=data_version)  # fmt: skip


def file_version(db: str | Path) -> Callable[[], Hashable]:
    """The size and modification time of the SQLite file and its WAL: they change with
    every commit, whoever writes (a second check next to the store's generation)."""
    paths = [str(db), str(db) + "-wal"]

    def version() -> Hashable:
        out = []
        for path in paths:
            try:
                st = os.stat(path)
            except OSError:
                out.append((0, 0))
                continue
            out.append((st.st_size, st.st_mtime_ns))
        return tuple(out)

    return version


class ReadOnlyPool:
    """Read-only connections to one SQLite store, reused across requests.

    The server runs a thread per request; opening SQLite costs about a millisecond,
    so idle connections (at most ``keep``) wait here for the next request. Each
    statement is its own read transaction, so a kept connection sees new batches."""

    def __init__(self, db: str | Path, keep: int = 32) -> None:
        self.db = str(db)
        self.keep = keep
        self._idle: list[Store] = []
        self._lock = threading.Lock()

    def acquire(self) -> Store:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return read_only_factory(self.db)()

    def release(self, store: Store) -> None:
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(store)
                return
        store.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()


def read_only_factory(db: str | Path) -> Callable[[], Store]:
    """Opens the SQLite file read-only, once per call."""
    from newsfold.store.sqlite import SQLiteStore

    path = str(db)

    def factory() -> Store:
        return SQLiteStore.open_read_only(path)

    return factory


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 256  # many analysts' tabs and the load test connect at once
    allow_reuse_address = True
    parent_pid: int | None = None  # set in a pre-forked worker: stop when the parent is gone

    def service_actions(self) -> None:
        super().service_actions()
        if self.parent_pid is not None and os.getppid() != self.parent_pid:
            raise SystemExit(0)  # the parent was killed: do not serve on as an orphan


class ThreadingWSGIServer6(ThreadingWSGIServer):
    address_family = socket.AF_INET6


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def prepare_store(db: str | Path) -> None:
    """Check the store exists and bring its schema up to date (the only write serve does)."""
    from newsfold.errors import StoreError
    from newsfold.store.sqlite import SQLiteStore

    if not Path(db).is_file():
        raise StoreError(f"no store at {db}; create it first with `newsfold run PATH --db {db}`")
    SQLiteStore(db).close()


DEFAULT_CACHE_MB = 64


def make_server_for(
    db: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    access_log: bool = True,
    cache_mb: int = DEFAULT_CACHE_MB,
    bind_and_activate: bool = True,
) -> ThreadingWSGIServer:
    """A threaded server for ``db`` (read-only), its answers cached up to ``cache_mb``."""
    prepare_store(db)
    server_class = ThreadingWSGIServer6 if ":" in host else ThreadingWSGIServer
    server = server_class((host, port), QuietHandler, bind_and_activate=bind_and_activate)
    server.set_app(_app_for(db, host, access_log, cache_mb))
    return server


def _app_for(db: str | Path, host: str, access_log: bool, cache_mb: int) -> WebApp:
    open_hosts = host in ("0.0.0.0", "::", "")
    allowed = None if open_hosts else (*LOOPBACK, host)
    pool = ReadOnlyPool(db)
    return make_app(
        pool.acquire,
        allowed_hosts=allowed,
        access_log=access_log,
        release=pool.release,
        cache_bytes=max(0, cache_mb) * 1024 * 1024,
        data_version=file_version(db),
    )


def default_workers() -> int:
    """One worker process per CPU this process may use, at most 8."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(8, cpus)) if hasattr(os, "fork") else 1


def serve(
    db: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    cache_mb: int = DEFAULT_CACHE_MB,
) -> None:
    """Serve until Ctrl-C (or SIGTERM). ``workers`` > 1 pre-forks that many processes
    accepting on one listening socket, each with its own read-only connections and
    cache; 0 means :func:`default_workers`."""
    workers = workers or default_workers()
    server = make_server_for(db, host, port, cache_mb=cache_mb)
    real_port = server.server_address[1]
    shown = f"[{host}]" if ":" in host else host
    what = f"{workers} worker processes" if workers > 1 else "one process"

    def banner() -> None:
        print(
            f"newsfold: serving {db} read-only at http://{shown}:{real_port}/ "
            f"({what}; Ctrl-C stops)",
            file=sys.stderr,
        )
        if host not in ("127.0.0.1", "localhost", "::1"):
            print(
                "newsfold: warning: reachable from other machines; there is no login",
                file=sys.stderr,
            )

    if workers > 1:
        _prefork(server, db, host, workers, cache_mb, banner)
        return
    banner()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("newsfold: stopped", file=sys.stderr)
    finally:
        server.server_close()


STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def _prefork(
    server: ThreadingWSGIServer,
    db: str | Path,
    host: str,
    workers: int,
    cache_mb: int,
    banner: Callable[[], None],
) -> None:
    """Fork ``workers`` children that all accept on ``server``'s socket; restart one that
    dies (at most 10 times a minute); on Ctrl-C, SIGTERM or SIGHUP stop them all (those
    still running after 5 s are killed)."""
    if not hasattr(os, "fork"):
        raise OSError("--workers needs fork(); use --workers 1 on this system")
    children: dict[int, float] = {}
    stopping: float | None = None  # when the stop began

    def spawn() -> None:
        parent = os.getpid()
        # no stop signal may land between fork and the child's own handlers
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            pid = os.fork()
            if pid == 0:  # the child: its own connections and cache, never the parent's
                code = 0
                try:
                    for signum in STOP_SIGNALS:
                        signal.signal(signum, signal.SIG_DFL)
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
                    server.parent_pid = parent
                    server.set_app(_app_for(db, host, True, cache_mb))
                    server.serve_forever()
                except BaseException:
                    code = 1
                finally:
                    os._exit(code)
            children[pid] = time.monotonic()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

    def signal_all(signum: int) -> None:
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):  # it already exited
                os.kill(pid, signum)

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        if stopping is None:
            stopping = time.monotonic()
        signal_all(signal.SIGTERM)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    restarts: list[float] = []
    try:
        server.set_app(None)  # the parent only holds the socket
        banner()  # once Ctrl-C is handled here: from now on it stops every worker
        for _ in range(workers):
            if stopping is None:
                spawn()
        while children:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                if stopping is not None and time.monotonic() - stopping > 5:
                    signal_all(signal.SIGKILL)
                time.sleep(0.1)
                continue
            children.pop(pid, None)
            now = time.monotonic()
            restarts = [t for t in restarts if now - t < 60]
            if stopping is None and len(restarts) < 10:
                restarts.append(now)
                print(f"newsfold: worker {pid} exited; starting another", file=sys.stderr)
                spawn()
    finally:
        signal_all(signal.SIGTERM)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        server.server_close()
        print("newsfold: stopped", file=sys.stderr)


__all__ = [
    "ReadOnlyPool",
    "WebApp",
    "file_version",
    "make_app",
    "make_server_for",
    "read_only_factory",
    "serve",
]
